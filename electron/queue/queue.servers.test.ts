import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { FtpsClient } from '../engine/client';
import { FaultProxy } from '../../test/support/fault-proxy';
import { TransferQueue } from './queue';
import {
  describeTree,
  exists,
  makeTree,
  partFiles,
  sha256File,
  siteFor,
  writeLocal,
} from '../../test/support/queue';

let server: RunningServer;
let work: string;

beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  work = await mkdtemp(path.join(tmpdir(), 'ferry-queue-'));
});

afterAll(async () => {
  await stopAll();
  await rm(work, { recursive: true, force: true });
});

function newQueue(extra: ConstructorParameters<typeof TransferQueue>[0] = {}): TransferQueue {
  const queue = new TransferQueue({
    retry: { baseDelayMs: 50, maxDelayMs: 200 },
    computeSha256: true,
    ...extra,
  });
  queue.setSite(siteFor(server, 'vs'));
  return queue;
}

describe('recursive mirror', () => {
  it('uploads and downloads a tree with nested, empty and Unicode-named folders, file by file', async () => {
    const source = path.join(work, 'tree-src');
    await makeTree(
      (rel, data) => writeLocal(source, rel, data),
      (rel) => mkdir(path.join(source, ...rel.split('/')), { recursive: true }),
    );
    const queue = newQueue({ onExists: { upload: 'overwrite', download: 'overwrite' } });
    queue.add({
      siteKey: 'vs',
      direction: 'upload',
      localPath: source,
      remotePath: '/up tree',
      isDirectory: true,
    });
    await queue.whenIdle();
    const uploaded = queue.list();
    expect(uploaded.filter((i) => i.state !== 'done')).toEqual([]);
    const want = await describeTree(source);
    const onServer = await describeTree(server.path('up tree'));
    expect(onServer).toEqual(want);
    for (const item of uploaded) {
      expect(item.verification).toBe('size');
      expect(item.sha256).toBe(want.files.get(item.relativePath ?? ''));
      expect(item.tlsResumed, item.relativePath).toBe(true);
    }

    const dest = path.join(work, 'tree-dst');
    queue.add({
      siteKey: 'vs',
      direction: 'download',
      localPath: dest,
      remotePath: '/up tree',
      isDirectory: true,
    });
    await queue.whenIdle();
    expect(queue.list().filter((i) => i.state !== 'done')).toEqual([]);
    expect(await describeTree(dest)).toEqual(want);
    expect(await partFiles(dest)).toEqual([]);
    await queue.dispose();
  });

  it('refuses names from the server that would land outside the chosen folder', async () => {
    // A hostile listing cannot be made by vsftpd; the walker's rules are unit-tested in
    // tree-walker.test.ts. Here: a name with a backslash, legal on the server, is rejected.
    await server.writeFile('odd/a\\..\\b.txt', 'x');
    await server.writeFile('odd/fine.txt', 'y');
    const queue = newQueue({ onExists: { upload: 'overwrite', download: 'overwrite' } });
    const dest = path.join(work, 'odd');
    queue.add({
      siteKey: 'vs',
      direction: 'download',
      localPath: dest,
      remotePath: '/odd',
      isDirectory: true,
    });
    await queue.whenIdle();
    const items = queue.list();
    expect(items.find((i) => i.relativePath === 'fine.txt')?.state).toBe('done');
    const bad = items.find((i) => i.relativePath?.includes('\\'));
    expect(bad?.state).toBe('failed');
    expect(bad?.error?.kind).toBe('unsafe-input');
    expect(await exists(path.join(work, 'b.txt'))).toBe(false);
    await queue.dispose();
  });
});

describe('folder expansion', () => {
  it('starts moving files of a 3,000-file folder before it has walked it all', async () => {
    const source = path.join(work, 'many files');
    for (let d = 0; d < 30; d++) {
      await mkdir(path.join(source, `d${d}`), { recursive: true });
      for (let f = 0; f < 100; f++) {
        await writeFile(path.join(source, `d${d}`, `f${f}.txt`), `${d}/${f}\n`);
      }
    }
    const queue = newQueue({ onExists: { upload: 'overwrite', download: 'overwrite' } });
    let known: number | undefined;
    let expanded: boolean | undefined;
    const firstDone = new Promise<void>((resolve) => {
      queue.on('item', (item) => {
        if (item.state !== 'done' || known !== undefined) return;
        known = queue.list().length;
        expanded = queue.listJobs()[0]?.expanded;
        resolve();
      });
    });
    const jobId = queue.add({
      siteKey: 'vs',
      direction: 'upload',
      localPath: source,
      remotePath: '/many files',
      isDirectory: true,
    });
    await firstDone;
    queue.cancelJob(jobId);
    await queue.whenIdle();
    await queue.dispose();
    // The walk is pulled in batches of 500 and only topped up as the queue drains: when the
    // first file is on the server, one batch is known, not the whole tree.
    expect(expanded).toBe(false);
    expect(known).toBe(500);
    const onServer = await describeTree(server.path('many files'));
    expect(onServer.files.size).toBeLessThan(3000);
  });
});

describe('file-exists policies', () => {
  const cases = [
    // [action, local (target) content, local mtime offset s, expect overwritten]
    ['overwrite', 'old', -100, true],
    ['skip', 'old', -100, false],
    ['overwrite-if-newer', 'old', -100, true],
    ['overwrite-if-newer', 'old', +100, false],
    ['overwrite-if-size-differs', 'older', -100, true],
    ['overwrite-if-size-differs', 'NEW', -100, false],
    ['overwrite-if-size-differs-or-newer', 'NEW', +100, false],
    ['overwrite-if-size-differs-or-newer', 'NEW', -100, true],
  ] as const;
  for (const [action, local, skew, overwritten] of cases) {
    it(`download ${action} (${local}, ${skew > 0 ? 'target newer' : 'source newer'})`, async () => {
      const remote = `/policy/${action}-${local}-${skew}.txt`;
      await server.writeFile(remote.slice(1), 'NEW');
      const remoteTime = (await stat(server.path(remote.slice(1)))).mtime.getTime();
      const target = path.join(work, 'policy', `${action}-${local}-${skew}.txt`);
      await writeLocal(path.dirname(target), path.basename(target), Buffer.from(local));
      const { utimes } = await import('node:fs/promises');
      const t = new Date(remoteTime + skew * 1000);
      await utimes(target, t, t);
      const queue = newQueue({ onExists: { upload: 'ask', download: action } });
      queue.add({ siteKey: 'vs', direction: 'download', localPath: target, remotePath: remote });
      await queue.whenIdle();
      const [item] = queue.list();
      expect(item?.state).toBe('done');
      expect(await readFile(target, 'utf8')).toBe(overwritten ? 'NEW' : local);
      expect(Boolean(item?.skipped)).toBe(!overwritten);
      await queue.dispose();
    });
  }

  it('upload: resume appends the missing tail, rename keeps both, skip leaves the server file', async () => {
    const data = Buffer.alloc(300_000, 7);
    data.write('tail', 299_990);
    const src = path.join(work, 'resume-src.bin');
    await writeFile(src, data);
    await server.writeFile('up-policy/resume.bin', data.subarray(0, 120_000));
    await server.writeFile('up-policy/rename.bin', 'other');
    await server.writeFile('up-policy/skip.bin', 'keep');
    const queue = newQueue({ onExists: { upload: 'resume', download: 'ask' } });
    queue.add({
      siteKey: 'vs',
      direction: 'upload',
      localPath: src,
      remotePath: '/up-policy/resume.bin',
    });
    queue.add({
      siteKey: 'vs',
      direction: 'upload',
      localPath: src,
      remotePath: '/up-policy/rename.bin',
      onExists: 'rename',
    });
    queue.add({
      siteKey: 'vs',
      direction: 'upload',
      localPath: src,
      remotePath: '/up-policy/skip.bin',
      onExists: 'skip',
    });
    await queue.whenIdle();
    const items = queue.list();
    expect(items.map((i) => i.state)).toEqual(['done', 'done', 'done']);
    expect(items[0]?.resumedAt).toEqual([120_000]);
    expect(await sha256File(server.path('up-policy/resume.bin'))).toBe(await sha256File(src));
    expect(await readFile(server.path('up-policy/rename.bin'), 'utf8')).toBe('other');
    expect(items[1]?.remotePath).toBe('/up-policy/rename (1).bin');
    expect(await sha256File(server.path('up-policy/rename (1).bin'))).toBe(await sha256File(src));
    expect(await readFile(server.path('up-policy/skip.bin'), 'utf8')).toBe('keep');
    await queue.dispose();
  });

  it('download resume keeps the partial file and rename picks a free name', async () => {
    const data = Buffer.alloc(500_000, 3);
    await server.writeFile('dl-policy/big.bin', data);
    const dir = path.join(work, 'dl-policy');
    await writeLocal(dir, 'big.bin', data.subarray(0, 200_000));
    await writeLocal(dir, 'other.bin', Buffer.from('mine'));
    const queue = newQueue({ onExists: { upload: 'ask', download: 'resume' } });
    queue.add({
      siteKey: 'vs',
      direction: 'download',
      localPath: path.join(dir, 'big.bin'),
      remotePath: '/dl-policy/big.bin',
    });
    queue.add({
      siteKey: 'vs',
      direction: 'download',
      localPath: path.join(dir, 'other.bin'),
      remotePath: '/dl-policy/big.bin',
      onExists: 'rename',
    });
    await queue.whenIdle();
    const items = queue.list();
    expect(items[0]?.resumedAt).toEqual([200_000]);
    expect(await sha256File(path.join(dir, 'big.bin'))).toBe(
      await sha256File(server.path('dl-policy/big.bin')),
    );
    expect(await readFile(path.join(dir, 'other.bin'), 'utf8')).toBe('mine');
    expect(items[1]?.localPath).toBe(path.join(dir, 'other (1).bin'));
    expect((await stat(path.join(dir, 'other (1).bin'))).size).toBe(500_000);
    await queue.dispose();
  });

  it('ask raises a question; the answer with "apply to all" settles the others', async () => {
    const dir = path.join(work, 'ask');
    for (const name of ['1.txt', '2.txt', '3.txt']) {
      await server.writeFile(`ask/${name}`, 'server');
      await writeLocal(dir, name, Buffer.from('local'));
    }
    const queue = newQueue({ onExists: { upload: 'ask', download: 'ask' } });
    const questions: string[] = [];
    queue.on('question', (q) => {
      questions.push(q.target.path);
      if (questions.length === 1)
        queue.answerFileExists({ questionId: q.questionId, action: 'overwrite', applyToAll: true });
    });
    queue.add({
      siteKey: 'vs',
      direction: 'download',
      localPath: dir,
      remotePath: '/ask',
      isDirectory: true,
    });
    await queue.whenIdle();
    expect(questions.length).toBeGreaterThanOrEqual(1);
    for (const name of ['1.txt', '2.txt', '3.txt'])
      expect(await readFile(path.join(dir, name), 'utf8')).toBe('server');
    await queue.dispose();
  });
});

describe('control', () => {
  it('pauses and resumes a running download from its .part, and cancels with ABOR leaving the session usable', async () => {
    await server.writeFile('ctl/big.bin', Buffer.alloc(12 * 1024 * 1024, 1));
    // Data through a throttling proxy (~4 MB/s): on a fast machine an unthrottled download
    // finishes before the pause or cancel lands, and the test would race the loopback.
    const proxy = await FaultProxy.start({
      controlPort: server.port,
      passivePorts: server.pasvPorts,
    });
    proxy.throttle(4_000_000);
    const dest = path.join(work, 'ctl', 'big.bin');
    await mkdir(path.dirname(dest), { recursive: true });
    const clients: FtpsClient[] = [];
    const queue = new TransferQueue({
      onExists: { upload: 'overwrite', download: 'overwrite' },
      connect: async (o) => {
        const c = await FtpsClient.connect(o);
        clients.push(c);
        return c;
      },
    });
    queue.setSite(siteFor(server, 'vs', { host: proxy.host, maxConnections: 1 }));
    const id = (() => {
      queue.add({
        siteKey: 'vs',
        direction: 'download',
        localPath: dest,
        remotePath: '/ctl/big.bin',
      });
      return queue.list()[0]?.id ?? '';
    })();
    await waitFor(() => (queue.get(id)?.bytesDone ?? 0) > 2 * 1024 * 1024);
    queue.pause(id);
    await waitFor(() => queue.get(id)?.state === 'paused');
    const part = queue.get(id)?.partPath ?? '';
    expect(path.dirname(part)).toBe(path.dirname(dest));
    const partSize = (await stat(part)).size;
    expect(partSize).toBeGreaterThan(0);
    expect(await exists(dest)).toBe(false);
    proxy.throttle(undefined);
    queue.resume(id);
    await queue.whenIdle();
    const item = queue.get(id);
    expect(item?.state).toBe('done');
    expect(item?.resumedAt?.[0]).toBeGreaterThan(0);
    expect(await sha256File(dest)).toBe(await sha256File(server.path('ctl/big.bin')));

    // Cancel mid-transfer: ABOR, no .part left, and the same connection lists right after.
    const again = path.join(work, 'ctl', 'again.bin');
    proxy.throttle(4_000_000);
    queue.add({
      siteKey: 'vs',
      direction: 'download',
      localPath: again,
      remotePath: '/ctl/big.bin',
    });
    const second = queue.list().find((i) => i.localPath === again);
    await waitFor(() => (queue.get(second?.id ?? '')?.bytesDone ?? 0) > 1024 * 1024);
    queue.cancel(second?.id ?? '');
    const againPart = queue.get(second?.id ?? '')?.partPath ?? '';
    await waitFor(() => queue.get(second?.id ?? '')?.state === 'cancelled');
    expect(againPart).not.toBe('');
    expect(await exists(againPart)).toBe(false);
    expect((await readdir(path.dirname(again))).filter((n) => n.endsWith('.part'))).toEqual([]);
    expect(await exists(again)).toBe(false);
    const live = clients.filter((c) => !c.closed);
    expect(live.length).toBe(1);
    expect((await live[0]?.list('/ctl'))?.map((e) => e.name)).toContain('big.bin');
    expect(await server.readLog()).toMatch(/ABOR/);
    await queue.dispose();
    await proxy.stop();
  });

  it('restarts from its persisted file and finishes what was left', async () => {
    const statePath = path.join(work, 'state', 'queue.json');
    const src = path.join(work, 'restart-src');
    for (let i = 0; i < 6; i++)
      await writeLocal(src, `f${i}.bin`, Buffer.alloc(3 * 1024 * 1024, i));
    const first = newQueue({
      statePath,
      startPaused: true,
      onExists: { upload: 'overwrite', download: 'overwrite' },
    });
    first.add({
      siteKey: 'vs',
      direction: 'upload',
      localPath: src,
      remotePath: '/restart',
      isDirectory: true,
      priority: 2,
    });
    await first.dispose();
    const saved = JSON.parse(await readFile(statePath, 'utf8')) as { jobs: unknown[] };
    expect(saved.jobs).toHaveLength(1);
    const second = await TransferQueue.open({
      statePath,
      retry: { baseDelayMs: 50 },
      onExists: { upload: 'overwrite', download: 'overwrite' },
    });
    second.setSite(siteFor(server, 'vs'));
    await second.whenIdle();
    expect(second.list().filter((i) => i.state === 'done')).toHaveLength(6);
    expect(await describeTree(server.path('restart'))).toEqual(await describeTree(src));
    await second.dispose();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
