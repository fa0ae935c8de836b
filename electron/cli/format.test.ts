import { describe, expect, it } from 'vitest';
import type { RemoteEntry } from '../../shared/models';
import { parseListing } from '../engine/listing';
import { formatListing, jsonForTerminal, printable, terminalSafe } from './format';

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

  it('formats 500,000 entries (the widths are not found by spreading a column into Math.max)', () => {
    const count = 500_000;
    const entries: RemoteEntry[] = Array.from({ length: count }, (_, i) => ({
      name: `file-${i}.bin`,
      kind: 'file',
      size: i,
      modified: '2026-01-02T03:04:05.000Z',
    }));
    entries[123_456] = { name: 'widest\x1b', kind: 'other', size: 12_345_678_901 };
    const lines = formatListing(entries).split('\n');
    expect(lines).toHaveLength(count + 2);
    expect(lines[0]).toBe('KIND          SIZE  MODIFIED (UTC)     NAME');
    expect(lines[1]).toBe('file             0  2026-01-02 03:04Z  file-0.bin');
    expect(lines[123_457]).toBe('other  12345678901                     widest\\x1b');
    expect(lines[count]).toBe('file        499999  2026-01-02 03:04Z  file-499999.bin');
  });

  it('says so for an empty folder', () => {
    expect(formatListing([])).toBe('(empty folder)\n');
  });
});

describe('terminal escaping', () => {
  const hostile = 'a\x1b]0;title\x07b\x1b[2Jc\u009bd\u202eexe.txt\r\nnext';

  it('printable: one line, every control shown', () => {
    expect(printable(hostile)).toBe(
      'a\\x1b]0;title\\x07b\\x1b[2Jc\\x9bd\\u202eexe.txt\\x0d\\x0anext',
    );
  });

  it('terminalSafe: the same, newlines kept', () => {
    expect(terminalSafe(hostile)).toBe(
      'a\\x1b]0;title\\x07b\\x1b[2Jc\\x9bd\\u202eexe.txt\\x0d\nnext',
    );
    expect(terminalSafe('plain text, ünïcödé ✓\n')).toBe('plain text, ünïcödé ✓\n');
  });

  it('jsonForTerminal: no raw control left, and the JSON parses back to the same value', () => {
    const value = { name: hostile };
    const json = jsonForTerminal(JSON.stringify(value, null, 2));
    // eslint-disable-next-line no-control-regex -- looking for raw control characters
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
