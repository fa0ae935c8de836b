/**
 * Range planning for segmented downloads (one large file over several connections with REST, as
 * lftp's `pget -n` does). Pure: which byte ranges, not how they are fetched. The transfer side
 * waits for the shared local-file layer.
 */

export interface SegmentPolicy {
  /** Files smaller than this are fetched whole over one connection. */
  thresholdBytes: number;
  /** No segment is smaller than this (each costs a data connection and a REST round trip). */
  minSegmentBytes: number;
  /** Segment boundaries are multiples of this (whole file-system blocks per writer). */
  alignBytes: number;
}

export const DEFAULT_SEGMENT_POLICY: SegmentPolicy = {
  thresholdBytes: 64 * 1024 * 1024,
  minSegmentBytes: 16 * 1024 * 1024,
  alignBytes: 1024 * 1024,
};

/** Bytes `start` (inclusive) to `end` (exclusive). */
export interface ByteRange {
  start: number;
  end: number;
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be a whole number of at least ${min}, not ${value}`);
  }
}

/**
 * Splits `size` bytes into at most `connections` contiguous ranges of nearly equal length that
 * cover the file exactly; one range when the file is under the threshold, when only one
 * connection is allowed, or when the minimum segment size leaves room for only one.
 */
export function planSegments(
  size: number,
  connections: number,
  policy: SegmentPolicy = DEFAULT_SEGMENT_POLICY,
): ByteRange[] {
  checkCount('size', size, 0);
  checkCount('connections', connections, 1);
  checkCount('minSegmentBytes', policy.minSegmentBytes, 1);
  checkCount('alignBytes', policy.alignBytes, 1);
  if (size === 0) return [{ start: 0, end: 0 }];
  const count =
    size < policy.thresholdBytes
      ? 1
      : Math.max(1, Math.min(connections, Math.floor(size / policy.minSegmentBytes)));
  if (count === 1) return [{ start: 0, end: size }];
  const ranges: ByteRange[] = [];
  let start = 0;
  for (let i = 1; i <= count; i++) {
    const ideal = Math.round((size * i) / count);
    const aligned = i === count ? size : Math.floor(ideal / policy.alignBytes) * policy.alignBytes;
    // Alignment may swallow a segment when the align unit is large against the segment.
    if (aligned > start) {
      ranges.push({ start, end: aligned });
      start = aligned;
    }
  }
  const last = ranges[ranges.length - 1];
  if (last && last.end !== size) last.end = size;
  return ranges;
}
