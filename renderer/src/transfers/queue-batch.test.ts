import { describe, expect, it } from 'vitest';
import type { TransferItem, TransferState } from '../../../shared/transfers';
import { advanceBatch, batchTotals, type Batch } from './queue-batch';

const MB = 1_000_000;

function item(id: string, state: TransferState, size: number, bytesDone = 0): TransferItem {
  return {
    id,
    jobId: `job-${id}`,
    siteKey: 'site',
    direction: 'download',
    localPath: `/tmp/${id}`,
    remotePath: `/${id}`,
    size,
    state,
    priority: 0,
    bytesDone,
    retries: 0,
  };
}

const byId = (...items: TransferItem[]) => Object.fromEntries(items.map((i) => [i.id, i]));

describe('queue header totals: the current batch only', () => {
  it('leaves finished history out of "x of y" (436 MB of 622 MB was history mixed in)', () => {
    // Yesterday's 400 MB finished; now a 186 MB batch runs, 36 MB of it moved.
    const old = item('old', 'done', 400 * MB, 400 * MB);
    let batch: Batch = advanceBatch([], byId(old), ['old']);
    expect(batch).toEqual([]);
    const a = item('a', 'transferring', 100 * MB, 36 * MB);
    const b = item('b', 'queued', 86 * MB);
    const transfers = byId(old, a, b);
    batch = advanceBatch(batch, transfers, ['old', 'a', 'b']);
    expect(batch).toEqual(['a', 'b']);
    const totals = batchTotals(batch, transfers, {});
    expect(totals.bytesDone).toBe(36 * MB);
    expect(totals.bytesTotal).toBe(186 * MB);
    expect(totals).toMatchObject({ files: 2, pending: 2, active: 1, done: 0 });
  });

  it('keeps finished members of a running batch, and later drops join it', () => {
    const a = item('a', 'done', 10 * MB, 10 * MB);
    const b = item('b', 'transferring', 10 * MB, 5 * MB);
    let batch: Batch = ['a', 'b'];
    const c = item('c', 'queued', 20 * MB);
    const transfers = byId(a, b, c);
    batch = advanceBatch(batch, transfers, ['a', 'b', 'c']);
    expect(batch).toEqual(['a', 'b', 'c']);
    const totals = batchTotals(batch, transfers, { b: { id: 'b', bytesDone: 7 * MB, speed: 1 } });
    expect(totals.bytesDone).toBe(17 * MB);
    expect(totals.bytesTotal).toBe(40 * MB);
    expect(totals.done).toBe(1);
  });

  it('starts a new batch once every member has finished', () => {
    const a = item('a', 'done', 10 * MB, 10 * MB);
    const f = item('f', 'failed', 5 * MB, 1 * MB);
    const batch: Batch = ['a', 'f'];
    // Nothing new: the finished batch stays (same object, no re-render).
    expect(advanceBatch(batch, byId(a, f), ['a', 'f'])).toBe(batch);
    const n = item('n', 'queued', 3 * MB);
    expect(advanceBatch(batch, byId(a, f, n), ['a', 'f', 'n'])).toEqual(['n']);
  });

  it('a retried item of history joins the running batch; cleared items leave it', () => {
    const a = item('a', 'transferring', 10 * MB);
    const r = item('r', 'queued', 4 * MB);
    expect(advanceBatch(['a'], byId(a, r), ['r', 'a'])).toEqual(['a', 'r']);
    expect(advanceBatch(['a', 'gone'], byId(a), ['a'])).toEqual(['a']);
  });

  it('skipped and failed files move no bytes', () => {
    const s = { ...item('s', 'done', 8 * MB), skipped: 'target exists' };
    const f = item('f', 'failed', 5 * MB, 2 * MB);
    const p = item('p', 'paused', 10 * MB, 4 * MB);
    const totals = batchTotals(['s', 'f', 'p'], byId(s, f, p), {});
    expect(totals).toMatchObject({ bytesDone: 4 * MB, bytesTotal: 10 * MB, done: 1, failed: 1 });
    expect(totals.pending).toBe(1);
    expect(totals.active).toBe(0);
  });
});
