import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FerryErrorDetail } from '../../shared/errors';
import type {
  FileExistsAction,
  FileExistsAnswer,
  FileExistsQuestion,
  TransferDirection,
  TransferItem,
  TransferState,
  TransferTotals,
} from '../../shared/transfers';
import { FtpsClient } from '../engine/client';
import { FerryError, toErrorDetail } from '../engine/errors';
import { hasDotSegment, quoteName, unsafeNameReason } from '../../shared/names';
import { remoteBasename } from '../../shared/remote-path';
import { ACTIVE_TRANSFER_STATES } from '../../shared/transfers';
import { discardTemp } from '../files/download-target';
import { DEFAULT_RETRY, type RetryPolicy } from './backoff';
import { TypedEmitter } from './emitter';
import { FolderExpander } from './expander';
import type { FileFacts } from './file-exists';
import { Heap } from './heap';
import { loadSnapshot, SnapshotWriter, type QueueSnapshot } from './persistence';
import { PoolShrunk, SitePool } from './pool';
import { ProgressSampler } from './progress';
import { ItemRunner, type RunSettings } from './runner';
import type {
  CertificateChange,
  JobRecord,
  JobRequest,
  QueueEvents,
  QueueOptions,
  SiteConfig,
} from './types';

const ACTIVE = ACTIVE_TRANSFER_STATES;
const FINISHED: ReadonlySet<TransferState> = new Set(['done', 'failed', 'cancelled']);
/** Folder expansion pulls this many files per step, and runs again below the low-water mark. */
const EXPAND_BATCH = 500;
const EXPAND_LOW_WATER = 200;
/**
 * The first step of a remote walk, per connection of the site: files start moving after the first
 * listings instead of after 500 files (every listing is several round trips, and a tree of small
 * folders listed to the end before the first transfer cost seconds on a WAN link).
 */
const FIRST_REMOTE_BATCH_PER_CONNECTION = 2;

interface Entry {
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

interface Running {
  controller: AbortController;
  /** Why it was aborted: the user paused or cancelled it, or the queue is shutting down. */
  reason?: 'pause' | 'cancel' | 'shutdown' | 'detach';
}

interface JobState {
  record: JobRecord;
  expander?: FolderExpander;
  expanding: boolean;
  /** Files of this job waiting to run (drives lazy expansion). */
  pending: number;
  /** Relative paths already turned into items (restored jobs re-walk and skip these). */
  seen?: Set<string>;
}

/**
 * The transfer queue: jobs (files and folders, both directions) expanded into items, run on a
 * pool of logged-in connections per site under a global limit, with pause/resume, cancel, retry,
 * priorities, file-exists policies, verification, progress batches and a persisted state.
 * Plain Node: the app and the CLI share it.
 */
export class TransferQueue extends TypedEmitter<QueueEvents> {
  private readonly entries = new Map<string, Entry>();
  private readonly jobs = new Map<string, JobState>();
  private readonly sites = new Map<string, SiteConfig>();
  private readonly pools = new Map<string, SitePool>();
  private readonly heaps = new Map<string, Heap<HeapEntry>>();
  private readonly running = new Map<string, Running>();
  private readonly questions = new Map<
    string,
    { question: FileExistsQuestion; resolve: (action: Exclude<FileExistsAction, 'ask'>) => void }
  >();
  private readonly counts = new Map<TransferState, number>();
  private bytesDone = 0;
  private bytesTotal = 0;
  private seq = 0;
  private activeTasks = 0;
  private processing: boolean;
  private disposed = false;
  private readonly onExists: Record<TransferDirection, FileExistsAction>;
  /** "Apply to all" answers, per batch and direction (see JobRequest.batchId). */
  private readonly askOverride = new Map<string, Exclude<FileExistsAction, 'ask'>>();
  private readonly settings: RunSettings;
  private readonly globalLimit: number;
  private readonly sampler: ProgressSampler;
  private readonly writer: SnapshotWriter | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: QueueOptions = {}) {
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

  /** Creates a queue and restores what was persisted at `statePath` (items that were running are queued again). */
  static async open(options: QueueOptions = {}): Promise<TransferQueue> {
    const queue = new TransferQueue(options);
    if (options.statePath) {
      const snapshot = await loadSnapshot(options.statePath);
      if (snapshot) queue.restore(snapshot);
    }
    return queue;
  }

  // ---- sites -------------------------------------------------------------------------------

  /** Registers (or updates) how to reach a site; items for unknown sites wait. */
  setSite(site: SiteConfig): void {
    this.sites.set(site.key, site);
    const pool = this.pools.get(site.key);
    if (pool) pool.update(site);
    this.pump();
  }

  /**
   * Forgets how to reach a site (its session ended): running items go back to "queued", and every
   * item of the site waits until it is registered again. Idle connections close.
   */
  removeSite(key: string): void {
    this.sites.delete(key);
    const pool = this.pools.get(key);
    this.pools.delete(key);
    for (const [id, running] of this.running) {
      if (this.entries.get(id)?.item.siteKey !== key) continue;
      running.reason = 'detach';
      running.controller.abort();
    }
    void pool?.close();
  }

  private pool(siteKey: string): SitePool | undefined {
    let pool = this.pools.get(siteKey);
    if (pool) return pool;
    const site = this.sites.get(siteKey);
    if (!site) return undefined;
    pool = new SitePool(site, this.options.connect ?? ((o) => FtpsClient.connect(o)), {
      onCertificateChange: (change) => this.onCertificateChange(change),
      onLog: (level, text) => this.emit('log', { level, text, siteKey }),
    });
    this.pools.set(siteKey, pool);
    return pool;
  }

  // ---- adding ------------------------------------------------------------------------------

  /** Adds a job; returns its id. Folder jobs expand lazily while transfers run. */
  add(request: JobRequest): string {
    confineRequest(request);
    const record: JobRecord = { ...request, id: randomUUID(), expanded: !request.isDirectory };
    const job: JobState = { record, expanding: false, pending: 0 };
    this.jobs.set(record.id, job);
    if (!request.isDirectory) {
      this.addItem(job, { localPath: request.localPath, remotePath: request.remotePath });
    }
    this.persist();
    this.pump();
    return record.id;
  }

  private addItem(
    job: JobState,
    init: {
      localPath: string;
      remotePath: string;
      relative?: string;
      source?: FileFacts;
      error?: FerryErrorDetail;
    },
  ): TransferItem {
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

  private enqueue(entry: Entry, job?: JobState): void {
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

  // ---- reading -----------------------------------------------------------------------------

  list(): TransferItem[] {
    return [...this.entries.values()].map((entry) => ({ ...entry.item }));
  }

  get(id: string): TransferItem | undefined {
    const entry = this.entries.get(id);
    return entry ? { ...entry.item } : undefined;
  }

  listJobs(): JobRecord[] {
    return [...this.jobs.values()].map((job) => ({ ...job.record }));
  }

  totals(): TransferTotals {
    return { ...this.totalsWithoutSpeed(), speed: 0 };
  }

  private totalsWithoutSpeed(): Omit<TransferTotals, 'speed'> {
    let active = 0;
    for (const state of ACTIVE) active += this.counts.get(state) ?? 0;
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

  /** Resolves when nothing is queued or running (paused and failed items do not count). */
  whenIdle(): Promise<void> {
    if (!this.hasPending()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // ---- control -----------------------------------------------------------------------------

  /** Starts (or continues) processing. */
  start(): void {
    this.processing = true;
    this.pump();
  }

  /** Stops starting new transfers; running ones finish. */
  stop(): void {
    this.processing = false;
  }

  pause(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    const running = this.running.get(id);
    if (running) {
      running.reason = 'pause';
      running.controller.abort();
      return;
    }
    if (entry.item.state === 'queued') this.setState(entry, 'paused');
  }

  resume(id: string): void {
    const entry = this.entries.get(id);
    if (entry?.item.state !== 'paused') return;
    delete entry.item.error;
    this.setState(entry, 'queued');
    this.enqueue(entry);
    this.pump();
  }

  pauseAll(): void {
    for (const id of this.entries.keys()) this.pause(id);
  }

  resumeAll(): void {
    for (const id of this.entries.keys()) this.resume(id);
  }

  cancel(id: string): void {
    const entry = this.entries.get(id);
    if (!entry || FINISHED.has(entry.item.state)) return;
    const running = this.running.get(id);
    if (running) {
      running.reason = 'cancel';
      running.controller.abort();
      return;
    }
    void this.finishCancelled(entry);
  }

  cancelJob(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (job) {
      job.record.expanded = true;
      void job.expander?.close();
      job.expander = undefined;
    }
    for (const entry of this.entries.values())
      if (entry.item.jobId === jobId) this.cancel(entry.item.id);
    this.persist();
    this.checkIdle();
  }

  /** Queues a failed or cancelled item again (its retry bound starts afresh). */
  retry(id: string): void {
    const entry = this.entries.get(id);
    if (!entry || (entry.item.state !== 'failed' && entry.item.state !== 'cancelled')) return;
    delete entry.item.error;
    this.setState(entry, 'queued');
    this.enqueue(entry);
    this.pump();
  }

  retryFailed(): void {
    for (const entry of this.entries.values())
      if (entry.item.state === 'failed') this.retry(entry.item.id);
  }

  setPriority(id: string, priority: number): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.item.priority = priority;
    if (entry.item.state === 'queued') {
      const job = this.jobs.get(entry.item.jobId);
      if (job) job.pending--;
      this.enqueue(entry);
    }
    this.emit('item', { ...entry.item });
    this.persist();
  }

  moveToTop(id: string): void {
    let max = 0;
    for (const entry of this.entries.values()) max = Math.max(max, entry.item.priority);
    this.setPriority(id, max + 1);
  }

  moveToBottom(id: string): void {
    let min = 0;
    for (const entry of this.entries.values()) min = Math.min(min, entry.item.priority);
    this.setPriority(id, min - 1);
  }

  /** Drops finished items from the list (their files stay). */
  clearFinished(): void {
    for (const [id, entry] of this.entries) {
      if (!FINISHED.has(entry.item.state)) continue;
      this.entries.delete(id);
      this.count(entry.item.state, -1);
      this.bytesDone -= entry.item.bytesDone;
      this.bytesTotal -= entry.counted ?? 0;
    }
    for (const [id, job] of this.jobs) {
      const live = [...this.entries.values()].some((entry) => entry.item.jobId === id);
      if (!live && job.record.expanded) this.jobs.delete(id);
    }
    this.persist();
  }

  setDefaultOnExists(direction: TransferDirection, action: FileExistsAction): void {
    this.onExists[direction] = action;
    for (const key of this.askOverride.keys()) {
      if (key.endsWith(`:${direction}`)) this.askOverride.delete(key);
    }
  }

  /** The key "apply to all" answers are kept under: the item's batch (or job) and direction. */
  private overrideKey(itemId: string, direction: TransferDirection): string {
    const jobId = this.entries.get(itemId)?.item.jobId;
    const job = jobId !== undefined ? this.jobs.get(jobId) : undefined;
    return `${job?.record.batchId ?? jobId ?? itemId}:${direction}`;
  }

  answerFileExists(answer: FileExistsAnswer): void {
    const pending = this.questions.get(answer.questionId);
    if (!pending) return;
    this.questions.delete(answer.questionId);
    pending.resolve(answer.action);
    if (answer.applyToAll) {
      const key = this.overrideKey(pending.question.itemId, pending.question.direction);
      this.askOverride.set(key, answer.action);
      for (const [id, other] of this.questions) {
        if (this.overrideKey(other.question.itemId, other.question.direction) !== key) continue;
        this.questions.delete(id);
        other.resolve(answer.action);
      }
    }
  }

  /** Answers a certificate change: accept makes it the site's certificate; reject fails its items. */
  answerCertificate(siteKey: string, accept: boolean): void {
    const pool = this.pools.get(siteKey);
    const change = pool?.blocked;
    if (!pool || !change) return;
    if (accept) pool.acceptCertificate(change.fingerprint256);
    else pool.rejectCertificate();
    for (const entry of this.entries.values()) {
      const { item } = entry;
      if (
        item.siteKey !== siteKey ||
        item.state !== 'paused' ||
        item.error?.kind !== 'tls-untrusted'
      )
        continue;
      if (accept) this.resume(item.id);
      else this.setState(entry, 'failed');
    }
    this.pump();
  }

  private onCertificateChange(change: CertificateChange): void {
    // Stop the site's items: queued ones pause, running ones are aborted into paused.
    const error: FerryErrorDetail = {
      kind: 'tls-untrusted',
      step: 'connect',
      reasons: ['certificate changed since the previous connection'],
      fingerprint256: change.fingerprint256,
    };
    for (const entry of this.entries.values()) {
      const { item } = entry;
      if (item.siteKey !== change.siteKey || FINISHED.has(item.state) || item.state === 'paused')
        continue;
      item.error = error;
      const running = this.running.get(item.id);
      if (running) {
        running.reason = 'pause';
        running.controller.abort();
      } else this.setState(entry, 'paused');
    }
    this.emit('certificate', change);
  }

  // ---- scheduling --------------------------------------------------------------------------

  private pump(): void {
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

  private expandableSites(): string[] {
    const out: string[] = [];
    for (const job of this.jobs.values())
      if (!job.record.expanded && !job.expanding) out.push(job.record.siteKey);
    return out;
  }

  private expandableJob(siteKey: string): JobState | undefined {
    for (const job of this.jobs.values()) {
      const r = job.record;
      if (
        r.siteKey === siteKey &&
        !r.expanded &&
        !r.error &&
        !job.expanding &&
        job.pending < EXPAND_LOW_WATER
      )
        return job;
    }
    return undefined;
  }

  private nextItem(siteKey: string): Entry | undefined {
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

  private startExpansion(pool: SitePool, job: JobState): void {
    job.expanding = true;
    job.expander ??= new FolderExpander(job.record);
    pool.lease();
    this.activeTasks++;
    void this.expandStep(pool, job).finally(() => {
      job.expanding = false;
      pool.endLease();
      this.activeTasks--;
      this.persist();
      this.pump();
    });
  }

  private async expandStep(pool: SitePool, job: JobState): Promise<void> {
    const expander = job.expander;
    if (!expander) return;
    let client;
    try {
      client = await pool.acquire();
    } catch (error) {
      if (error instanceof PoolShrunk) return;
      this.failJob(job, toErrorDetail(error, `expand ${job.record.remotePath}`));
      return;
    }
    try {
      const first = job.record.direction === 'download' && expander.stepsTaken === 0;
      const entries = await expander.step(
        client,
        first ? pool.maxActive * FIRST_REMOTE_BATCH_PER_CONNECTION : EXPAND_BATCH,
      );
      pool.release(client, true);
      for (const entry of entries) {
        const relative = entry.kind === 'file' ? entry.file.relative : entry.relative;
        if (job.seen?.has(relative)) continue;
        if (entry.kind === 'file') {
          this.addItem(job, { ...entry.file, relative });
        } else {
          this.addItem(job, {
            localPath: entry.localPath,
            remotePath: entry.remotePath,
            relative,
            error: entry.error,
          });
        }
      }
      if (expander.done) {
        const refusal = expander.hiddenFilesRefusal;
        if (refusal) {
          // The files seen are transferred, but the job must not read as complete.
          job.record.error = {
            kind: 'ftp-reply',
            step: `list hidden files of ${job.record.remotePath} (they may be missing)`,
            command: 'LIST -a',
            code: refusal.code,
            text: refusal.text,
          };
        }
        job.record.expanded = true;
        job.expander = undefined;
        job.seen = undefined;
        this.emit('job', { ...job.record });
      }
    } catch (error) {
      pool.release(client, !client.closed);
      this.failJob(job, toErrorDetail(error, `expand ${job.record.remotePath}`));
    }
  }

  private failJob(job: JobState, error: FerryErrorDetail): void {
    job.record.error = error;
    job.record.expanded = true;
    job.expander = undefined;
    this.emit('log', {
      level: 'error',
      text: `folder job ${job.record.remotePath}: ${error.kind}`,
      siteKey: job.record.siteKey,
    });
    this.emit('job', { ...job.record });
  }

  private startItem(pool: SitePool, entry: Entry): void {
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

  private async finishCancelled(entry: Entry): Promise<void> {
    // The partial file goes first: "cancelled" is only reported once nothing of it is left.
    if (entry.item.direction === 'download') {
      await discardTemp(entry.item.partPath);
      delete entry.item.partPath;
    }
    this.setState(entry, 'cancelled');
  }

  private actionFor(item: TransferItem, jobAction: FileExistsAction | undefined): FileExistsAction {
    const action = jobAction ?? this.onExists[item.direction];
    if (action === 'ask')
      return this.askOverride.get(this.overrideKey(item.id, item.direction)) ?? 'ask';
    return action;
  }

  /** Raises a question for the UI; an abort (cancel, pause) withdraws it. */
  private ask(
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

  // ---- bookkeeping -------------------------------------------------------------------------

  private count(state: TransferState, delta: number): void {
    this.counts.set(state, (this.counts.get(state) ?? 0) + delta);
  }

  private setState(entry: Entry, state: TransferState): void {
    const { item } = entry;
    if (item.state === state) return;
    this.count(item.state, -1);
    this.count(state, 1);
    item.state = state;
    this.countSize(entry);
    this.sampler.countsMoved();
    this.emit('item', { ...item });
    if (!ACTIVE.has(state)) this.persist();
  }

  private onBytes(entry: Entry, bytes: number, size?: number): void {
    const { item } = entry;
    this.bytesDone += bytes - item.bytesDone;
    item.bytesDone = bytes;
    if (size !== undefined) item.size = size;
    this.countSize(entry);
    this.sampler.update(item.id, bytes, item.size);
  }

  /** Keeps the byte total in step with the item's size, however the size was learnt. */
  private countSize(entry: Entry): void {
    const size = entry.item.size ?? 0;
    this.bytesTotal += size - (entry.counted ?? 0);
    entry.counted = size;
  }

  private checkIdle(): void {
    if (this.hasPending()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
    if (waiters.length > 0 || this.activeTasks === 0) this.emit('idle');
  }

  // ---- persistence -------------------------------------------------------------------------

  private persist(): void {
    this.writer?.schedule();
  }

  /** What survives a restart: jobs still in progress and every unfinished or failed item. */
  snapshot(): QueueSnapshot {
    const items: TransferItem[] = [];
    const seenByJob = new Map<string, string[]>();
    for (const { item } of this.entries.values()) {
      if (item.state === 'done' || item.state === 'cancelled') {
        if (item.relativePath !== undefined && !this.jobs.get(item.jobId)?.record.expanded) {
          const list = seenByJob.get(item.jobId) ?? [];
          list.push(item.relativePath);
          seenByJob.set(item.jobId, list);
        }
        continue;
      }
      items.push({ ...item, state: ACTIVE.has(item.state) ? 'queued' : item.state });
    }
    const live = new Set(items.map((item) => item.jobId));
    const jobs: JobRecord[] = [];
    for (const job of this.jobs.values()) {
      if (job.record.expanded && !live.has(job.record.id)) continue;
      const seen = seenByJob.get(job.record.id);
      jobs.push({ ...job.record, ...(seen ? { finished: seen } : {}) });
    }
    return { version: 1, jobs, items };
  }

  private restore(snapshot: QueueSnapshot): void {
    for (const record of snapshot.jobs) {
      const { finished, ...rest } = record;
      const job: JobState = { record: rest, expanding: false, pending: 0 };
      if (!rest.expanded) job.seen = new Set(finished ?? []);
      this.jobs.set(rest.id, job);
    }
    for (const saved of snapshot.items) {
      const job = this.jobs.get(saved.jobId);
      if (!job) continue;
      const item: TransferItem = {
        ...saved,
        state: ACTIVE.has(saved.state) ? 'queued' : saved.state,
      };
      const entry: Entry = { item, seq: this.seq++, version: 0 };
      this.entries.set(item.id, entry);
      this.count(item.state, 1);
      this.bytesDone += item.bytesDone;
      this.countSize(entry);
      if (item.relativePath !== undefined) job.seen?.add(item.relativePath);
      if (item.state === 'queued') this.enqueue(entry, job);
    }
  }

  /** Where the queue's state is written, if anywhere. */
  get statePath(): string | undefined {
    return this.options.statePath ? path.resolve(this.options.statePath) : undefined;
  }

  /** Stops everything: running transfers are paused (kept for the next start), state is written, connections close. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.processing = false;
    for (const running of this.running.values()) {
      running.reason = 'shutdown';
      running.controller.abort();
    }
    for (const [id, pending] of this.questions) {
      this.questions.delete(id);
      pending.resolve('skip');
    }
    const deadline = Date.now() + 5000;
    while (this.running.size > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    this.disposed = true;
    this.sampler.stop();
    this.writer?.schedule();
    await this.writer?.flush();
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    for (const job of this.jobs.values()) await job.expander?.close().catch(() => undefined);
  }
}

/**
 * A download's target must be the folder the user chose plus a name the server listed: a listed
 * name with a separator, `..` or a control character would move it elsewhere.
 */
function confineRequest(request: JobRequest): void {
  const reason = hasDotSegment(request.localPath)
    ? `${quoteName(request.localPath)} has a . or .. segment`
    : hasDotSegment(request.remotePath)
      ? `${quoteName(request.remotePath)} has a . or .. segment`
      : request.direction === 'download'
        ? unsafeNameReason(remoteBasename(request.remotePath))
        : undefined;
  if (reason !== undefined) {
    throw new FerryError({ kind: 'unsafe-input', step: 'add transfer', reason });
  }
}
