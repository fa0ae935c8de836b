/**
 * The queue header's totals cover the current batch: everything queued since the queue was last
 * idle. Finished items of earlier batches are history (the Done tab), not part of "x of y".
 * Pure code: the panel keeps the batch in its state and recomputes on every queue change.
 */
import type {
  TransferItem,
  TransferProgressSample,
  TransferState,
} from '../../../shared/transfers';

/** The ids of the current batch, in the order they joined. */
export type Batch = readonly string[];

const PENDING: ReadonlySet<TransferState> = new Set([
  'queued',
  'connecting',
  'transferring',
  'verifying',
  'paused',
]);
const ACTIVE: ReadonlySet<TransferState> = new Set(['connecting', 'transferring', 'verifying']);

export const isPending = (item: TransferItem): boolean => PENDING.has(item.state);

/**
 * The batch after a queue change: while any member is pending, newly pending items join it (a
 * retried or new item); once all members have finished, the next pending items start a new one.
 * Returns `batch` itself when nothing changed, so it can live in React state.
 */
export function advanceBatch(
  batch: Batch,
  transfers: Readonly<Record<string, TransferItem>>,
  order: readonly string[],
): Batch {
  const members = batch.filter((id) => transfers[id] !== undefined);
  const running = members.some((id) => {
    const item = transfers[id];
    return item !== undefined && isPending(item);
  });
  const base = running ? members : [];
  const inBase = new Set(base);
  const joining = order.filter((id) => {
    const item = transfers[id];
    return item !== undefined && !inBase.has(id) && isPending(item);
  });
  // All finished and nothing new: keep the finished batch until something is queued.
  if (!running && joining.length === 0) {
    return members.length === batch.length ? batch : members;
  }
  const next = [...base, ...joining];
  return next.length === batch.length && next.every((id, i) => id === batch[i]) ? batch : next;
}

export interface BatchTotals {
  /** Files in the batch still to finish (queued, running or paused). */
  pending: number;
  active: number;
  /** Files of the batch that finished well (done, including skipped). */
  done: number;
  failed: number;
  files: number;
  bytesDone: number;
  bytesTotal: number;
}

/**
 * Bytes of the batch: what moved and what there is to move. A skipped file moves nothing and a
 * failed or cancelled one will not move more (until retried, when it is pending again).
 */
export function batchTotals(
  batch: Batch,
  transfers: Readonly<Record<string, TransferItem>>,
  progress: Readonly<Record<string, TransferProgressSample>>,
): BatchTotals {
  const totals: BatchTotals = {
    pending: 0,
    active: 0,
    done: 0,
    failed: 0,
    files: 0,
    bytesDone: 0,
    bytesTotal: 0,
  };
  for (const id of batch) {
    const item = transfers[id];
    if (!item) continue;
    totals.files++;
    const sample = progress[id];
    const size = item.size ?? sample?.size ?? 0;
    const moved = Math.max(item.bytesDone, sample?.bytesDone ?? 0);
    if (isPending(item)) {
      totals.pending++;
      if (ACTIVE.has(item.state)) totals.active++;
      totals.bytesTotal += Math.max(size, moved);
      totals.bytesDone += Math.min(moved, Math.max(size, moved));
    } else if (item.state === 'done') {
      totals.done++;
      if (item.skipped === undefined) {
        totals.bytesTotal += size;
        totals.bytesDone += size;
      }
    } else {
      totals.failed++;
    }
  }
  return totals;
}
