// The queue's machinery: items and jobs, their counts and bytes, the scheduler that starts them on
// the sites' pools, the runners' hooks, and what is persisted. TransferQueue (queue.ts) is the
// public face on top of it.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type {
  FileExistsAction,
  FileExistsQuestion,
  TransferDirection,
  TransferItem,
  TransferState,
  TransferTotals,
} from '../../shared/transfers';
import { FtpsClient } from '../engine/client';
import { toErrorDetail } from '../engine/errors';
import { discardTemp } from '../files/download-target';
import { DEFAULT_RETRY, type RetryPolicy } from './backoff';
import { TypedEmitter } from './emitter';
import {
  EXPAND_LOW_WATER,
  ExpansionRetries,
  expandStep,
  type ExpansionHooks,
  type ItemInit,
  type JobState,
} from './expansion';
import { FolderExpander } from './expander';
import type { FileFacts } from './file-exists';
import { Heap } from './heap';
import { snapshotOf, SnapshotWriter, type QueueSnapshot } from './persistence';
import { SitePool } from './pool';
import { ProgressSampler } from './progress';
import { ItemRunner, type RunSettings } from './runner';
import type { BorrowedClient } from './segmented';
import { DEFAULT_SEGMENT_POLICY } from './segments';
import {
  type CertificateChange,
  type QueueEvents,
  type QueueOptions,
  type SiteConfig,
} from './types';
import { ACTIVE_TRANSFER_STATES } from '../../shared/transfers';

export const FINISHED: ReadonlySet<TransferState> = new Set(['done', 'failed', 'cancelled']);

export interface Entry {
  item: TransferItem;
  seq: number;
  /** Bumped whenever the item is (re)queued or reprioritised: older heap entries are stale. */
  version: number;
  source?: FileFacts;
  /** The size this item adds to the byte total (the runner may learn the real size later). */
  counted?: number;
}

interface HeapEntry {
  id: string;
  priority: number;
  seq: number;
  version: number;
}

export interface Running {
  controller: AbortController;
  /** Why it was aborted: the user paused or cancelled it, or the queue is shutting down. */
  reason?: 'pause' | 'cancel' | 'shutdown' | 'detach';
}

export abstract class QueueCore extends TypedEmitter<QueueEvents> {
  protected readonly entries = new Map<string, Entry>();
  protected readonly jobs = new Map<string, JobState>();
  protected readonly sites = new Map<string, SiteConfig>();
  protected readonly pools = new Map<string, SitePool>();
  /** Connections each server accepted before refusing one (a 421): its later pools start there. */
  protected readonly serverLimits = new Map<string, number>();
  protected readonly heaps = new Map<string, Heap<HeapEntry>>();
  protected readonly running = new Map<string, Running>();
  protected readonly questions = new Map<
    string,
    { question: FileExistsQuestion; resolve: (action: Exclude<FileExistsAction, 'ask'>) => void }
  >();
  protected readonly counts = new Map<TransferState, number>();
  protected bytesDone = 0;
  protected bytesTotal = 0;
  protected seq = 0;
  protected activeTasks = 0;
  protected processing: boolean;
  protected disposed = false;
  protected readonly onExists: Record<TransferDirection, FileExistsAction>;
  /** "Apply to all" answers, per batch and direction (see JobRequest.batchId). */
  protected readonly askOverride = new Map<string, Exclude<FileExistsAction, 'ask'>>();
  protected readonly settings: RunSettings;
  protected readonly globalLimit: number;
  protected readonly sampler: ProgressSampler;
  protected readonly writer: SnapshotWriter | undefined;
  protected idleWaiters: Array<() => void> = [];
  protected readonly expansionRetries = new ExpansionRetries();
  protected readonly expansionHooks: ExpansionHooks = {
    addItem: (job, init) => void this.addItem(job, init),
    emit: (event, ...args) => this.emit(event, ...args),
    retry: () => this.settings.retry,
    retryLater: (job, ms) => this.expansionRetries.later(job, ms, () => this.pump()),
  };

  constructor(protected readonly options: QueueOptions = {}) {
    super();
    this.processing = !options.startPaused;
    this.globalLimit = Math.max(1, options.globalLimit ?? 10);
    this.onExists = { ...(options.onExists ?? { upload: 'ask', download: 'ask' }) };
    const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
    this.settings = {
      verify: options.verify ?? true,
      computeSha256: options.computeSha256 ?? false,
      preserveTimes: options.preserveTimes ?? true,
      retry,
      segmentPolicy: { ...DEFAULT_SEGMENT_POLICY, ...options.segments },
      hashIn: options.hashIn ?? 'worker',
    };
    this.sampler = new ProgressSampler(
      (batch) => this.emit('progress', batch),
      () => this.totalsWithoutSpeed(),
      options.progressIntervalMs ?? 200,
    );
    this.writer = options.statePath
      ? new SnapshotWriter(options.statePath, () => this.snapshot())
      : undefined;
  }

  protected abstract onCertificateChange(change: CertificateChange): void;

  /** What survives a restart: jobs still in progress and every unfinished or failed item. */
  snapshot(): QueueSnapshot {
    return snapshotOf(this.entries.values(), this.jobs);
  }

  protected pool(siteKey: string): SitePool | undefined {
    let pool = this.pools.get(siteKey);
    if (pool) return pool;
    const site = this.sites.get(siteKey);
    if (!site) return undefined;
    pool = new SitePool(
      site,
      this.options.connect ?? ((o) => FtpsClient.connect(o)),
      {
        onCertificateChange: (change) => this.onCertificateChange(change),
        onLog: (level, text) => this.emit('log', { level, text, siteKey }),
        onServerLimit: (limit) => this.serverLimits.set(siteKey, limit),
      },
      this.serverLimits.get(siteKey),
    );
    this.pools.set(siteKey, pool);
    return pool;
  }

  protected addItem(job: JobState, init: ItemInit): TransferItem {
    const { record } = job;
    const item: TransferItem = {
      id: randomUUID(),
      jobId: record.id,
      siteKey: record.siteKey,
      direction: record.direction,
      localPath: init.localPath,
      remotePath: init.remotePath,
      state: init.error ? 'failed' : 'queued',
      priority: record.priority ?? 0,
      bytesDone: 0,
      retries: 0,
      ...(init.relative !== undefined ? { relativePath: init.relative } : {}),
      ...(init.source?.size !== undefined ? { size: init.source.size } : {}),
      ...(init.error ? { error: init.error } : {}),
    };
    const entry: Entry = {
      item,
      seq: this.seq++,
      version: 0,
      ...(init.source ? { source: init.source } : {}),
    };
    this.entries.set(item.id, entry);
    this.count(item.state, 1);
    this.countSize(entry);
    if (item.state === 'queued') this.enqueue(entry, job);
    this.emit('item', { ...item });
    return item;
  }

  protected enqueue(entry: Entry, job?: JobState): void {
    entry.version++;
    let heap = this.heaps.get(entry.item.siteKey);
    if (!heap) {
      heap = new Heap<HeapEntry>((a, b) => b.priority - a.priority || a.seq - b.seq);
      this.heaps.set(entry.item.siteKey, heap);
    }
    heap.push({
      id: entry.item.id,
      priority: entry.item.priority,
      seq: entry.seq,
      version: entry.version,
    });
    const owner = job ?? this.jobs.get(entry.item.jobId);
    if (owner) owner.pending++;
  }

  protected totalsWithoutSpeed(): Omit<TransferTotals, 'speed'> {
    let active = 0;
    for (const state of ACTIVE_TRANSFER_STATES) active += this.counts.get(state) ?? 0;
    return {
      queued: (this.counts.get('queued') ?? 0) + (this.counts.get('paused') ?? 0),
      active,
      done: this.counts.get('done') ?? 0,
      failed: this.counts.get('failed') ?? 0,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
    };
  }

  hasPending(): boolean {
    if (this.activeTasks > 0) return true;
    if ((this.counts.get('queued') ?? 0) > 0) return true;
    for (const job of this.jobs.values())
      if (!job.record.expanded && !job.record.error) return true;
    return false;
  }

  protected pump(): void {
    if (this.disposed || !this.processing) {
      this.checkIdle();
      return;
    }
    let started = true;
    while (started && this.activeTasks < this.globalLimit) {
      started = false;
      for (const siteKey of new Set([...this.heaps.keys(), ...this.expandableSites()])) {
        if (this.activeTasks >= this.globalLimit) break;
        const pool = this.pool(siteKey);
        if (!pool?.canLease()) continue;
        const job = this.expandableJob(siteKey);
        if (job) {
          this.startExpansion(pool, job);
          started = true;
          continue;
        }
        const entry = this.nextItem(siteKey);
        if (entry) {
          this.startItem(pool, entry);
          started = true;
        }
      }
    }
    this.checkIdle();
  }

  protected expandableSites(): string[] {
    const out: string[] = [];
    for (const job of this.jobs.values())
      if (!job.record.expanded && !job.expanding) out.push(job.record.siteKey);
    return out;
  }

  protected expandableJob(siteKey: string): JobState | undefined {
    for (const job of this.jobs.values()) {
      const r = job.record;
      if (
        r.siteKey === siteKey &&
        !r.expanded &&
        !r.error &&
        !job.expanding &&
        job.pending < EXPAND_LOW_WATER &&
        !job.waiting
      )
        return job;
    }
    return undefined;
  }

  protected nextItem(siteKey: string): Entry | undefined {
    const heap = this.heaps.get(siteKey);
    while (heap && heap.size > 0) {
      const top = heap.pop();
      if (!top) break;
      const entry = this.entries.get(top.id);
      if (!entry || entry.version !== top.version || entry.item.state !== 'queued') continue;
      const job = this.jobs.get(entry.item.jobId);
      if (job) job.pending--;
      return entry;
    }
    return undefined;
  }

  protected startExpansion(pool: SitePool, job: JobState): void {
    job.expanding = true;
    job.expander ??= new FolderExpander(job.record);
    pool.lease();
    this.activeTasks++;
    void expandStep(pool, job, this.expansionHooks).finally(() => {
      job.expanding = false;
      pool.endLease();
      this.activeTasks--;
      this.persist();
      this.pump();
    });
  }

  protected startItem(pool: SitePool, entry: Entry): void {
    const { item } = entry;
    const controller = new AbortController();
    const running: Running = { controller };
    this.running.set(item.id, running);
    pool.lease();
    this.activeTasks++;
    delete item.error;
    const job = this.jobs.get(item.jobId);
    const runner = new ItemRunner({
      item,
      // The folder the user chose: nothing below it is reached through a symbolic link.
      root: job?.record.isDirectory ? job.record.localPath : path.dirname(item.localPath),
      action: this.actionFor(item, job?.record.onExists),
      ...(entry.source ? { source: entry.source } : {}),
      pool,
      settings: this.settings,
      signal: controller.signal,
      setState: (state) => this.setState(entry, state),
      onBytes: (bytes, size) => this.onBytes(entry, bytes, size),
      ask: (question) => this.ask(question, controller.signal),
      log: (level, text) => this.emit('log', { level, text, siteKey: item.siteKey }),
      segmentConnections: this.segmentConnections(pool),
      borrow: () => this.borrow(pool),
    });
    void runner
      .run()
      .catch((error: unknown) => ({
        state: 'failed' as const,
        error: toErrorDetail(error, `transfer ${item.remotePath}`),
      }))
      .then(async (outcome) => {
        this.running.delete(item.id);
        pool.endLease();
        this.activeTasks--;
        switch (outcome.state) {
          case 'done':
            this.setState(entry, 'done');
            break;
          case 'skipped':
            item.skipped = outcome.reason;
            this.setState(entry, 'done');
            break;
          case 'failed':
            item.error = outcome.error;
            this.setState(entry, 'failed');
            break;
          case 'requeue':
            this.setState(entry, 'queued');
            this.enqueue(entry);
            break;
          case 'aborted':
            if (running.reason === 'cancel') await this.finishCancelled(entry);
            else if (running.reason === 'shutdown') this.setState(entry, 'queued');
            else if (running.reason === 'detach') {
              this.setState(entry, 'queued');
              this.enqueue(entry);
            } else this.setState(entry, 'paused');
            break;
        }
        this.sampler.finish(item.id);
        this.pump();
      });
  }

  /** Connections one large download of this site may use: the site's choice within its pool. */
  protected segmentConnections(pool: SitePool): number {
    const site = this.sites.get(pool.key);
    const wanted = site?.segments ?? this.options.segments?.connections ?? pool.maxActive;
    return Math.max(1, Math.min(wanted, pool.maxActive));
  }

  /**
   * A further connection for a segment of a running download, within the site's and the global
   * limit (it counts as a task of its own while it runs).
   */
  protected async borrow(pool: SitePool): Promise<BorrowedClient | undefined> {
    if (this.disposed || !pool.canLease() || this.activeTasks >= this.globalLimit) return undefined;
    pool.lease();
    this.activeTasks++;
    const giveBack = (): void => {
      pool.endLease();
      this.activeTasks--;
      this.pump();
    };
    try {
      const client = await pool.acquire();
      return {
        client,
        release: (reusable) => {
          pool.release(client, reusable);
          giveBack();
        },
      };
    } catch {
      // No further connection now (the server's limit, a refusal): the item's own goes on alone.
      giveBack();
      return undefined;
    }
  }

  protected async finishCancelled(entry: Entry): Promise<void> {
    // The partial file goes first: "cancelled" is only reported once nothing of it is left.
    if (entry.item.direction === 'download') {
      await discardTemp(entry.item.partPath);
      delete entry.item.partPath;
    }
    this.setState(entry, 'cancelled');
  }

  protected actionFor(
    item: TransferItem,
    jobAction: FileExistsAction | undefined,
  ): FileExistsAction {
    const action = jobAction ?? this.onExists[item.direction];
    if (action === 'ask')
      return this.askOverride.get(this.overrideKey(item.id, item.direction)) ?? 'ask';
    return action;
  }

  /** Raises a question for the UI; an abort (cancel, pause) withdraws it. */
  protected ask(
    question: Omit<FileExistsQuestion, 'questionId'>,
    signal: AbortSignal,
  ): Promise<Exclude<FileExistsAction, 'ask'>> {
    const override = this.askOverride.get(this.overrideKey(question.itemId, question.direction));
    if (override) return Promise.resolve(override);
    const full: FileExistsQuestion = { ...question, questionId: randomUUID() };
    return new Promise((resolve) => {
      const withdraw = (): void => {
        this.questions.delete(full.questionId);
        resolve('skip');
      };
      signal.addEventListener('abort', withdraw, { once: true });
      this.questions.set(full.questionId, {
        question: full,
        resolve: (action) => {
          signal.removeEventListener('abort', withdraw);
          resolve(action);
        },
      });
      this.emit('question', full);
    });
  }

  /** The key "apply to all" answers are kept under: the item's batch (or job) and direction. */
  protected overrideKey(itemId: string, direction: TransferDirection): string {
    const jobId = this.entries.get(itemId)?.item.jobId;
    const job = jobId !== undefined ? this.jobs.get(jobId) : undefined;
    return `${job?.record.batchId ?? jobId ?? itemId}:${direction}`;
  }

  protected count(state: TransferState, delta: number): void {
    this.counts.set(state, (this.counts.get(state) ?? 0) + delta);
  }

  protected setState(entry: Entry, state: TransferState): void {
    const { item } = entry;
    if (item.state === state) return;
    this.count(item.state, -1);
    this.count(state, 1);
    item.state = state;
    this.countSize(entry);
    this.sampler.countsMoved();
    this.emit('item', { ...item });
    if (!ACTIVE_TRANSFER_STATES.has(state)) this.persist();
  }

  protected onBytes(entry: Entry, bytes: number, size?: number): void {
    const { item } = entry;
    this.bytesDone += bytes - item.bytesDone;
    item.bytesDone = bytes;
    if (size !== undefined) item.size = size;
    this.countSize(entry);
    this.sampler.update(item.id, bytes, item.size);
  }

  /** Keeps the byte total in step with the item's size, however the size was learnt. */
  protected countSize(entry: Entry): void {
    const size = entry.item.size ?? 0;
    this.bytesTotal += size - (entry.counted ?? 0);
    entry.counted = size;
  }

  protected checkIdle(): void {
    if (this.hasPending()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
    if (waiters.length > 0 || this.activeTasks === 0) this.emit('idle');
  }

  protected persist(): void {
    this.writer?.schedule();
  }
}
