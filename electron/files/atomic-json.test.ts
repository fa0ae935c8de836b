import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readJson,
  readVersionedJson,
  writeFileAtomic,
  writeJson,
  writeVersionedJson,
  type ReadVersionedOptions,
} from './atomic-json';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Doc {
  name: string;
}
const docOptions: ReadVersionedOptions<Doc> = {
  schemaVersion: 2,
  fallback: () => ({ name: 'default' }),
  parse: (data, version) => {
    const name = (data as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') throw new Error('name missing');
    return { name: version === 1 ? `${name} (migrated)` : name };
  },
};

describe('atomic JSON files', () => {
  it('writes, reads back and migrates older versions', async () => {
    const file = join(dir, 'doc.json');
    await writeVersionedJson(file, 2, { name: 'two' });
    expect(await readVersionedJson(file, docOptions)).toEqual({
      value: { name: 'two' },
      existed: true,
    });
    await writeVersionedJson(file, 1, { name: 'one' });
    expect((await readVersionedJson(file, docOptions)).value).toEqual({ name: 'one (migrated)' });
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the last of concurrent writes, whole', async () => {
    const file = join(dir, 'doc.json');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => writeVersionedJson(file, 2, { name: `n${i}` })),
    );
    expect((await readVersionedJson(file, docOptions)).value).toEqual({ name: 'n19' });
  });

  it('uses the fallback without a notice when the file does not exist', async () => {
    expect(await readVersionedJson(join(dir, 'none.json'), docOptions)).toEqual({
      value: { name: 'default' },
      existed: false,
    });
  });

  for (const [label, content, reason] of [
    ['truncated JSON', '{"schemaVersion":2,"data":{"na', /not valid JSON/],
    ['a newer schema', '{"schemaVersion":9,"data":{"name":"x"}}', /newer Ferry/],
    ['an unknown shape', '[1,2,3]', /not a Ferry file/],
    ['invalid content', '{"schemaVersion":2,"data":{"name":7}}', /not valid \(name missing\)/],
  ] as const) {
    it(`sets aside ${label} with a notice and keeps its bytes`, async () => {
      const file = join(dir, 'doc.json');
      await writeFile(file, content);
      const result = await readVersionedJson(file, docOptions);
      expect(result.value).toEqual({ name: 'default' });
      expect(result.notice?.reason).toMatch(reason);
      expect(result.notice?.setAsideAs).toMatch(/doc\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z\.json$/);
      expect(await readFile(result.notice?.setAsideAs ?? '', 'utf8')).toBe(content);
      expect(await readdir(dir)).not.toContain('doc.json');
      // A second set-aside in the same millisecond gets its own name.
      await writeFile(file, content);
      const again = await readVersionedJson(file, docOptions);
      expect(again.notice?.setAsideAs).not.toBe(result.notice?.setAsideAs);
    });
  }

  it('keeps the previous file intact when the writer is killed mid-write', async () => {
    const file = join(dir, 'doc.json');
    await writeVersionedJson(file, 2, { name: 'previous' });
    const before = await readFile(file, 'utf8');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'slow-writer.fixture.ts'), file],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('writing')) resolve();
      });
      child.on('exit', () => reject(new Error(`writer exited early: ${stderr}`)));
    });
    // The temporary file exists and is growing: kill the writer without any chance to clean up.
    const temps = (await readdir(dir)).filter((n) => n.endsWith('.tmp'));
    expect(temps).toHaveLength(1);
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(await readFile(file, 'utf8')).toBe(before);
    const result = await readVersionedJson(file, docOptions);
    expect(result).toEqual({ value: { name: 'previous' }, existed: true });
    // The dead writer's temporary file was cleaned up on read.
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('writes bytes and chunk streams', async () => {
    const file = join(dir, 'raw.bin');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(file))]).toEqual([1, 2, 3]);
    async function* parts(): AsyncGenerator<string> {
      for (const part of ['a', 'b']) {
        await Promise.resolve();
        yield part;
      }
    }
    await writeFileAtomic(file, parts());
    expect(await readFile(file, 'utf8')).toBe('ab');
  });

  it('a failed write leaves the old file intact and no temporary file behind', async () => {
    const file = join(dir, 'doc.json');
    await writeJson(file, { name: 'old' });
    const before = await readFile(file, 'utf8');
    async function* failing(): AsyncGenerator<string> {
      yield '{"name": "half';
      await Promise.resolve();
      throw new Error('the disk went away');
    }
    await expect(writeFileAtomic(file, failing())).rejects.toThrow('the disk went away');
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['doc.json']);
    // A write into a folder that cannot be created fails without touching anything.
    await expect(writeJson(join(file, 'below-a-file.json'), {})).rejects.toThrow(/EEXIST|ENOTDIR/);
    expect(await readdir(dir)).toEqual(['doc.json']);
  });

  it('writeJson writes indented JSON that readJson reads back; readJson falls back', async () => {
    const file = join(dir, 'sub', 'recent.json');
    await writeJson(file, [{ host: 'h', port: 21 }]);
    expect(await readFile(file, 'utf8')).toBe('[\n  {\n    "host": "h",\n    "port": 21\n  }\n]\n');
    expect(await readJson(file, [])).toEqual([{ host: 'h', port: 21 }]);
    expect(await readdir(join(dir, 'sub'))).toEqual(['recent.json']);
    await writeFile(file, '[{"host":');
    expect(await readJson(file, ['fallback'])).toEqual(['fallback']);
    expect(await readJson(join(dir, 'none.json'), 7)).toBe(7);
  });
});
