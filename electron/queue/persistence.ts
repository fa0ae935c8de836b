import { readFile, rename } from 'node:fs/promises';
import { writeFileAtomic } from '../files/atomic-json';
import { ACTIVE_TRANSFER_STATES, type TransferItem } from '../../shared/transfers';
import type { JobRecord } from './types';

export interface QueueSnapshot {
  version: 1;
  jobs: JobRecord[];
  items: TransferItem[];
}

/** Reads a snapshot; a missing file is an empty queue, a corrupt one is set aside and ignored. */
export async function loadSnapshot(file: string): Promise<QueueSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<QueueSnapshot>;
    if (parsed.version !== 1 || !Array.isArray(parsed.jobs) || !Array.isArray(parsed.items)) {
      throw new Error('not a queue snapshot');
    }
    return { version: 1, jobs: parsed.jobs, items: parsed.items };
  } catch {
    await rename(file, `${file}.corrupt`).catch(() => undefined);
    return undefined;
  }
}

/**
 * Saves the queue at most once per `minIntervalMs` (a 100,000-file tree changes state constantly),
 * always the latest snapshot, one write at a time; `flush()` writes what is pending now.
 */
export class SnapshotWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private pending = false;
  private lastError: unknown;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => QueueSnapshot,
    private readonly minIntervalMs = 1000,
  ) {}

  schedule(): void {
    this.pending = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.minIntervalMs);
    this.timer.unref();
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return this.writing;
    this.pending = false;
    const text = JSON.stringify(this.snapshot());
    this.writing = this.writing
      .then(() => writeFileAtomic(this.file, text))
      .catch((error: unknown) => {
        this.lastError = error;
      });
    return this.writing;
  }

  /** The last write failure, if any (reported by the queue, never thrown from a timer). */
  get error(): unknown {
    return this.lastError;
  }
}

/** What survives a restart: jobs still in progress and every unfinished or failed item. */
export function snapshotOf(
  entries: Iterable<{ item: TransferItem }>,
  jobStates: Map<string, { record: JobRecord }>,
): QueueSnapshot {
  const items: TransferItem[] = [];
  const seenByJob = new Map<string, string[]>();
  for (const { item } of entries) {
    if (item.state === 'done' || item.state === 'cancelled') {
      if (item.relativePath !== undefined && !jobStates.get(item.jobId)?.record.expanded) {
        const list = seenByJob.get(item.jobId) ?? [];
        list.push(item.relativePath);
        seenByJob.set(item.jobId, list);
      }
      continue;
    }
    items.push({ ...item, state: ACTIVE_TRANSFER_STATES.has(item.state) ? 'queued' : item.state });
  }
  const live = new Set(items.map((item) => item.jobId));
  const jobs: JobRecord[] = [];
  for (const job of jobStates.values()) {
    if (job.record.expanded && !live.has(job.record.id)) continue;
    const seen = seenByJob.get(job.record.id);
    jobs.push({ ...job.record, ...(seen ? { finished: seen } : {}) });
  }
  return { version: 1, jobs, items };
}
