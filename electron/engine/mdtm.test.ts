import { describe, expect, it } from 'vitest';
import { formatMdtm, parseMdtm } from './mdtm';

describe('parseMdtm', () => {
  it('reads YYYYMMDDHHMMSS as UTC, with optional milliseconds', () => {
    expect(parseMdtm('20240229235958')?.toISOString()).toBe('2024-02-29T23:59:58.000Z');
    expect(parseMdtm('20240229235958.5')?.toISOString()).toBe('2024-02-29T23:59:58.500Z');
    expect(parseMdtm('  19990101000000.123 ')?.toISOString()).toBe('1999-01-01T00:00:00.123Z');
  });

  it('round-trips what formatMdtm writes', () => {
    const when = new Date('2031-07-04T05:06:07Z');
    expect(parseMdtm(formatMdtm(when))).toEqual(when);
  });

  // A broken or hostile server's time must not roll over into another valid date (month 13 as
  // next January, day 32 as next month's 1st): it is no time at all.
  it.each([
    ['month 13', '20241301120000'],
    ['February 30', '20230230120000'],
    ['hour 24', '20240101240000'],
    ['minute 60', '20240101126000'],
    ['day 0', '20240100120000'],
    ['more digits than a time', '2024010112000099'],
    ['a time inside other text', 'x20240101120000'],
    ['no time', 'File not found'],
    ['empty', ''],
  ])('%s is not a time', (_label, text) => {
    expect(parseMdtm(text)).toBeUndefined();
  });
});
