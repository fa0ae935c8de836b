/** The transfer queue's model, shared by the queue (main process), the CLI and the renderer. */

import type { FerryErrorDetail } from './errors';

export type TransferDirection = 'upload' | 'download';

export type TransferState =
  | 'queued'
  | 'connecting'
  | 'transferring'
  | 'verifying'
  | 'done'
  | 'failed'
  | 'cancelled'
  | 'paused';

/** States in which an item holds a connection (a restart puts them back to `queued`). */
export const ACTIVE_TRANSFER_STATES: ReadonlySet<TransferState> = new Set([
  'connecting',
  'transferring',
  'verifying',
]);

export type FileExistsAction =
  | 'ask'
  | 'overwrite'
  | 'overwrite-if-newer'
  | 'overwrite-if-size-differs'
  | 'overwrite-if-size-differs-or-newer'
  | 'resume'
  | 'rename'
  | 'skip';

/** Every file-exists policy that decides by itself (all but asking). */
export const FILE_EXISTS_DECISIONS: readonly Exclude<FileExistsAction, 'ask'>[] = [
  'overwrite',
  'overwrite-if-newer',
  'overwrite-if-size-differs',
  'overwrite-if-size-differs-or-newer',
  'resume',
  'rename',
  'skip',
];
export const FILE_EXISTS_ACTIONS: readonly FileExistsAction[] = ['ask', ...FILE_EXISTS_DECISIONS];

export type VerificationMethod =
  | 'HASH SHA-256'
  | 'HASH SHA-512'
  | 'HASH SHA-1'
  | 'HASH MD5'
  | 'XSHA256'
  | 'XSHA1'
  | 'XMD5'
  | 'XCRC'
  | 'size';

export interface TransferItem {
  id: string;
  /** The job this item came from (a folder job expands into many items). */
  jobId: string;
  siteKey: string;
  direction: TransferDirection;
  localPath: string;
  remotePath: string;
  /** Bytes expected, when known. */
  size?: number;
  state: TransferState;
  priority: number;
  bytesDone: number;
  retries: number;
  verification?: VerificationMethod;
  sha256?: string;
  /** Whether this item's data connections resumed the control connection's TLS session. */
  tlsResumed?: boolean;
  error?: FerryErrorDetail;
  /** Set when the file-exists policy skipped the item (state `done`): why. */
  skipped?: string;
  /** Offsets this item's attempts resumed from (REST/APPE), in order. */
  resumedAt?: number[];
  /** For items of a folder job: the path below the job's root (`sub/dir/file`). */
  relativePath?: string;
  /** Downloads: the temp file this item created and writes (resumed from after a fault). */
  partPath?: string;
  /** Segmented downloads: the byte ranges fetched in parallel and how much of each is written. */
  segments?: SegmentProgress[];
}

/** One range of a segmented download: bytes `start` to `end` (exclusive), `done` of them written. */
export interface SegmentProgress {
  start: number;
  end: number;
  done: number;
}

export interface TransferProgressSample {
  id: string;
  bytesDone: number;
  size?: number;
  /** Bytes per second over the last few seconds. */
  speed: number;
  /** Seconds left, when the size is known and speed > 0. */
  etaSeconds?: number;
}

export interface TransferTotals {
  queued: number;
  active: number;
  done: number;
  failed: number;
  bytesDone: number;
  bytesTotal: number;
  speed: number;
}

export interface ProgressBatch {
  samples: TransferProgressSample[];
  totals: TransferTotals;
}

export interface FileExistsQuestion {
  questionId: string;
  itemId: string;
  direction: TransferDirection;
  source: { path: string; size?: number; modified?: string };
  target: { path: string; size?: number; modified?: string };
}

export interface FileExistsAnswer {
  questionId: string;
  action: Exclude<FileExistsAction, 'ask'>;
  applyToAll: boolean;
}
