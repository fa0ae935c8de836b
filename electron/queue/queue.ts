import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FerryErrorDetail } from '../../shared/errors';
import type {
  FileExistsAction,
  FileExistsAnswer,
  TransferDirection,
  TransferItem,
  TransferTotals,
} from '../../shared/transfers';
import { hasDotSegment, quoteName, unsafeNameReason } from '../../shared/names';
import { remoteBasename } from '../../shared/remote-path';
import { FerryError } from '../engine/errors';
import type { JobState } from './expansion';
import { loadSnapshot, type QueueSnapshot } from './persistence';
import { FINISHED, QueueCore, type Entry } from './queue-core';
import {
  type CertificateChange,
  type JobRecord,
  type JobRequest,
  type QueueOptions,
  type SiteConfig,
} from './types';
import { ACTIVE_TRANSFER_STATES } from '../../shared/transfers';

/**
 * The transfer queue: jobs (files and folders, both directions) expanded into items, run on a
 * pool of logged-in connections per site under a global limit, with pause/resume, cancel, retry,
 * priorities, file-exists policies, verification, progress batches and a persisted state.
 * Plain Node: the app and the CLI share it.
 */
export class TransferQueue extends QueueCore {
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

  /** Keep modification times (MFMT after uploads, utimes after downloads) from the next file on. */
  setPreserveTimes(on: boolean): void {
    this.settings.preserveTimes = on;
  }

  setDefaultOnExists(direction: TransferDirection, action: FileExistsAction): void {
    this.onExists[direction] = action;
    for (const key of this.askOverride.keys()) {
      if (key.endsWith(`:${direction}`)) this.askOverride.delete(key);
    }
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

  protected onCertificateChange(change: CertificateChange): void {
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

  // ---- bookkeeping -------------------------------------------------------------------------

  // ---- persistence -------------------------------------------------------------------------

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
        state: ACTIVE_TRANSFER_STATES.has(saved.state) ? 'queued' : saved.state,
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
    this.expansionRetries.clear();
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
