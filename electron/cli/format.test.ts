import { describe, expect, it } from 'vitest';
import { parseListing } from '../engine/listing';
import { formatListing } from './format';

describe('formatListing', () => {
  it('shows LIST times to the minute, and a date-only LIST time as the date alone', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const { entries } = parseListing(
      [
        '-rw-r--r--    1 1000     1000          12 Nov 20 09:05 recent.txt',
        '-rw-r--r--    1 1000     1000     1048576 Mar  4  2019 old archive.zip',
        'drwxr-xr-x    2 1000     1000        4096 Nov 21 17:40 inbox',
      ].join('\r\n'),
      'list',
      { now },
    );
    expect(formatListing(entries)).toBe(
      [
        'KIND     SIZE  MODIFIED (UTC)     NAME',
        'file       12  2026-11-20 09:05Z  recent.txt',
        'file  1048576  2019-03-04         old archive.zip',
        'dir      4096  2026-11-21 17:40Z  inbox',
        '',
      ].join('\n'),
    );
  });

  it('shows MLSD times to the minute and unknown sizes as ?', () => {
    const { entries } = parseListing(
      'type=file;modify=20260102030405; a.bin\r\ntype=dir;modify=20251231235959; sub\r\n',
      'mlsd',
    );
    expect(formatListing(entries)).toBe(
      [
        'KIND  SIZE  MODIFIED (UTC)     NAME',
        'file     ?  2026-01-02 03:04Z  a.bin',
        'dir      -  2025-12-31 23:59Z  sub',
        '',
      ].join('\n'),
    );
  });

  it('says so for an empty folder', () => {
    expect(formatListing([])).toBe('(empty folder)\n');
  });
});
