// One step of a folder job's lazy expansion: a batch of the walk's entries turned into items.
import { describeError, type FerryErrorDetail } from '../../shared/errors';
import { toErrorDetail } from '../engine/errors';
import { backoffDelay, classifyFailure, type RetryPolicy } from './backoff';
import type { FolderExpander } from './expander';
import type { FileFacts } from './file-exists';
import { PoolShrunk, type SitePool } from './pool';
import type { JobRecord, QueueEvents } from './types';

/** Folder expansion pulls this many files per step, and runs again below the low-water mark. */
const EXPAND_BATCH = 500;
export const EXPAND_LOW_WATER = 200;
/**
 * The first step of a remote walk, per connection of the site: files start moving after the first
 * listings instead of after 500 files (every listing is several round trips, and a tree of small
 * folders listed to the end before the first transfer cost seconds on a WAN link).
 */
const FIRST_REMOTE_BATCH_PER_CONNECTION = 2;

export interface JobState {
  record: JobRecord;
  expander?: FolderExpander;
  expanding: boolean;
  /** Files of this job waiting to run (drives lazy expansion). */
  pending: number;
  /** Relative paths already turned into items (restored jobs re-walk and skip these). */
  seen?: Set<string>;
  /** Connection attempts refused in a row (a 421, the network); `waiting` until the next. */
  connectFailures?: number;
  waiting?: boolean;
}

/** Folder jobs waiting to retry their connection: each expands again when its timer fires. */
export class ExpansionRetries {
  private readonly timers = new Set<NodeJS.Timeout>();

  later(job: JobState, ms: number, pump: () => void): void {
    // Not unref'd: a CLI waiting for the queue to finish must stay alive while a job waits.
    job.waiting = true;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      job.waiting = false;
      pump();
    }, ms);
    this.timers.add(timer);
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** What a walk entry becomes: a queued item, or a failed one (a name refused). */
export interface ItemInit {
  localPath: string;
  remotePath: string;
  relative?: string;
  source?: FileFacts;
  error?: FerryErrorDetail;
}

export interface ExpansionHooks {
  addItem: (job: JobState, init: ItemInit) => void;
  emit: <E extends 'job' | 'log'>(event: E, ...args: Parameters<QueueEvents[E]>) => void;
  retry: () => RetryPolicy;
  /** Lets the job expand again after `ms` (it waits to retry its connection). */
  retryLater: (job: JobState, ms: number) => void;
}

export async function expandStep(
  pool: SitePool,
  job: JobState,
  hooks: ExpansionHooks,
): Promise<void> {
  const expander = job.expander;
  if (!expander) return;
  let client;
  try {
    client = await pool.acquire();
    job.connectFailures = undefined;
  } catch (error) {
    if (error instanceof PoolShrunk) return;
    const detail = toErrorDetail(error, `expand ${job.record.remotePath}`);
    // Nothing of the walk has happened yet: a refused or failed connection can be tried again
    // (the server may still count a closing session's connections against its limit).
    const failures = (job.connectFailures ?? 0) + 1;
    const policy = hooks.retry();
    if (classifyFailure(detail) === 'transient' && failures <= policy.maxRetries) {
      const delay = backoffDelay(failures, policy);
      job.connectFailures = failures;
      hooks.emit('log', {
        level: 'warning',
        text: `folder job ${job.record.remotePath}: could not connect (${describeError(detail)}); trying again in ${Math.round(delay / 100) / 10} s`,
        siteKey: job.record.siteKey,
      });
      hooks.retryLater(job, delay);
      return;
    }
    failJob(job, hooks, detail);
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
        hooks.addItem(job, { ...entry.file, relative });
      } else {
        hooks.addItem(job, {
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
      hooks.emit('job', { ...job.record });
    }
  } catch (error) {
    pool.release(client, !client.closed);
    failJob(job, hooks, toErrorDetail(error, `expand ${job.record.remotePath}`));
  }
}

function failJob(job: JobState, hooks: ExpansionHooks, error: FerryErrorDetail): void {
  job.record.error = error;
  job.record.expanded = true;
  job.expander = undefined;
  hooks.emit('log', {
    level: 'error',
    text: `folder job ${job.record.remotePath}: ${error.kind}`,
    siteKey: job.record.siteKey,
  });
  hooks.emit('job', { ...job.record });
}
