/**
 * The transfer queue: ids apart from items and from per-id progress, so a progress batch (one
 * `set()`) re-renders only the rows whose entry changed.
 */
import type { StateCreator } from 'zustand';
import type {
  FileExistsQuestion,
  ProgressBatch,
  TransferItem,
  TransferProgressSample,
  TransferTotals,
} from '../../../shared/transfers';

export interface TransfersSlice {
  transferIds: string[];
  transfers: Record<string, TransferItem>;
  progress: Record<string, TransferProgressSample>;
  totals: TransferTotals;
  fileExists: FileExistsQuestion[];
  upsertTransfers: (items: TransferItem[]) => void;
  removeTransfers: (ids: string[]) => void;
  applyProgress: (batch: ProgressBatch) => void;
  pushFileExists: (question: FileExistsQuestion) => void;
  shiftFileExists: (questionId: string) => void;
}

const EMPTY_TOTALS: TransferTotals = {
  queued: 0,
  active: 0,
  done: 0,
  failed: 0,
  bytesDone: 0,
  bytesTotal: 0,
  speed: 0,
};

export const createTransfersSlice: StateCreator<TransfersSlice> = (set) => ({
  transferIds: [],
  transfers: {},
  progress: {},
  totals: EMPTY_TOTALS,
  fileExists: [],
  upsertTransfers: (items) =>
    set((s) => {
      const transfers = { ...s.transfers };
      const added: string[] = [];
      for (const item of items) {
        if (!transfers[item.id]) added.push(item.id);
        transfers[item.id] = item;
      }
      return {
        transfers,
        transferIds: added.length > 0 ? [...s.transferIds, ...added] : s.transferIds,
      };
    }),
  removeTransfers: (ids) =>
    set((s) => {
      const gone = new Set(ids);
      const transfers = { ...s.transfers };
      const progress = { ...s.progress };
      for (const id of ids) {
        delete transfers[id];
        delete progress[id];
      }
      return { transfers, progress, transferIds: s.transferIds.filter((id) => !gone.has(id)) };
    }),
  applyProgress: (batch) =>
    set((s) => {
      if (batch.samples.length === 0) return { totals: batch.totals };
      const progress = { ...s.progress };
      for (const sample of batch.samples) progress[sample.id] = sample;
      return { progress, totals: batch.totals };
    }),
  pushFileExists: (question) => set((s) => ({ fileExists: [...s.fileExists, question] })),
  shiftFileExists: (questionId) =>
    set((s) => ({ fileExists: s.fileExists.filter((q) => q.questionId !== questionId) })),
});
