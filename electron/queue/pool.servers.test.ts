import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, stopAll } from '../../test/servers/servers';
import { FtpsClient } from '../engine/client';
import { TransferQueue } from './queue';
import { describeTree, siteFor, writeLocal } from '../../test/support/queue';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ferry-pool-'));
});

afterAll(async () => {
  await stopAll();
  await rm(work, { recursive: true, force: true });
});

/**
 * Peak number of items moving bytes at once, from every state change (progress batches are
 * sampled at 10 Hz and can miss short transfers entirely on a fast machine).
 */
function peakMoving(queue: TransferQueue): { value: number } {
  const peak = { value: 0 };
  const moving = new Set<string>();
  queue.on('item', (item) => {
    if (item.state === 'transferring') moving.add(item.id);
    else moving.delete(item.id);
    peak.value = Math.max(peak.value, moving.size);
  });
  return peak;
}

describe('connection pool', () => {
  it('runs parallel transfers on ProFTPD (per-session ticket binding): every data connection resumes TLS', async () => {
    const server = await startServer({ kind: 'proftpd', mode: 'explicit', tlsMax: '1.3' });
    const src = path.join(work, 'pro-src');
    for (let i = 0; i < 24; i++)
      await writeLocal(src, `d${i % 3}/f${i}.bin`, Buffer.alloc(200_000 + i, i));
    const clients: FtpsClient[] = [];
    const queue = new TransferQueue({
      onExists: { upload: 'overwrite', download: 'overwrite' },
      connect: async (o) => {
        const client = await FtpsClient.connect(o);
        clients.push(client);
        return client;
      },
    });
    queue.setSite(siteFor(server, 'pro', { maxConnections: 4 }));
    const peak = peakMoving(queue);
    queue.add({
      siteKey: 'pro',
      direction: 'upload',
      localPath: src,
      remotePath: '/pro',
      isDirectory: true,
    });
    await queue.whenIdle();
    const back = path.join(work, 'pro-back');
    queue.add({
      siteKey: 'pro',
      direction: 'download',
      localPath: back,
      remotePath: '/pro',
      isDirectory: true,
    });
    await queue.whenIdle();
    expect(queue.list().filter((i) => i.state !== 'done')).toEqual([]);
    expect(await describeTree(back)).toEqual(await describeTree(src));
    expect(clients.length).toBe(4);
    expect(peak.value).toBeGreaterThan(1);
    const records = clients.flatMap((c) => c.dataConnections);
    expect(records.length).toBeGreaterThanOrEqual(48);
    expect(records.every((r) => r.tls && r.resumed && r.protocol === 'TLSv1.3')).toBe(true);
    expect(queue.list().every((i) => i.tlsResumed === true)).toBe(true);
    expect(await server.readLog()).not.toMatch(/did not reuse TLS session/);
    await queue.dispose();
  });

  it('keeps modification times with MFMT on upload and utimes on download (ProFTPD)', async () => {
    const server = await startServer({ kind: 'proftpd', mode: 'explicit', tlsMax: '1.3' });
    const src = path.join(work, 'times');
    await writeLocal(src, 'old.txt', Buffer.from('old'));
    const when = new Date('2001-02-03T04:05:06Z');
    const { utimes } = await import('node:fs/promises');
    await utimes(path.join(src, 'old.txt'), when, when);
    const queue = new TransferQueue({ onExists: { upload: 'overwrite', download: 'overwrite' } });
    queue.setSite(siteFor(server, 'pro'));
    queue.add({
      siteKey: 'pro',
      direction: 'upload',
      localPath: src,
      remotePath: '/times',
      isDirectory: true,
    });
    await queue.whenIdle();
    expect((await stat(server.path('times/old.txt'))).mtime.toISOString()).toBe(when.toISOString());
    const back = path.join(work, 'times-back');
    queue.add({
      siteKey: 'pro',
      direction: 'download',
      localPath: back,
      remotePath: '/times',
      isDirectory: true,
    });
    await queue.whenIdle();
    expect((await stat(path.join(back, 'old.txt'))).mtime.toISOString()).toBe(when.toISOString());
    await queue.dispose();
  });

  it('a changed connection limit applies to the running pool at once', async () => {
    const server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
    const src = path.join(work, 'relimit-src');
    for (let i = 0; i < 8; i++) await writeLocal(src, `f${i}.bin`, Buffer.alloc(400_000, i));
    const queue = new TransferQueue({ onExists: { upload: 'overwrite', download: 'overwrite' } });
    const peak = peakMoving(queue);
    const upload = async (remotePath: string): Promise<number> => {
      peak.value = 0;
      queue.add({
        siteKey: 'rl',
        direction: 'upload',
        localPath: src,
        remotePath,
        isDirectory: true,
      });
      await queue.whenIdle();
      expect(queue.list().filter((i) => i.state !== 'done')).toEqual([]);
      return peak.value;
    };
    queue.setSite(siteFor(server, 'rl', { maxConnections: 4 }));
    expect(await upload('/relimit-a')).toBeGreaterThan(1);
    // The user lowers "simultaneous transfers" while the pool is open: the next batch obeys.
    queue.setSite(siteFor(server, 'rl', { maxConnections: 1 }));
    expect(await upload('/relimit-b')).toBe(1);
    await queue.dispose();
  });

  // Each server refuses its own way: vsftpd and pure-ftpd greet with 421, ProFTPD with 530.
  it.each(['vsftpd', 'proftpd', 'pureftpd'] as const)(
    'automatic connections shrink to the server limit (%s, 2 per address) instead of failing items',
    async (kind) => {
      const server = await startServer({ kind, mode: 'explicit', tlsMax: '1.3', maxPerIp: 2 });
      const src = path.join(work, `limit-src-${kind}`);
      for (let i = 0; i < 20; i++) await writeLocal(src, `f${i}.bin`, Buffer.alloc(300_000, i));
      const logs: string[] = [];
      const queue = new TransferQueue({
        onExists: { upload: 'overwrite', download: 'overwrite' },
        retry: { baseDelayMs: 50 },
      });
      queue.on('log', (line) => logs.push(line.text));
      const upload = async (remotePath: string): Promise<void> => {
        queue.setSite(siteFor(server, 'lim', { maxConnections: 'auto' }));
        queue.add({
          siteKey: 'lim',
          direction: 'upload',
          localPath: src,
          remotePath,
          isDirectory: true,
        });
        await queue.whenIdle();
        const items = queue.list().filter((i) => i.remotePath.startsWith(`${remotePath}/`));
        expect(items).toHaveLength(20);
        expect(items.filter((i) => i.state !== 'done')).toEqual([]);
        expect(items.every((i) => i.retries === 0)).toBe(true);
        expect(await describeTree(server.path(remotePath.slice(1)))).toEqual(
          await describeTree(src),
        );
      };
      await upload('/limit');
      expect(logs.some((l) => /refused another connection/.test(l))).toBe(true);
      // The session ends and a new one starts: its pool starts at the limit the server set. (Its
      // connections close in the background; the server counts them until they are gone.)
      queue.removeSite('lim');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      logs.length = 0;
      await upload('/limit-again');
      expect(logs.filter((l) => /refused another connection/.test(l))).toEqual([]);
      await queue.dispose();
    },
  );
});

describe('a folder job whose first connection is refused', () => {
  it('waits and tries again instead of failing the folder (the old session still holds the slot)', async () => {
    const server = await startServer({
      kind: 'vsftpd',
      mode: 'explicit',
      tlsMax: '1.3',
      maxPerIp: 1,
    });
    for (let i = 0; i < 5; i++) await server.writeFile(`held/f${i}.bin`, `file ${i}`);
    // Another connection holds the server's only slot, as a session that is still closing does.
    const holder = await FtpsClient.connect(siteFor(server).connect);
    const queue = new TransferQueue({
      onExists: { upload: 'overwrite', download: 'overwrite' },
      retry: { baseDelayMs: 100, maxDelayMs: 200 },
    });
    queue.setSite(siteFor(server, 'held', { maxConnections: 'auto' }));
    const back = path.join(work, 'held-back');
    queue.add({
      siteKey: 'held',
      direction: 'download',
      localPath: back,
      remotePath: '/held',
      isDirectory: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await holder.close();
    await queue.whenIdle();
    expect(queue.listJobs().map((job) => job.error)).toEqual([undefined]);
    expect(queue.list().filter((i) => i.state === 'done')).toHaveLength(5);
    expect(await describeTree(back)).toEqual(await describeTree(server.path('held')));
    await queue.dispose();
  });
});
