// Verification after transfer against real servers: ProFTPD with mod_digest (HASH, OPTS HASH and
// the XSHA256/XSHA1/XMD5/XCRC commands) and vsftpd (no checksum command at all).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferItem } from '../../shared/transfers';
import { startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { FtpsClient } from '../engine/client';
import { TransferQueue } from './queue';
import { exists, partFiles, sha256File, siteFor } from '../../test/support/queue';
import type { QueueOptions } from './types';
import { strongestMethod } from './verify';

const MiB = 1024 * 1024;
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

let proftpd: RunningServer;
let vsftpd: RunningServer;
let work: string;

beforeAll(async () => {
  [proftpd, vsftpd] = await Promise.all([
    startServer({ kind: 'proftpd', mode: 'explicit', tlsMax: '1.3', digest: true }),
    startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' }),
  ]);
  work = await mkdtemp(path.join(tmpdir(), 'ferry-verify-'));
});

afterAll(async () => {
  await stopAll();
  await rm(work, { recursive: true, force: true });
});

async function mkdirp(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function newQueue(server: RunningServer, key: string, extra: QueueOptions = {}): TransferQueue {
  const queue = new TransferQueue({
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    onExists: { upload: 'overwrite', download: 'overwrite' },
    computeSha256: true,
    ...extra,
  });
  queue.setSite(siteFor(server, key, { maxConnections: 2 }));
  return queue;
}

/** Runs the requests to the end and returns their items in the order given. */
async function run(
  queue: TransferQueue,
  requests: Array<Parameters<TransferQueue['add']>[0]>,
): Promise<TransferItem[]> {
  for (const request of requests) queue.add(request);
  await queue.whenIdle();
  const items = queue.list();
  return requests.map((request) => {
    const item = items.find(
      (i) => i.remotePath === request.remotePath && i.direction === request.direction,
    );
    if (!item) throw new Error(`no item for ${request.remotePath}`);
    return item;
  });
}

/**
 * ProFTPD's log once `ready` holds. A command's line is written just after its reply, so a client
 * can be done before the last line lands; give up after ~5 s and let the assertions say what is
 * missing.
 */
async function logWhen(ready: (log: string) => boolean): Promise<string> {
  for (let i = 0; ; i++) {
    const log = await proftpd.readLog();
    if (ready(log) || i >= 100) return log;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function count(log: string, text: string): number {
  return log.split(text).length - 1;
}

/** Per session (ProFTPD's `[pid]`), in order, the commands that match `pattern`. */
function bySession(log: string, pattern: RegExp): string[][] {
  const sessions = new Map<string, string[]>();
  for (const line of log.split('\n')) {
    const match = /\[(\d+)\] \S+ cmd="([^"]*)"/.exec(line);
    const [, pid, command] = match ?? [];
    if (pid === undefined || command === undefined || !pattern.test(command)) continue;
    sessions.set(pid, [...(sessions.get(pid) ?? []), command]);
  }
  return [...sessions.values()];
}

/** The server log's HASH line for `remote`, with its reply. */
function hashLine(remote: string, hex: string, size: number): RegExp {
  const p = remote.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`cmd="HASH ${p}" resp="213 SHA-256 0-${size} ${hex} ${p}"`);
}

describe('ProFTPD with mod_digest', () => {
  it('FEAT lists HASH; the engine picks SHA-256 and its digest equals node:crypto', async () => {
    const big = randomBytes(3 * MiB + 123);
    await proftpd.writeFile('engine/big.bin', big);
    await proftpd.writeFile('engine/empty.bin', '');
    const client = await FtpsClient.connect({
      ...siteFor(proftpd).connect,
      connectionId: 'verify-engine',
    });
    try {
      // ProFTPD 1.3.8: "HASH CRC32;MD5;SHA-1*;SHA-256;SHA-512;" (SHA-1 selected by default).
      expect(client.features.hash).toEqual(['CRC32', 'MD5', 'SHA-1', 'SHA-256', 'SHA-512']);
      expect(client.features.xsha256 && client.features.xcrc).toBe(true);
      expect(strongestMethod(client.features)).toBe('HASH SHA-256');
      expect(await client.hash('/engine/big.bin')).toEqual({
        method: 'HASH SHA-256',
        value: sha256(big),
      });
      expect(await client.hash('/engine/empty.bin')).toEqual({
        method: 'HASH SHA-256',
        value: EMPTY_SHA256,
      });
    } finally {
      await client.close();
    }
    const log = await logWhen((l) => l.includes('cmd="HASH /engine/empty.bin"'));
    expect(log).toMatch(/cmd="OPTS_HASH SHA-256" resp="200 SHA-256"/);
    expect(log).toMatch(hashLine('/engine/big.bin', sha256(big), big.length));
    expect(log).toMatch(hashLine('/engine/empty.bin', EMPTY_SHA256, 0));
    // One HASH per file: no falling through to other algorithms or to XSHA256.
    expect(log.match(/cmd="HASH \/engine\/big\.bin"/g)).toHaveLength(1);
    expect(log).not.toMatch(/cmd="(XSHA256|OPTS_HASH SHA-512)/);
  });

  it('uploads and downloads through the queue, each verified with HASH SHA-256', async () => {
    const files: Array<[string, Buffer]> = [
      ['big.bin', randomBytes(4 * MiB + 7)],
      ['empty.bin', Buffer.alloc(0)],
      ['small name with spaces.txt', Buffer.from('hello, HASH\n')],
    ];
    const src = path.join(work, 'q-src');
    const dst = path.join(work, 'q-dst');
    for (const [name, data] of files) {
      await writeFile(path.join(await mkdirp(src), name), data);
    }
    await proftpd.mkdir('q');
    const queue = newQueue(proftpd, 'digest');
    const uploads = await run(
      queue,
      files.map(([name]) => ({
        siteKey: 'digest',
        direction: 'upload' as const,
        localPath: path.join(src, name),
        remotePath: `/q/${name}`,
      })),
    );
    const downloads = await run(
      queue,
      files.map(([name]) => ({
        siteKey: 'digest',
        direction: 'download' as const,
        localPath: path.join(dst, name),
        remotePath: `/q/${name}`,
      })),
    );
    await queue.dispose();

    const log = await logWhen((l) =>
      files.every(([name]) => count(l, `cmd="HASH /q/${name}"`) === 2),
    );
    for (const [i, [name, data]] of files.entries()) {
      const want = sha256(data);
      for (const item of [uploads[i], downloads[i]]) {
        expect(item?.state, `${item?.direction} ${name}: ${JSON.stringify(item?.error)}`).toBe(
          'done',
        );
        expect(item?.verification).toBe('HASH SHA-256');
        expect(item?.sha256).toBe(want);
        expect(item?.retries).toBe(0);
      }
      expect(await sha256File(proftpd.path(`q/${name}`))).toBe(want);
      expect(await sha256File(path.join(dst, name))).toBe(want);
      // Once after the upload, once after the download.
      const line = hashLine(`/q/${name}`, want, data.length);
      expect(log.match(new RegExp(line.source, 'g'))).toHaveLength(2);
    }
    expect(await partFiles(dst)).toEqual([]);
  });

  it('a download resumed after a corrupted partial copy fails HASH and starts again from zero', async () => {
    const data = randomBytes(2 * MiB);
    await proftpd.writeFile('resume/down.bin', data);
    const target = path.join(await mkdirp(path.join(work, 'resume')), 'down.bin');
    // A partial copy with one wrong byte: its size makes "resume" continue after it.
    const prefix = Buffer.from(data.subarray(0, 700_000));
    prefix[1234] = (prefix[1234] ?? 0) ^ 0xff;
    await writeFile(target, prefix);

    const queue = newQueue(proftpd, 'digest', {
      onExists: { upload: 'overwrite', download: 'resume' },
    });
    const warnings: string[] = [];
    queue.on('log', (line) => {
      if (line.level === 'warning') warnings.push(line.text);
    });
    const [item] = await run(queue, [
      {
        siteKey: 'digest',
        direction: 'download',
        localPath: target,
        remotePath: '/resume/down.bin',
      },
    ]);
    await queue.dispose();

    expect(item?.state).toBe('done');
    expect(item?.resumedAt).toEqual([700_000]);
    expect(item?.retries).toBe(1);
    expect(warnings.join('\n')).toMatch(/HASH SHA-256 differs/);
    expect(item?.verification).toBe('HASH SHA-256');
    expect(item?.sha256).toBe(sha256(data));
    expect(await sha256File(target)).toBe(sha256(data));
    expect(await exists(`${target}.part`)).toBe(false);
    // One session: REST 700000, RETR, HASH (mismatch). The next: RETR from zero, HASH.
    const log = await logWhen((l) => count(l, 'cmd="HASH /resume/down.bin"') === 2);
    const remote = '/resume/down.bin';
    const sessions = bySession(
      log,
      /^(REST \d+|RETR \/resume\/down\.bin|HASH \/resume\/down\.bin)$/,
    );
    expect(sessions.filter((commands) => commands.some((c) => c.endsWith(remote)))).toEqual([
      ['REST 700000', `RETR ${remote}`, `HASH ${remote}`],
      [`RETR ${remote}`, `HASH ${remote}`],
    ]);
  });

  it('an upload resumed onto a corrupted server file fails HASH and is sent again whole', async () => {
    const data = randomBytes(MiB + 99);
    const src = path.join(work, 'up-resume.bin');
    await writeFile(src, data);
    const prefix = Buffer.from(data.subarray(0, 300_000));
    prefix[0] = (prefix[0] ?? 0) ^ 0x01;
    await proftpd.writeFile('resume/up.bin', prefix);

    const queue = newQueue(proftpd, 'digest', {
      onExists: { upload: 'resume', download: 'overwrite' },
    });
    const [item] = await run(queue, [
      { siteKey: 'digest', direction: 'upload', localPath: src, remotePath: '/resume/up.bin' },
    ]);
    await queue.dispose();

    expect(item?.state).toBe('done');
    expect(item?.resumedAt).toEqual([300_000]);
    expect(item?.retries).toBe(1);
    expect(item?.verification).toBe('HASH SHA-256');
    expect(await sha256File(proftpd.path('resume/up.bin'))).toBe(sha256(data));
    // One session: REST 300000, STOR, HASH (mismatch). The next, with a fresh digest cache:
    // STOR from zero, HASH with the right digest.
    const log = await logWhen((l) => count(l, 'cmd="HASH /resume/up.bin"') === 2);
    const remote = '/resume/up.bin';
    const sessions = bySession(log, /^(REST \d+|STOR \/resume\/up\.bin|HASH \/resume\/up\.bin)$/);
    expect(sessions.filter((commands) => commands.some((c) => c.endsWith(remote)))).toEqual([
      ['REST 300000', `STOR ${remote}`, `HASH ${remote}`],
      [`STOR ${remote}`, `HASH ${remote}`],
    ]);
    expect(log).toMatch(hashLine(remote, sha256(data), data.length));
  });

  it('with only the legacy commands (HASH hidden), XSHA256 verifies and an empty file goes by size', async () => {
    // ProFTPD's XSHA256/XCRC/… refuse a zero-length range ("501 XSHA256 requires end (0) greater
    // than start (0)"); before HASH existed (mod_digest 1.x) that was all a server offered.
    const queue = newQueue(proftpd, 'legacy', {
      connect: async (options) => {
        const client = await FtpsClient.connect(options);
        client.features.hash = [];
        return client;
      },
    });
    await proftpd.mkdir('legacy');
    const src = await mkdirp(path.join(work, 'legacy'));
    const data = randomBytes(100_000);
    await writeFile(path.join(src, 'data.bin'), data);
    await writeFile(path.join(src, 'empty.bin'), '');
    const [full, empty] = await run(queue, [
      {
        siteKey: 'legacy',
        direction: 'upload',
        localPath: path.join(src, 'data.bin'),
        remotePath: '/legacy/data.bin',
      },
      {
        siteKey: 'legacy',
        direction: 'upload',
        localPath: path.join(src, 'empty.bin'),
        remotePath: '/legacy/empty.bin',
      },
    ]);
    await queue.dispose();
    expect(full?.state).toBe('done');
    expect(full?.verification).toBe('XSHA256');
    expect(empty?.state, JSON.stringify(empty?.error)).toBe('done');
    expect(empty?.verification).toBe('size');
    expect(empty?.sha256).toBe(EMPTY_SHA256);
    expect(await readFile(proftpd.path('legacy/empty.bin'))).toHaveLength(0);
    const log = await logWhen((l) => l.includes('cmd="XSHA256 /legacy/data.bin"'));
    expect(log).toMatch(/cmd="XSHA256 \/legacy\/data\.bin" resp="250 [0-9A-F]{64}"/);
    expect(log).not.toMatch(/cmd="X\w+ \/legacy\/empty\.bin"/);
  });
});

describe('vsftpd (no checksum command)', () => {
  it('falls back to size, still computing the local SHA-256', async () => {
    const data = randomBytes(MiB + 5);
    const src = path.join(work, 'vs-src.bin');
    await writeFile(src, data);
    const queue = newQueue(vsftpd, 'plain-size');
    const [up] = await run(queue, [
      { siteKey: 'plain-size', direction: 'upload', localPath: src, remotePath: '/vs.bin' },
    ]);
    const [down] = await run(queue, [
      {
        siteKey: 'plain-size',
        direction: 'download',
        localPath: path.join(work, 'vs-dst.bin'),
        remotePath: '/vs.bin',
      },
    ]);
    await queue.dispose();
    for (const item of [up, down]) {
      expect(item?.state).toBe('done');
      expect(item?.verification).toBe('size');
      expect(item?.sha256).toBe(sha256(data));
    }
    expect(await sha256File(vsftpd.path('vs.bin'))).toBe(sha256(data));
    expect(await sha256File(path.join(work, 'vs-dst.bin'))).toBe(sha256(data));
    expect(await vsftpd.readLog()).not.toMatch(/"(HASH|XSHA256|XCRC)/);
  });
});

describe('ProFTPD with a digest size limit (DigestMaxSize)', () => {
  it('a file above the limit is refused a checksum and verified by size, not failed', async () => {
    const limited = await startServer({
      kind: 'proftpd',
      mode: 'explicit',
      tlsMax: '1.3',
      digest: true,
      digestMaxSize: MiB,
    });
    await limited.mkdir('limited');
    const big = randomBytes(2 * MiB + 3);
    const small = randomBytes(1000);
    const src = await mkdirp(path.join(work, 'limited-src'));
    await writeFile(path.join(src, 'big.bin'), big);
    await writeFile(path.join(src, 'small.bin'), small);
    const queue = newQueue(limited, 'limited');
    const requests = ['big.bin', 'small.bin'].map((name) => ({
      siteKey: 'limited',
      direction: 'upload' as const,
      localPath: path.join(src, name),
      remotePath: `/limited/${name}`,
    }));
    const [bigUp, smallUp] = await run(queue, requests);
    const [bigDown] = await run(queue, [
      {
        siteKey: 'limited',
        direction: 'download',
        localPath: path.join(work, 'limited-dst.bin'),
        remotePath: '/limited/big.bin',
      },
    ]);
    await queue.dispose();
    for (const item of [bigUp, bigDown]) {
      expect(item?.error, JSON.stringify(item?.error)).toBeUndefined();
      expect(item?.state).toBe('done');
      expect(item?.verification).toBe('size');
      expect(item?.retries).toBe(0);
    }
    expect(smallUp?.verification).toBe('HASH SHA-256');
    expect(await sha256File(limited.path('limited/big.bin'))).toBe(sha256(big));
    expect(await sha256File(path.join(work, 'limited-dst.bin'))).toBe(sha256(big));
    const log = await limited.readLog();
    // One HASH and one legacy attempt per big file, each refused; no algorithm-by-algorithm retry.
    expect(log.match(/cmd="HASH \/limited\/big\.bin" resp="556 /g)).toHaveLength(2);
    expect(log.match(/cmd="XSHA256 \/limited\/big\.bin" resp="550 /g)).toHaveLength(2);
    expect(log).not.toMatch(/cmd="OPTS HASH SHA-512"/);
    await limited.stop();
  });
});
