import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteEntry } from '../../shared/models';
import type { ProgressBatch } from '../../shared/transfers';
import { backoffDelay, classifyFailure } from './backoff';
import { decideFileExists, pickFreeName, timeDecides } from './file-exists';
import { loadSnapshot } from './persistence';
import { writeFileAtomic } from '../files/atomic-json';
import { ProgressSampler } from './progress';
import { walkRemote, type WalkEntry } from './tree-walker';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ferry-units-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file-exists policy', () => {
  const src = { size: 10, modifiedMs: 10_000 };
  it('asks for a time (an MDTM round trip) only where it can change the decision', () => {
    const same = { size: 10 };
    const other = { size: 11 };
    expect(timeDecides('overwrite-if-size-differs-or-newer', src, same)).toBe(true);
    expect(timeDecides('overwrite-if-size-differs-or-newer', src, other)).toBe(false);
    expect(timeDecides('overwrite-if-newer', src, other)).toBe(true);
    expect(timeDecides('ask', src, other)).toBe(true);
    for (const action of [
      'overwrite',
      'skip',
      'rename',
      'resume',
      'overwrite-if-size-differs',
    ] as const)
      expect(timeDecides(action, src, same)).toBe(false);
    // Whatever the times, a size difference alone decides "size differs or newer".
    for (const target of [
      { size: 11, modifiedMs: 0 },
      { size: 11, modifiedMs: 99_000 },
    ])
      expect(decideFileExists('overwrite-if-size-differs-or-newer', src, target).action).toBe(
        'overwrite',
      );
  });
  it('decides each action', () => {
    expect(decideFileExists('overwrite', src, { size: 10, modifiedMs: 10_000 })).toEqual({
      action: 'overwrite',
    });
    expect(decideFileExists('skip', src, {}).action).toBe('skip');
    expect(decideFileExists('rename', src, {}).action).toBe('rename');
    expect(decideFileExists('ask', src, {}).action).toBe('ask');
    expect(decideFileExists('overwrite-if-newer', src, { modifiedMs: 5_000 }).action).toBe(
      'overwrite',
    );
    expect(decideFileExists('overwrite-if-newer', src, { modifiedMs: 9_500 }).action).toBe('skip');
    expect(decideFileExists('overwrite-if-newer', src, {}).action).toBe('overwrite');
    expect(decideFileExists('overwrite-if-size-differs', src, { size: 9 }).action).toBe(
      'overwrite',
    );
    expect(decideFileExists('overwrite-if-size-differs', src, { size: 10 }).action).toBe('skip');
    expect(
      decideFileExists('overwrite-if-size-differs-or-newer', src, { size: 10, modifiedMs: 0 })
        .action,
    ).toBe('overwrite');
    expect(
      decideFileExists('overwrite-if-size-differs-or-newer', src, { size: 10, modifiedMs: 20_000 })
        .action,
    ).toBe('skip');
    expect(decideFileExists('resume', src, { size: 4 })).toEqual({ action: 'resume', offset: 4 });
    expect(decideFileExists('resume', src, { size: 10 }).action).toBe('skip');
    expect(decideFileExists('resume', src, { size: 11 }).action).toBe('overwrite');
  });

  it('picks a free name', async () => {
    const taken = new Set(['a (1).txt', 'a (2).txt']);
    expect(await pickFreeName('a.txt', (c) => Promise.resolve(taken.has(c)))).toBe('a (3).txt');
    expect(await pickFreeName('README', () => Promise.resolve(false))).toBe('README (1)');
    expect(await pickFreeName('.profile', () => Promise.resolve(false))).toBe('.profile (1)');
  });
});

describe('failure classes and backoff', () => {
  it('retries drops and 4xx, fails 5xx and local errors', () => {
    expect(
      classifyFailure({ kind: 'ftp-reply', step: 's', command: 'RETR', code: 426, text: '' }),
    ).toBe('transient');
    expect(
      classifyFailure({ kind: 'ftp-reply', step: 's', command: 'RETR', code: 421, text: '' }),
    ).toBe('transient');
    expect(
      classifyFailure({ kind: 'ftp-reply', step: 's', command: 'RETR', code: 550, text: '' }),
    ).toBe('permanent');
    expect(classifyFailure({ kind: 'closed', step: 's', reason: '' })).toBe('transient');
    expect(classifyFailure({ kind: 'timeout', step: 's', ms: 1 })).toBe('transient');
    expect(classifyFailure({ kind: 'auth', step: 's', code: 530, text: '' })).toBe('site');
    expect(
      classifyFailure({ kind: 'local-fs', step: 's', path: '/', code: 'EACCES', reason: '' }),
    ).toBe('permanent');
  });
  it('backs off exponentially within bounds', () => {
    const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, policy, () => 0.5)).toBe(100);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
    expect(backoffDelay(10, policy, () => 0.5)).toBe(1000);
    expect(backoffDelay(10, policy, () => 1)).toBe(1250);
  });
});

describe('remote walker', () => {
  it('rejects names that could escape the local folder and never lists through them', async () => {
    const listing: Record<string, RemoteEntry[]> = {
      '/r': [
        { name: 'ok.txt', kind: 'file', size: 1 },
        { name: '../../etc/passwd', kind: 'file', size: 1 },
        { name: '..', kind: 'dir' },
        { name: 'evil\\..\\x', kind: 'dir' },
        { name: 'sub', kind: 'dir' },
        { name: 'ctl\u0001', kind: 'file' },
      ],
      '/r/sub': [
        { name: 'deep file.txt', kind: 'file', size: 2, modified: '2020-01-01T00:00:00Z' },
      ],
    };
    const listed: string[] = [];
    const out: WalkEntry[] = [];
    for await (const entry of walkRemote((p) => {
      listed.push(p);
      return Promise.resolve(listing[p] ?? []);
    }, '/r'))
      out.push(entry);
    expect(listed).toEqual(['/r', '/r/sub']);
    expect(out.filter((e) => e.kind === 'file').map((e) => e.relative)).toEqual([
      'ok.txt',
      'sub/deep file.txt',
    ]);
    expect(out.filter((e) => e.kind === 'rejected').map((e) => e.relative)).toEqual([
      '../../etc/passwd',
      'evil\\..\\x',
      'ctl\u0001',
    ]);
    expect(out.filter((e) => e.kind === 'dir').map((e) => e.relative)).toEqual(['', 'sub']);
  });
});

describe('progress sampler', () => {
  it('sends at most one batch per interval (never above 10 Hz) with speed and ETA', async () => {
    const batches: Array<{ at: number; batch: ProgressBatch }> = [];
    const sampler = new ProgressSampler(
      (batch) => batches.push({ at: performance.now(), batch }),
      () => ({ queued: 0, active: 1, done: 0, failed: 0, bytesDone: 0, bytesTotal: 1000 }),
      50, // asks for 20 Hz: clamped to 10 Hz
    );
    const start = performance.now();
    let bytes = 0;
    while (performance.now() - start < 1100) {
      bytes += 1000;
      sampler.update('a', bytes, 10_000_000);
      await new Promise((r) => setTimeout(r, 1));
    }
    sampler.stop();
    expect(batches.length).toBeLessThanOrEqual(12);
    expect(batches.length).toBeGreaterThanOrEqual(8);
    for (let i = 1; i < batches.length - 1; i++) {
      expect((batches[i]?.at ?? 0) - (batches[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(90);
    }
    const last = batches[batches.length - 2]?.batch.samples[0];
    expect(last?.speed).toBeGreaterThan(0);
    expect(last?.etaSeconds).toBeGreaterThan(0);
  });

  it('sends new totals when an item changes state without moving bytes', async () => {
    const batches: ProgressBatch[] = [];
    let done = 0;
    const sampler = new ProgressSampler(
      (batch) => batches.push(batch),
      () => ({ queued: 1 - done, active: 0, done, failed: 0, bytesDone: 0, bytesTotal: 0 }),
      100,
    );
    done = 1; // e.g. skipped by the file-exists policy
    sampler.countsMoved();
    await new Promise((r) => setTimeout(r, 250));
    sampler.stop();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.samples).toEqual([]);
    expect(batches[0]?.totals.done).toBe(1);
  });
});

describe('persistence', () => {
  it('writes atomically and sets a corrupt file aside', async () => {
    const file = path.join(dir, 'q', 'queue.json');
    await writeFileAtomic(file, JSON.stringify({ version: 1, jobs: [], items: [] }));
    expect(await loadSnapshot(file)).toEqual({ version: 1, jobs: [], items: [] });
    expect((await readdir(path.dirname(file))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await writeFile(file, '{"version":1,"jobs":[');
    expect(await loadSnapshot(file)).toBeUndefined();
    expect(await readFile(`${file}.corrupt`, 'utf8')).toContain('version');
    expect(await loadSnapshot(path.join(dir, 'none.json'))).toBeUndefined();
  });
});
