// The state one item's attempts share (what was learnt about the source, what the server refused,
// whether the target may be replaced) and the steps every attempt ends with: digests, the TLS
// note, verification.
import type { FerryErrorDetail } from '../../shared/errors';
import type {
  FileExistsAction,
  FileExistsQuestion,
  TransferItem,
  VerificationMethod,
} from '../../shared/transfers';
import type { FtpsClient } from '../engine/client';
import { FerryError } from '../engine/errors';
import type { TransferOptions, TransferResult } from '../engine/types';
import { discardTemp } from '../files/download-target';
import type { RetryPolicy } from './backoff';
import { isCoarseTime, type FileFacts } from './file-exists';
import type { SitePool } from './pool';
import type { BorrowedClient, Probe } from './segmented';
import type { SegmentPolicy } from './segments';
import { remoteSize } from './target';
import { algorithmFor, Digests, digestFileRange, sameDigest, type LocalAlgorithm } from './verify';

export interface RunSettings {
  verify: boolean;
  computeSha256: boolean;
  preserveTimes: boolean;
  retry: RetryPolicy;
  /**
   * Where digests are computed: in a worker thread from the file (default), or on the main
   * thread as the bytes stream through (see docs/BENCH.md for what each costs).
   */
  hashIn: 'worker' | 'stream';
  /** When a download is large enough to fetch in ranges over several connections. */
  segmentPolicy: SegmentPolicy;
}

export interface RunContext {
  item: TransferItem;
  /** The folder the user chose: downloads land below it, never through a symbolic link. */
  root: string;
  action: FileExistsAction;
  /** Facts about the source known from a folder walk (saves a SIZE/MDTM round trip). */
  source?: FileFacts;
  pool: SitePool;
  settings: RunSettings;
  /** Aborted by cancel or pause; the reason says which. */
  signal: AbortSignal;
  setState: (state: 'connecting' | 'transferring' | 'verifying') => void;
  onBytes: (bytesDone: number, size?: number) => void;
  ask: (
    question: Omit<FileExistsQuestion, 'questionId'>,
  ) => Promise<Exclude<FileExistsAction, 'ask'>>;
  log: (level: 'info' | 'warning', text: string) => void;
  /** Connections one large download may use at once (1: never segmented). */
  segmentConnections: number;
  /** Another connection of the site for a segment, when the site and global limits allow one. */
  borrow: () => Promise<BorrowedClient | undefined>;
}

export type RunOutcome =
  | { state: 'done' }
  | { state: 'skipped'; reason: string }
  | { state: 'failed'; error: FerryErrorDetail }
  | { state: 'aborted' }
  /** Not started for a reason that is not the item's fault (pool shrank): queue it again. */
  | { state: 'requeue' };

/** Files from this size up are hashed in a worker (hashIn: 'worker'); smaller ones as they stream. */
export const WORKER_HASH_MIN_BYTES = 8 * 1024 * 1024;

export class ItemState {
  noProgress = 0;
  /** A verification failed: the destination's bytes cannot be trusted, start from zero. */
  restart = false;
  sourceFacts: FileFacts | undefined;
  askedSourceTime = false;
  /** The file-exists decision allows replacing the download's target. */
  mayReplace = false;
  /** The server refused REST once: every attempt starts from zero. */
  restRefused = false;
  /** Segmenting failed its checks once (REST ignored, a bad checksum): fetch the file whole. */
  segmentsOff = false;
  /** Range probes of this item not yet compared with the file (segmented.ts). */
  probes: Probe[] = [];

  constructor(readonly ctx: RunContext) {
    this.sourceFacts = ctx.source;
  }

  /**
   * Whether this file's digests are computed in a worker thread: only for large files, where
   * the thread's start (tens of ms, measured per small file under load) is small against the
   * hashing it takes off the main thread.
   */
  hashInWorker(size: number | undefined): boolean {
    return (
      this.ctx.settings.hashIn === 'worker' && size !== undefined && size >= WORKER_HASH_MIN_BYTES
    );
  }

  /**
   * A remote file's time from LIST is to the minute or the day: a file rewritten within that
   * minute would look unchanged to a newer-than test, and a downloaded copy would get a time
   * earlier than the original's. Where the time decides something, ask MDTM (once per item).
   */
  async exactSourceTime(client: FtpsClient): Promise<void> {
    const facts = this.sourceFacts;
    if (this.askedSourceTime || !facts || !client.features.mdtm) return;
    if (facts.modifiedMs !== undefined && !isCoarseTime(facts)) return;
    this.askedSourceTime = true;
    const date = await client.modifiedTime(this.ctx.item.remotePath).catch(() => undefined);
    if (date)
      this.sourceFacts = { ...facts, modifiedMs: date.getTime(), modifiedPrecision: 'second' };
  }

  digestsFor(method: VerificationMethod): Digests | undefined {
    const algorithms = new Set<LocalAlgorithm>();
    if (this.ctx.settings.computeSha256) algorithms.add('sha256');
    const algorithm = this.ctx.settings.verify ? algorithmFor(method) : undefined;
    if (algorithm) algorithms.add(algorithm);
    return algorithms.size > 0 ? new Digests(algorithms) : undefined;
  }

  /**
   * Progress from the engine's own byte count (sampled, not per chunk) for transfers that need
   * no digest; the last sample is the exact total.
   */
  engineProgress(
    offset: number,
    size: number | undefined,
    setDone: (bytes: number) => void,
  ): Pick<TransferOptions, 'onProgress' | 'progressIntervalMs'> {
    return {
      onProgress: (progress) => {
        const bytes = offset + progress.bytes;
        setDone(bytes);
        this.ctx.onBytes(bytes, size);
      },
      progressIntervalMs: 100,
    };
  }

  noteTls(resumed: boolean, tls: boolean): void {
    if (!tls) return;
    const { item } = this.ctx;
    item.tlsResumed = (item.tlsResumed ?? true) && resumed;
  }

  /** The bytes have moved: note the data connection's TLS, start verifying, take the digests. */
  transferred(
    record: TransferResult['record'] | undefined,
    digests: Digests | undefined,
    computed?: Partial<Record<LocalAlgorithm, string>>,
  ): Partial<Record<LocalAlgorithm, string>> {
    if (record) this.noteTls(record.resumed, record.tls);
    this.ctx.setState('verifying');
    const digest = computed ?? digests?.digest() ?? {};
    if (digest.sha256) this.ctx.item.sha256 = digest.sha256;
    return digest;
  }

  /**
   * The strongest check the server offers; a mismatch throws a transient error so that the next
   * attempt starts the file again (the bytes cannot be trusted).
   */
  async verify(
    client: FtpsClient,
    predicted: VerificationMethod,
    digest: Partial<Record<LocalAlgorithm, string>>,
    localSize: number,
    localFile: string,
    /** An upload's result: the SIZE asked with it, if it was. */
    uploaded?: { remoteSize?: number | undefined },
  ): Promise<void> {
    const { item } = this.ctx;
    if (!this.ctx.settings.verify) return;
    const mismatch = async (reason: string): Promise<never> => {
      this.restart = true;
      if (item.direction === 'download') {
        await discardTemp(item.partPath);
        delete item.partPath;
        // A wrong file from ranges: the next attempt takes it whole, over one connection.
        if (item.segments) this.segmentsOff = true;
        delete item.segments;
      }
      throw new FerryError({ kind: 'protocol', step: `verify ${item.remotePath}`, reason });
    };
    // The legacy X* commands refuse an empty range (ProFTPD: "501 XSHA256 requires end (0)
    // greater than start (0)"); for an empty file the size check says as much.
    const legacyOnEmpty = localSize === 0 && !predicted.startsWith('HASH ');
    if (predicted !== 'size' && !legacyOnEmpty) {
      const remote = await client.hash(item.remotePath);
      if (remote) {
        const algorithm = algorithmFor(remote.method);
        let local = algorithm ? digest[algorithm] : undefined;
        if (algorithm && local === undefined) {
          // The server used another algorithm than its FEAT suggested: hash the file again.
          const again = new Digests(new Set([algorithm]));
          await digestFileRange(localFile, again);
          local = again.digest()[algorithm];
        }
        if (local !== undefined) {
          if (!sameDigest(remote.method, remote.value, local)) {
            await mismatch(`${remote.method} differs (server ${remote.value}, local ${local})`);
          }
          item.verification = remote.method;
          return;
        }
      }
    }
    const remoteBytes =
      item.direction === 'download'
        ? item.size
        : uploaded && 'remoteSize' in uploaded
          ? uploaded.remoteSize
          : await remoteSize(client, item.remotePath);
    const expected = item.direction === 'download' ? remoteBytes : localSize;
    const actual = item.direction === 'download' ? localSize : remoteBytes;
    if (expected !== undefined && actual !== expected) {
      await mismatch(`size differs (expected ${expected}, got ${actual ?? 'nothing'})`);
    }
    item.verification = 'size';
  }
}
