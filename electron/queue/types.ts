import type { CertificateReport } from '../../shared/models';
import type { ConnectionLimit } from '../../shared/settings-limits';
import type {
  FileExistsAction,
  FileExistsAnswer,
  FileExistsQuestion,
  ProgressBatch,
  TransferDirection,
  TransferItem,
} from '../../shared/transfers';
import type { FtpsClient } from '../engine/client';
import type { ConnectOptions } from '../engine/types';
import type { RetryPolicy } from './backoff';
import type { SegmentPolicy } from './segments';

/** How to reach one site. Not persisted: the owner registers sites again after a restart. */
export interface SiteConfig {
  key: string;
  connect: Omit<ConnectOptions, 'connectionId'>;
  /** Control connections for this site: 1–10 or "auto" (pool.ts AUTO_CONNECTIONS); default 4. */
  maxConnections?: ConnectionLimit;
  /**
   * SHA-256 of the certificate the owner already accepted for this site (e.g. the browsing
   * session's): connections presenting it need no decision, a different one is a change.
   */
  trustedFingerprint256?: string;
  /**
   * Connections one large download may use at once (REST ranges, as lftp's `pget -n`); 1 turns
   * segmenting off for the site. Default: the queue's `segments.connections`, else all of the
   * site's connections.
   */
  segments?: number;
}

/** What the user asked for: one file or a whole folder, in one direction. */
export interface JobRequest {
  siteKey: string;
  direction: TransferDirection;
  /** Source for uploads, destination (full path including the name) for downloads. */
  localPath: string;
  /** Destination for uploads, source for downloads. */
  remotePath: string;
  /** A folder: expanded lazily into file items (empty folders are created too). */
  isDirectory?: boolean;
  priority?: number;
  /** Overrides the queue's default file-exists action for this job. */
  onExists?: FileExistsAction;
  /**
   * The jobs added together (one drop, one queue command) share it: "apply to all" in a
   * file-exists question covers this batch only, not later ones. Without it, the job alone.
   */
  batchId?: string;
}

/** A job as persisted: the request plus how far its expansion got. */
export interface JobRecord extends JobRequest {
  id: string;
  /** Folder jobs: every file item has been created. */
  expanded: boolean;
  /** Folder jobs whose expansion failed: the reason. */
  error?: TransferItem['error'];
  /** Persisted only: files of a still-expanding job that already finished (not walked again). */
  finished?: string[];
}

export interface CertificateChange {
  siteKey: string;
  /** SHA-256 of the certificate the site's earlier connections used. */
  previousFingerprint256: string;
  fingerprint256: string;
  report?: CertificateReport;
}

export interface QueueEvents {
  /** An item changed state (or its result fields). */
  item: (item: TransferItem) => void;
  /** At most one batch per progress interval (≥ 100 ms). */
  progress: (batch: ProgressBatch) => void;
  /** The file-exists policy is "ask": answer with `answerFileExists`. */
  question: (question: FileExistsQuestion) => void;
  /** A site's certificate changed between connections: its items stopped; answer with `answerCertificate`. */
  certificate: (change: CertificateChange) => void;
  /** A folder job finished expanding (or failed to). */
  job: (job: JobRecord) => void;
  /** Informational lines (reconnects, pool shrinking, rejected names). */
  log: (line: { level: 'info' | 'warning' | 'error'; text: string; siteKey?: string }) => void;
  /** Nothing queued or running any more. */
  idle: () => void;
}

export type Connector = (options: ConnectOptions) => Promise<FtpsClient>;

export interface QueueOptions {
  /** Where the queue is persisted (JSON, atomic writes); no persistence without it. */
  statePath?: string;
  /** Transfers across all sites at once (default 10). */
  globalLimit?: number;
  /** Default file-exists actions (default: ask for both). */
  onExists?: { upload: FileExistsAction; download: FileExistsAction };
  retry?: Partial<RetryPolicy>;
  /** Progress batch interval, at least 100 ms (default 200). */
  progressIntervalMs?: number;
  /** Keep modification times (MFMT after uploads, utimes after downloads). Default true. */
  preserveTimes?: boolean;
  /** Verify every file after transfer (default true). */
  verify?: boolean;
  /**
   * Where local digests of large files (8 MiB and up) are computed: in a worker thread from the
   * file (default, keeps the main thread free), or on the main thread while the bytes stream
   * through. Smaller files are always hashed as they stream.
   */
  hashIn?: 'worker' | 'stream';
  /** Compute a local SHA-256 of every file even when the server offers no hash (for reports). */
  computeSha256?: boolean;
  /** Start paused (items wait for `start()`); default false. */
  startPaused?: boolean;
  /**
   * Segmented downloads: connections per large file (default: the site's connection count) and
   * the size from which a download is split (see segments.ts for the defaults).
   */
  segments?: Partial<SegmentPolicy> & { connections?: number };
  /** Replaces FtpsClient.connect (tests). */
  connect?: Connector;
}

export type { FileExistsAnswer };
