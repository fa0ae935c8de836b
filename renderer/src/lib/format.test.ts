import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from './format';

describe('formatDate (in New York, west of UTC)', () => {
  const zone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'America/New_York';
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('shows a day-precision listing date as that calendar date, not converted', () => {
    // LIST's `Nov 23  2025` parses to midnight UTC; converted, it would read 2025-11-22 19:00.
    expect(formatDate('2025-11-23T00:00:00.000Z', 'day')).toBe('2025-11-23');
  });

  it('shows other times in local time, to the minute', () => {
    expect(formatDate('2026-03-14T09:26:53.000Z', 'second')).toBe('2026-03-14 05:26');
    expect(formatDate('2026-03-14T09:26:00.000Z', 'minute')).toBe('2026-03-14 05:26');
    expect(formatDate('2026-01-14T09:26:53.000Z')).toBe('2026-01-14 04:26');
  });

  it('passes through what is not a time', () => {
    expect(formatDate('yesterday')).toBe('yesterday');
    expect(formatDate(undefined)).toBe('');
  });
});
