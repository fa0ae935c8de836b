import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEGMENT_POLICY,
  planSegments,
  type ByteRange,
  type SegmentPolicy,
} from './segments';

const MiB = 1024 * 1024;

function expectCover(ranges: ByteRange[], size: number): void {
  expect(ranges[0]?.start).toBe(0);
  expect(ranges[ranges.length - 1]?.end).toBe(size);
  for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.start).toBe(ranges[i - 1]?.end);
  for (const range of ranges) expect(range.end).toBeGreaterThan(range.start);
}

describe('planSegments', () => {
  it('keeps files under the threshold whole', () => {
    expect(planSegments(63 * MiB, 4)).toEqual([{ start: 0, end: 63 * MiB }]);
    expect(planSegments(1, 4)).toEqual([{ start: 0, end: 1 }]);
    expect(planSegments(0, 4)).toEqual([{ start: 0, end: 0 }]);
  });

  it('keeps a file whole with one connection', () => {
    expect(planSegments(1024 * MiB, 1)).toEqual([{ start: 0, end: 1024 * MiB }]);
  });

  it('splits into equal aligned ranges, one per connection', () => {
    const ranges = planSegments(256 * MiB, 4);
    expect(ranges).toEqual([
      { start: 0, end: 64 * MiB },
      { start: 64 * MiB, end: 128 * MiB },
      { start: 128 * MiB, end: 192 * MiB },
      { start: 192 * MiB, end: 256 * MiB },
    ]);
  });

  it('never makes a segment smaller than the minimum', () => {
    // 70 MiB at 16 MiB minimum: four segments at most, not ten.
    const ranges = planSegments(70 * MiB, 10);
    expect(ranges).toHaveLength(4);
    expectCover(ranges, 70 * MiB);
    for (const range of ranges.slice(0, -1))
      expect(range.end - range.start).toBeGreaterThanOrEqual(16 * MiB);
  });

  it('covers odd sizes exactly, boundaries on the alignment, the tail in the last range', () => {
    for (const size of [64 * MiB, 64 * MiB + 1, 1000 * MiB + 12_345, 2 ** 40 + 7]) {
      for (const connections of [2, 3, 4, 7, 10]) {
        const ranges = planSegments(size, connections);
        expectCover(ranges, size);
        expect(ranges.length).toBeLessThanOrEqual(connections);
        for (const range of ranges.slice(1)) expect(range.start % MiB).toBe(0);
        const lengths = ranges.map((r) => r.end - r.start);
        // Nearly equal: within two alignment units of each other.
        expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(2 * MiB);
      }
    }
  });

  it('follows a custom policy', () => {
    const policy: SegmentPolicy = { thresholdBytes: 10, minSegmentBytes: 3, alignBytes: 1 };
    expect(planSegments(10, 3, policy)).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 7 },
      { start: 7, end: 10 },
    ]);
    expect(planSegments(9, 3, policy)).toEqual([{ start: 0, end: 9 }]);
  });

  it('drops a segment alignment would make empty rather than emit it', () => {
    const policy: SegmentPolicy = { thresholdBytes: 0, minSegmentBytes: 1, alignBytes: 8 };
    const ranges = planSegments(20, 4, policy);
    expectCover(ranges, 20);
    expect(ranges.length).toBeLessThanOrEqual(4);
  });

  it('refuses sizes and counts that are not whole numbers', () => {
    expect(() => planSegments(-1, 2)).toThrow(RangeError);
    expect(() => planSegments(Number.NaN, 2)).toThrow(RangeError);
    expect(() => planSegments(10, 0)).toThrow(RangeError);
    expect(() => planSegments(10, 1.5)).toThrow(RangeError);
    expect(() => planSegments(10, 2, { ...DEFAULT_SEGMENT_POLICY, alignBytes: 0 })).toThrow(
      RangeError,
    );
  });
});
