/**
 * File operations, resume and progress against real servers, checked on the server's disk.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { FtpsClient } from './client';
import { FerryError } from './errors';
import { connectOptionsFor } from '../../test/support/engine';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
let work: string;
const payload = randomBytes(3 * 1024 * 1024 + 17);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ferry-ops-'));
  await writeFile(join(work, 'payload.bin'), payload);
});

afterAll(async () => {
  await stopAll();
  await rm(work, { recursive: true, force: true });
});

async function session(
  kind: 'vsftpd' | 'proftpd',
  run: (client: FtpsClient, server: RunningServer) => Promise<void>,
): Promise<void> {
  const server = await startServer({ kind, mode: 'explicit', tlsMax: '1.3' });
  try {
    const client = await FtpsClient.connect(connectOptionsFor(server));
    try {
      await run(client, server);
      expect(client.closed).toBe(false);
    } finally {
      await client.close();
    }
  } finally {
    await server.stop();
  }
}

describe.concurrent.each(['vsftpd', 'proftpd'] as const)('%s', (kind) => {
  it('creates, renames, lists and removes folders recursively', async () => {
    await session(kind, async (client, server) => {
      await client.mkdir('/a/b c/d', { recursive: true });
      await client.mkdir('/a/b c/d', { recursive: true }); // already there: not an error
      expect((await stat(server.path('a/b c/d'))).isDirectory()).toBe(true);
      await client.upload(createReadStream(join(work, 'payload.bin')), '/a/b c/d/file one.bin');
      await client.rename('/a/b c', '/a/renamed');
      expect(existsSync(server.path('a/renamed/d/file one.bin'))).toBe(true);
      expect(await client.cd('/a/renamed')).toBe('/a/renamed');
      const listing = await client.list();
      expect(listing).toEqual([expect.objectContaining({ name: 'd', kind: 'dir' })]);
      expect(await client.size('d/file one.bin')).toBe(payload.length);
      await client.cd('/');
      await client.rmdir('/a', { recursive: true });
      expect(existsSync(server.path('a'))).toBe(false);
    });
  });

  it('deletes, reports size and time, and explains a refusal', async () => {
    await session(kind, async (client, server) => {
      await server.writeFile('doomed.txt', 'bye');
      expect(await client.size('doomed.txt')).toBe(3);
      const modified = await client.modifiedTime('doomed.txt');
      expect(Math.abs(modified.getTime() - Date.now())).toBeLessThan(120_000);
      await client.delete('doomed.txt');
      expect(existsSync(server.path('doomed.txt'))).toBe(false);
      const error = await client.delete('doomed.txt').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FerryError);
      expect((error as FerryError).detail).toMatchObject({
        kind: 'ftp-reply',
        command: 'DELE',
        code: 550,
      });
      const sink = new PassThrough().resume();
      const missing = await client.download('nope.bin', sink).catch((e: unknown) => e);
      expect((missing as FerryError).detail).toMatchObject({
        kind: 'ftp-reply',
        command: 'RETR',
        code: 550,
      });
      // A refused download still ends its sink: a file stream's descriptor must not wait for GC.
      expect(sink.destroyed).toBe(true);
      expect((await client.list()).length).toBeGreaterThanOrEqual(0);
    });
  });

  it('resumes a download and an upload from an offset', async () => {
    await session(kind, async (client, server) => {
      await server.writeFile('big.bin', payload);
      const local = join(work, `resumed-${kind}.bin`);
      const half = 1024 * 1024 + 3;
      await writeFile(local, payload.subarray(0, half));
      const result = await client.download(
        'big.bin',
        createWriteStream(local, { flags: 'r+', start: half }),
        {
          offset: half,
          expectedSize: payload.length,
        },
      );
      expect(result.bytes).toBe(payload.length - half);
      expect(sha256(await readFile(local))).toBe(sha256(payload));

      await server.writeFile('partial-up.bin', payload.subarray(0, half));
      const up = await client.upload(
        createReadStream(join(work, 'payload.bin'), { start: half }),
        'partial-up.bin',
        { offset: half },
      );
      expect(up.bytes).toBe(payload.length - half);
      expect(sha256(await readFile(server.path('partial-up.bin')))).toBe(sha256(payload));
    });
  });

  it('samples progress instead of reporting every chunk', async () => {
    await session(kind, async (client, server) => {
      await server.writeFile('progress.bin', payload);
      const samples: number[] = [];
      await client.download('progress.bin', createWriteStream(join(work, `progress-${kind}.bin`)), {
        onProgress: (progress) => samples.push(progress.bytes),
        progressIntervalMs: 50,
      });
      expect(samples.at(-1)).toBe(payload.length);
      expect(samples.length).toBeLessThan(50);
      expect([...samples].sort((a, b) => a - b)).toEqual(samples);
    });
  });
});

describe('ProFTPD extras', () => {
  it('changes permissions and sets modification times (SITE CHMOD, MFMT)', async () => {
    await session('proftpd', async (client, server) => {
      await server.writeFile('perm.txt', 'x');
      await client.chmod('perm.txt', '640');
      expect((await stat(server.path('perm.txt'))).mode & 0o777).toBe(0o640);
      expect(client.features.mfmt).toBe(true);
      const when = new Date(Date.UTC(2021, 4, 6, 7, 8, 9));
      await client.setModifiedTime('perm.txt', when);
      expect((await stat(server.path('perm.txt'))).mtime.toISOString()).toBe(when.toISOString());
      expect((await client.modifiedTime('perm.txt')).toISOString()).toBe(when.toISOString());
      const entry = (await client.list()).find((e) => e.name === 'perm.txt');
      expect(entry?.modified).toBe(when.toISOString());
    });
  });
});

describe('keepalive', () => {
  it('sends NOOP while the control connection is idle', async () => {
    const server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
    try {
      const client = await FtpsClient.connect({
        host: server.host,
        port: server.port,
        mode: 'explicit',
        user: server.user,
        password: server.password,
        keepaliveMs: 300,
        decideTrust: () => Promise.resolve('once'),
      });
      try {
        await server.waitForLog(/"NOOP"/, 20_000);
        expect(client.closed).toBe(false);
        expect(await client.pwd()).toBe('/');
      } finally {
        await client.close();
      }
    } finally {
      await server.stop();
    }
  });
});
