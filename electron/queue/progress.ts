import type { ProgressBatch, TransferProgressSample, TransferTotals } from '../../shared/transfers';

/** Bytes per second over a sliding window of recent samples. */
export class Speedometer {
  private readonly points: Array<{ t: number; bytes: number }> = [];

  constructor(private readonly windowMs = 3000) {}

  add(t: number, bytes: number): void {
    this.points.push({ t, bytes });
    while (this.points.length > 2 && t - (this.points[1]?.t ?? t) >= this.windowMs)
      this.points.shift();
  }

  speed(): number {
    const first = this.points[0];
    const last = this.points[this.points.length - 1];
    if (!first || !last || last.t <= first.t) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
  }
}

interface Tracked {
  bytesDone: number;
  size?: number;
  meter: Speedometer;
}

/**
 * Collects per-item byte counts as they happen (cheap: a number store) and emits at most one
 * batch per interval, only for items that moved, with speed and ETA computed here rather than in
 * the UI. Minimum interval 100 ms: never more than 10 batches a second.
 */
export class ProgressSampler {
  private readonly tracked = new Map<string, Tracked>();
  private readonly dirty = new Set<string>();
  private readonly finishing = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  private countsChanged = false;

  constructor(
    private readonly emit: (batch: ProgressBatch) => void,
    private readonly totals: () => Omit<TransferTotals, 'speed'>,
    intervalMs = 200,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.intervalMs = Math.max(100, intervalMs);
  }

  /** Starts or updates an item's count. */
  update(id: string, bytesDone: number, size?: number): void {
    let entry = this.tracked.get(id);
    if (!entry) {
      entry = { bytesDone, meter: new Speedometer() };
      this.tracked.set(id, entry);
    }
    entry.bytesDone = bytesDone;
    if (size !== undefined) entry.size = size;
    this.dirty.add(id);
    this.ensureTimer();
  }

  /** The item stopped moving (finished, failed, paused): one last sample, then forget it. */
  finish(id: string): void {
    if (!this.tracked.has(id)) return;
    this.dirty.add(id);
    this.finishing.add(id);
    this.ensureTimer();
  }

  /**
   * An item changed state without moving bytes (skipped, failed before its first byte, queued):
   * the next batch carries the new totals even if it has no samples.
   */
  countsMoved(): void {
    this.countsChanged = true;
    this.ensureTimer();
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Emits a batch now if anything moved (also called on stop). */
  flush(): void {
    const t = this.now();
    let speedSum = 0;
    const samples: TransferProgressSample[] = [];
    for (const [id, entry] of this.tracked) {
      entry.meter.add(t, entry.bytesDone);
      const speed = entry.meter.speed();
      speedSum += speed;
      if (!this.dirty.has(id)) continue;
      const sample: TransferProgressSample = {
        id,
        bytesDone: entry.bytesDone,
        speed: Math.round(speed),
      };
      if (entry.size !== undefined) {
        sample.size = entry.size;
        if (speed > 0) sample.etaSeconds = Math.max(0, (entry.size - entry.bytesDone) / speed);
      }
      samples.push(sample);
    }
    for (const id of this.finishing) this.tracked.delete(id);
    this.finishing.clear();
    this.dirty.clear();
    const countsChanged = this.countsChanged;
    this.countsChanged = false;
    if (samples.length === 0) {
      if (this.tracked.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
      if (!countsChanged) return;
    }
    this.emit({ samples, totals: { ...this.totals(), speed: Math.round(speedSum) } });
  }

  forget(id: string): void {
    this.tracked.delete(id);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }
}
