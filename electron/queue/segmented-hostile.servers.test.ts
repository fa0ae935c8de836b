// Segmented downloads against a hostile server: REST refused, REST answered 350 but ignored, a
// range cut short, a SIZE that lies. The file either arrives whole (SHA-256 equals the source) or
// the item fails and nothing is committed under the final name.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferItem } from '../../shared/transfers';
import {
  startHostileServer,
  type HostileScript,
  type HostileServer,
} from '../../test/hostile/hostile-server';
import { TransferQueue } from './queue';
import { exists, hostileSite } from '../../test/support/queue';

const MiB = 1024 * 1024;
const REMOTE = '/big.bin';

let server: HostileServer | undefined;
let work: string;
let data: Buffer;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ferry-segmented-hostile-'));
  data = randomBytes(4 * MiB + 777);
});

afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(work, { recursive: true, force: true });
});

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function download(
  script: HostileScript,
): Promise<{ item: TransferItem; logs: string[]; target: string }> {
  server = await startHostileServer({ files: { [REMOTE]: data }, ...script });
  const s = server;
  const queue = new TransferQueue({
    retry: { baseDelayMs: 20, maxDelayMs: 50, maxRetries: 3 },
    computeSha256: true,
    onExists: { upload: 'overwrite', download: 'overwrite' },
    segments: { thresholdBytes: MiB, minSegmentBytes: MiB, alignBytes: 64 * 1024, connections: 4 },
  });
  const logs: string[] = [];
  queue.on('log', (line) => logs.push(line.text));
  queue.setSite(hostileSite(s, 'h', 4));
  const target = path.join(work, 'big.bin');
  queue.add({ siteKey: 'h', direction: 'download', remotePath: REMOTE, localPath: target });
  await queue.whenIdle();
  const item = queue.list()[0];
  await queue.dispose();
  if (!item) throw new Error('no item');
  return { item, logs, target };
}

const retrs = (): string[] => server?.commands.filter((c) => /^(REST|RETR)/.test(c)) ?? [];

describe('segmented download against a hostile server', () => {
  it('fetches the ranges in parallel from a well-behaved one (the baseline)', async () => {
    const { item, target } = await download({});
    expect(item.state).toBe('done');
    expect(sha(await readFile(target))).toBe(sha(data));
    expect(retrs().filter((c) => c.startsWith('RETR'))).toHaveLength(4);
  });

  it('REST refused: the file is fetched whole from zero and arrives intact', async () => {
    const { item, logs, target } = await download({
      on: (verb) => (verb === 'REST' ? '502 REST not implemented.' : undefined),
    });
    expect(item.error).toBeUndefined();
    expect(item.state).toBe('done');
    expect(sha(await readFile(target))).toBe(sha(data));
    expect(logs.some((l) => l.includes('REST refused'))).toBe(true);
  });

  it('REST answered 350 but ignored: the probes catch it and the file is fetched whole', async () => {
    const { item, logs, target } = await download({
      // Every RETR sends the file from its first byte, whatever REST said.
      retr: (p) => (p === REMOTE ? { content: data } : undefined),
    });
    expect(item.error).toBeUndefined();
    expect(item.state).toBe('done');
    expect(sha(await readFile(target))).toBe(sha(data));
    expect(logs.some((l) => l.includes('does not honour REST ranges'))).toBe(true);
    expect(retrs().at(-1)).toBe(`RETR ${REMOTE}`);
  });

  it('a range cut short is continued from where it stopped; the file arrives intact', async () => {
    let cut = false;
    const { item, target } = await download({
      retr: (p, offset) => {
        if (p !== REMOTE || offset === 0 || cut) return undefined;
        cut = true;
        // 200 KiB of this range, then a clean end (226): short of what the range needs.
        return { content: data.subarray(offset), cutAfter: 200 * 1024 };
      },
    });
    expect(item.error).toBeUndefined();
    expect(item.state).toBe('done');
    expect(item.retries).toBeGreaterThanOrEqual(1);
    expect(sha(await readFile(target))).toBe(sha(data));
    // The cut range was asked for again from inside itself, not from its start.
    const rests = retrs()
      .filter((c) => c.startsWith('REST'))
      .map((c) => Number(c.slice(5)));
    const firstCut = rests[0] ?? 0;
    expect(rests).toContain(firstCut + 200 * 1024 - 4096);
  });

  it('SIZE smaller than the file: the item fails and nothing reaches the final name', async () => {
    const { item, target } = await download({
      on: (verb) => (verb === 'SIZE' ? `213 ${data.length - 100_000}` : undefined),
    });
    expect(item.state).toBe('failed');
    expect(item.error?.kind).toBe('protocol');
    expect(await exists(target)).toBe(false);
  });

  it('SIZE larger than the file: the item fails and nothing reaches the final name', async () => {
    const { item, target } = await download({
      on: (verb) => (verb === 'SIZE' ? `213 ${data.length + 3 * MiB}` : undefined),
    });
    expect(item.state).toBe('failed');
    expect(await exists(target)).toBe(false);
  });
});
