/**
 * Segmented downloads: one large file fetched over several pooled connections at once, each
 * connection asking for its own byte range with REST (as lftp's `pget -n` does), all of them
 * writing with positional writes into the item's one temp file. Verification, committing and
 * retries stay with the item runner; this module only moves the ranges.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { SegmentProgress } from '../../shared/transfers';
import type { FtpsClient } from '../engine/client';
import { FerryError } from '../engine/errors';
import { planSegments, type SegmentPolicy } from './segments';

/**
 * Each ranged fetch starts this many bytes early and keeps them in memory; afterwards they are
 * compared with what the file holds there. A server that answers REST with 350 but sends from the
 * start (or sends other bytes) is caught even when it offers no checksum.
 */
export const PROBE_BYTES = 4096;
/** Writes to the temp file are batched up to this size (fewer thread-pool hand-offs). */
const WRITE_BATCH = 1024 * 1024;

/** Another connection of the same site for one segment worker; released when it is done. */
export interface BorrowedClient {
  client: FtpsClient;
  release(reusable: boolean): void;
}

export interface SegmentedFetch {
  /** The item's own connection: the first worker uses it. */
  client: FtpsClient;
  remotePath: string;
  size: number;
  /** The temp file `handle` writes (read back for the probes). */
  path: string;
  handle: FileHandle;
  /** The plan with what is already written; `done` grows as writes complete. */
  segments: SegmentProgress[];
  signal: AbortSignal;
  /** A further connection of the site, or undefined when none may be opened now. */
  borrow: () => Promise<BorrowedClient | undefined>;
  /** Bytes written so far, summed across segments. */
  onBytes: (total: number) => void;
  /**
   * Probes not yet compared (the bytes before them were not written yet): kept by the caller
   * across attempts, compared as soon as the file holds those bytes.
   */
  probes: Probe[];
}

/** Bytes a ranged fetch received before its own range, to compare with the file there. */
export interface Probe {
  at: number;
  bytes: Buffer;
}

/** A fresh plan, or undefined when the file is better fetched whole. */
export function freshSegments(
  size: number,
  connections: number,
  policy: SegmentPolicy,
): SegmentProgress[] | undefined {
  if (connections < 2) return undefined;
  const ranges = planSegments(size, connections, policy);
  if (ranges.length < 2) return undefined;
  return ranges.map((range) => ({ ...range, done: 0 }));
}

/** A persisted plan still fits a file of `size`: contiguous ranges from 0 to the end. */
export function segmentsFit(segments: SegmentProgress[] | undefined, size: number): boolean {
  if (!segments || segments.length < 2) return false;
  let at = 0;
  for (const s of segments) {
    if (s.start !== at || s.end <= s.start || s.done < 0 || s.done > s.end - s.start) return false;
    at = s.end;
  }
  return at === size;
}

export function segmentBytes(segments: SegmentProgress[]): number {
  return segments.reduce((sum, s) => sum + s.done, 0);
}

/**
 * Fetches every unfinished segment, up to one worker per segment (the item's connection plus
 * borrowed ones). The first real failure stops the other workers and is thrown; what each segment
 * wrote stays counted in `done`, so the next attempt continues where they stopped. Returns
 * whether every probe matched (false: the server does not honour REST; the file is unusable).
 */
export async function fetchSegments(fetch: SegmentedFetch): Promise<boolean> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(fetch.signal.reason);
  if (fetch.signal.aborted) onAbort();
  else fetch.signal.addEventListener('abort', onAbort, { once: true });
  const todo = fetch.segments.filter((s) => s.start + s.done < s.end);
  const probes = fetch.probes;
  let failure: { error: unknown } | undefined;
  const work = async (client: FtpsClient): Promise<void> => {
    for (let segment = todo.shift(); segment; segment = todo.shift()) {
      if (stop.signal.aborted) return;
      await fetchRange(client, fetch, segment, stop.signal, probes);
    }
  };
  const guard = async (job: () => Promise<void>): Promise<void> => {
    try {
      await job();
    } catch (error) {
      // The first failure is the reason; the others are mostly the cancellations it caused.
      failure ??= { error };
      stop.abort(error);
    }
  };
  const extra = async (): Promise<void> => {
    const lease = await fetch.borrow();
    if (!lease) return;
    let reusable = false;
    try {
      await work(lease.client);
      reusable = true;
    } finally {
      lease.release(reusable && !lease.client.closed);
    }
  };
  try {
    const wanted = todo.length;
    const workers = [guard(() => work(fetch.client))];
    for (let i = 1; i < wanted; i++) workers.push(guard(extra));
    await Promise.all(workers);
  } finally {
    fetch.signal.removeEventListener('abort', onAbort);
  }
  // Checked even after a failure: a range filled with the wrong bytes must not be continued.
  if (!(await probesMatch(fetch))) return false;
  if (fetch.signal.aborted) throw new FerryError({ kind: 'cancelled', step: 'download' });
  if (failure) throw failure.error;
  return true;
}

/**
 * One range over one connection: REST to a little before where the segment continues (the
 * probe), then RETR, writing positionally; a segment that is not the file's last closes its data
 * connection as soon as it has its bytes (the server then answers 426 or 451, or 226 when it had
 * sent everything already: the engine consumes whichever comes).
 */
async function fetchRange(
  client: FtpsClient,
  fetch: SegmentedFetch,
  segment: SegmentProgress,
  signal: AbortSignal,
  probes: Probe[],
): Promise<void> {
  const from = segment.start + segment.done;
  const probe = Buffer.alloc(Math.min(from, PROBE_BYTES));
  const last = segment.end === fetch.size;
  let probeFill = 0;
  let position = from;
  let filled = false;
  const rangeStop = new AbortController();
  const onStop = (): void => rangeStop.abort(signal.reason);
  if (signal.aborted) onStop();
  else signal.addEventListener('abort', onStop, { once: true });
  const take = (chunks: Buffer[]): Buffer[] => {
    const out: Buffer[] = [];
    let room = segment.end - position;
    for (let chunk of chunks) {
      if (probeFill < probe.length) {
        const n = Math.min(probe.length - probeFill, chunk.length);
        chunk.copy(probe, probeFill, 0, n);
        probeFill += n;
        chunk = chunk.subarray(n);
        if (probeFill === probe.length) probes.push({ at: from - probe.length, bytes: probe });
      }
      if (chunk.length > room) chunk = chunk.subarray(0, room);
      if (chunk.length > 0) out.push(chunk);
      room -= chunk.length;
    }
    return out;
  };
  const put = (chunks: Buffer[], callback: (error?: Error | null) => void): void => {
    const slices = take(chunks);
    const written = slices.reduce((n, b) => n + b.length, 0);
    const write = written > 0 ? fetch.handle.writev(slices, position) : Promise.resolve();
    write.then(
      () => {
        position += written;
        // The file's last byte counts only once the server has ended the file there (below):
        // a range that was filled while the server sent on (a SIZE too small, REST ignored)
        // must be fetched again, not taken as done by the next attempt.
        segment.done = Math.min(position, fetch.size - 1) - segment.start;
        if (written > 0) fetch.onBytes(segmentBytes(fetch.segments));
        if (position >= segment.end && !last && !filled) {
          filled = true;
          // ABOR: the server stops sending and answers (426 or 226, then 226 to ABOR).
          rangeStop.abort();
        }
        callback();
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  };
  const sink = new Writable({
    highWaterMark: WRITE_BATCH,
    write: (chunk: Buffer, _encoding, callback) => put([chunk], callback),
    writev: (chunks, callback) =>
      put(
        chunks.map((c) => c.chunk as Buffer),
        callback,
      ),
  });
  sink.on('error', () => undefined);
  try {
    await client.download(fetch.remotePath, sink, {
      offset: from - probe.length,
      signal: rangeStop.signal,
      expectedSize: fetch.size,
      stopsEarly: true,
    });
    if (last) {
      segment.done = position - segment.start;
      fetch.onBytes(segmentBytes(fetch.segments));
    }
  } catch (error) {
    if (!filled || signal.aborted) throw error;
  } finally {
    signal.removeEventListener('abort', onStop);
  }
  if (probeFill < probe.length || position < segment.end) {
    throw new FerryError({
      kind: 'protocol',
      step: `download ${fetch.remotePath}`,
      reason: `the range ${segment.start}–${segment.end} ended at ${position}`,
    });
  }
}

/** True when the file holds bytes [at, at + length): some range has written them. */
function written(segments: SegmentProgress[], at: number, length: number): boolean {
  return segments.some((s) => at >= s.start && at + length <= s.start + s.done);
}

/** Compares (and drops) every probe whose bytes the file now holds; false on a difference. */
async function probesMatch(fetch: SegmentedFetch): Promise<boolean> {
  const ready = fetch.probes.filter((p) => written(fetch.segments, p.at, p.bytes.length));
  if (ready.length === 0) return true;
  fetch.probes.splice(0, fetch.probes.length, ...fetch.probes.filter((p) => !ready.includes(p)));
  // The write handle cannot read: a second one, on the temp file this queue created.
  const reader = await open(fetch.path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    for (const probe of ready) {
      const have = Buffer.alloc(probe.bytes.length);
      await reader.read(have, 0, have.length, probe.at);
      if (!have.equals(probe.bytes)) return false;
    }
    return true;
  } finally {
    await reader.close();
  }
}
