import { describe, expect, it } from 'vitest';
import type { RemoteEntry } from '../../../shared/models';
import { parseUnixLine } from './unix';

// Fixtures are in the spirit of FileZilla's directory listing parser tests (same server quirks),
// written for Ferry's entry model. "Now" is pinned so year inference is exact.
const NOW = new Date('2026-06-15T12:00:00Z');

function parse(line: string, now = NOW): RemoteEntry | 'ignore' | null {
  return parseUnixLine(line, now);
}

describe('parseUnixLine: standard ls -l', () => {
  it.each<[string, string, RemoteEntry]>([
    [
      'directory with a year',
      'dr-xr-xr-x   2 root     other        512 Apr  8  1994 01 unix std dir',
      {
        name: '01 unix std dir',
        kind: 'dir',
        size: 512,
        permissions: 'dr-xr-xr-x',
        owner: 'root',
        group: 'other',
        modified: '1994-04-08T00:00:00.000Z',
        modifiedPrecision: 'day',
      },
    ],
    [
      'recent file with a time',
      '-rw-r--r--   1 root     other        531 Jan 29 03:26 02 unix std file',
      {
        name: '02 unix std file',
        kind: 'file',
        size: 531,
        permissions: '-rw-r--r--',
        owner: 'root',
        group: 'other',
        modified: '2026-01-29T03:26:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'group omitted',
      'dr-xr-xr-x   2 root                  512 Apr  8  1994 03 nogroup dir',
      {
        name: '03 nogroup dir',
        kind: 'dir',
        size: 512,
        permissions: 'dr-xr-xr-x',
        owner: 'root',
        modified: '1994-04-08T00:00:00.000Z',
        modifiedPrecision: 'day',
      },
    ],
    [
      'symbolic link',
      'lrwxrwxrwx   1 root     other          7 Jan 25 00:17 04 std link -> usr/bin',
      {
        name: '04 std link',
        kind: 'link',
        linkTarget: 'usr/bin',
        size: 7,
        permissions: 'lrwxrwxrwx',
        owner: 'root',
        group: 'other',
        modified: '2026-01-25T00:17:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'long-iso date',
      '-rw-r--r--   1 root     other        531 2005-06-07 21:22 07 iso file',
      {
        name: '07 iso file',
        kind: 'file',
        size: 531,
        permissions: '-rw-r--r--',
        owner: 'root',
        group: 'other',
        modified: '2005-06-07T21:22:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'full-iso date with zone',
      '-rw-r--r-- 1 u g 5 2005-06-07 21:22:33.123456789 +0200 zoned',
      {
        name: 'zoned',
        kind: 'file',
        size: 5,
        permissions: '-rw-r--r--',
        owner: 'u',
        group: 'g',
        modified: '2005-06-07T19:22:33.123Z',
        modifiedPrecision: 'second',
      },
    ],
    [
      'Windows server with a domain column',
      '-rw-r--r--   1 group domain user 531 Jan 29 03:26 13 domain file',
      {
        name: '13 domain file',
        kind: 'file',
        size: 531,
        permissions: '-rw-r--r--',
        owner: 'group',
        group: 'domain user',
        modified: '2026-01-29T03:26:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'no owner and group',
      '-r--r--r-- 0125039 12 Nov 11 2005 53 noownergroup file',
      {
        name: '53 noownergroup file',
        kind: 'file',
        size: 12,
        permissions: '-r--r--r--',
        modified: '2005-11-11T00:00:00.000Z',
        modifiedPrecision: 'day',
      },
    ],
    [
      'no link count',
      '-rw-r--r-- owner group 5 Jan  1  2020 nolinks',
      {
        name: 'nolinks',
        kind: 'file',
        size: 5,
        permissions: '-rw-r--r--',
        owner: 'owner',
        group: 'group',
        modified: '2020-01-01T00:00:00.000Z',
        modifiedPrecision: 'day',
      },
    ],
    [
      'NetPresenz-style owner only',
      'drwxrwxr-x               folder        2 May 10  1996 12 netpresenz dir',
      {
        name: '12 netpresenz dir',
        kind: 'dir',
        size: 2,
        permissions: 'drwxrwxr-x',
        owner: 'folder',
        modified: '1996-05-10T00:00:00.000Z',
        modifiedPrecision: 'day',
      },
    ],
    [
      'day before month and a name that starts with a number',
      'drwxrwxrwx   1 0        0               0 29 Jul 02:27 2014 Invoices',
      {
        name: '2014 Invoices',
        kind: 'dir',
        size: 0,
        permissions: 'drwxrwxrwx',
        owner: '0',
        group: '0',
        modified: '2025-07-29T02:27:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'day before month with a year',
      'drwxr-xr-x 3 user group 512 01 oct 2004 52 swapped dir',
      {
        name: '52 swapped dir',
        kind: 'dir',
        size: 512,
        permissions: 'drwxr-xr-x',
        owner: 'user',
        group: 'group',
        modified: '2004-10-01T00:00:00.000Z',
        modifiedPrecision: 'day',
      },
    ],
    [
      'VShell date with year and time',
      '-rwxr-xr-x    1 user group        9 Oct 08, 2002 09:47 23 vshell file',
      {
        name: '23 vshell file',
        kind: 'file',
        size: 9,
        permissions: '-rwxr-xr-x',
        owner: 'user',
        group: 'group',
        modified: '2002-10-08T09:47:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      '24:00 as midnight',
      '-rw-------      1  99999999 0              3 Apr   4 24:00 alternate_midnight',
      {
        name: 'alternate_midnight',
        kind: 'file',
        size: 3,
        permissions: '-rw-------',
        owner: '99999999',
        group: '0',
        modified: '2026-04-05T00:00:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'BSD ls -T with seconds and year',
      '-rw-r--r--  1 u  g  10 Jan 29 03:26:14 2005 bsd file',
      {
        name: 'bsd file',
        kind: 'file',
        size: 10,
        permissions: '-rw-r--r--',
        owner: 'u',
        group: 'g',
        modified: '2005-01-29T03:26:14.000Z',
        modifiedPrecision: 'second',
      },
    ],
    [
      'character device with major, minor',
      'crw-rw-rw-   1 root     root       1,   3 Jan  1  2020 null',
      {
        name: 'null',
        kind: 'other',
        permissions: 'crw-rw-rw-',
        owner: 'root',
        group: 'root',
        modified: '2020-01-01T00:00:00.000Z',
        modifiedPrecision: 'day',
      },
    ],
    [
      'block device with major,minor in one column',
      'brw-rw---- 1 root disk 8,0 Jan  1  2020 sda',
      {
        name: 'sda',
        kind: 'other',
        permissions: 'brw-rw----',
        owner: 'root',
        group: 'disk',
        modified: '2020-01-01T00:00:00.000Z',
        modifiedPrecision: 'day',
      },
    ],
    [
      'ACL marker and sticky bit',
      'drwxrwxrwt+ 12 root root 4096 Sep  9  2021 tmp',
      {
        name: 'tmp',
        kind: 'dir',
        size: 4096,
        permissions: 'drwxrwxrwt+',
        owner: 'root',
        group: 'root',
        modified: '2021-09-09T00:00:00.000Z',
        modifiedPrecision: 'day',
      },
    ],
    [
      'named pipe',
      'prw-r--r-- 1 u g 0 Sept 9 2021 fifo',
      {
        name: 'fifo',
        kind: 'other',
        size: 0,
        permissions: 'prw-r--r--',
        owner: 'u',
        group: 'g',
        modified: '2021-09-09T00:00:00.000Z',
        modifiedPrecision: 'day',
      },
    ],
  ])('%s', (_label, line, expected) => {
    expect(parse(line)).toEqual(expected);
  });
});

describe('parseUnixLine: names', () => {
  const prefix = '-rw-r--r-- 1 u g 5 Jan  1  2020 ';

  it.each([
    ['  two leading spaces', '  two leading spaces'],
    ['trailing spaces  ', 'trailing spaces  '],
    ['inner   runs\tand tab', 'inner   runs\tand tab'],
    ['2021', '2021'],
    ['12:00', '12:00'],
    ['Jan 1 2000', 'Jan 1 2000'],
    ['-rw-r--r-- 1 u g 5 Jan 1 2020 nested', '-rw-r--r-- 1 u g 5 Jan 1 2020 nested'],
    ['not a -> link', 'not a -> link'],
    ['日本語 ファイル', '日本語 ファイル'],
  ])('keeps %j', (name, expected) => {
    const entry = parse(prefix + name);
    expect(entry).not.toBeNull();
    expect(entry).not.toBe('ignore');
    expect((entry as RemoteEntry).name).toBe(expected);
  });

  it('takes a name that looks like a date for the name, not the date', () => {
    const entry = parse('-rw-r--r-- 1 u g 5 Feb  3 10:00 Mar 4 2001 x') as RemoteEntry;
    expect(entry.modified).toBe('2026-02-03T10:00:00.000Z');
    expect(entry.name).toBe('Mar 4 2001 x');
  });

  it('splits a link at the first arrow only', () => {
    const entry = parse('lrwxrwxrwx 1 u g 5 Jan  1  2020 a -> b -> c') as RemoteEntry;
    expect(entry.name).toBe('a');
    expect(entry.linkTarget).toBe('b -> c');
  });

  it('keeps a link without an arrow as a link with no target', () => {
    const entry = parse('lrwxrwxrwx 1 u g 5 Jan  1  2020 lonely') as RemoteEntry;
    expect(entry).toMatchObject({ name: 'lonely', kind: 'link' });
    expect(entry.linkTarget).toBeUndefined();
  });

  it('keeps hostile names verbatim (validation happens before local use)', () => {
    expect((parse(`${prefix}../../etc/passwd`) as RemoteEntry).name).toBe('../../etc/passwd');
    expect((parse(`${prefix}..`) as RemoteEntry).name).toBe('..');
  });
});

describe('parseUnixLine: year inference', () => {
  it.each([
    ['Jun 15 11:00', '2026-06-15T11:00:00.000Z'], // earlier today
    ['Jun 16 10:00', '2026-06-16T10:00:00.000Z'], // within a day ahead: clock skew
    ['Jun 16 13:00', '2025-06-16T13:00:00.000Z'], // more than a day ahead: last year
    ['Dec 24 10:00', '2025-12-24T10:00:00.000Z'],
    ['Jan  1 00:00', '2026-01-01T00:00:00.000Z'],
  ])('%s', (date, iso) => {
    const entry = parse(`-rw-r--r-- 1 u g 5 ${date} f`) as RemoteEntry;
    expect(entry.modified).toBe(iso);
  });

  it('finds the last leap year for Feb 29', () => {
    const entry = parse('-rw-r--r-- 1 u g 5 Feb 29 10:00 f', new Date('2028-03-01T00:00:00Z'));
    expect((entry as RemoteEntry).modified).toBe('2028-02-29T10:00:00.000Z');
    const later = parse('-rw-r--r-- 1 u g 5 Feb 29 10:00 f', new Date('2029-01-10T00:00:00Z'));
    expect((later as RemoteEntry).modified).toBe('2028-02-29T10:00:00.000Z');
  });

  it('rejects Feb 29 when neither this nor last year has one', () => {
    expect(parse('-rw-r--r-- 1 u g 5 Feb 29 10:00 f')).toBeNull();
  });
});

describe('parseUnixLine: sizes', () => {
  it('leaves out a size beyond 2^53', () => {
    const entry = parse('-rw-r--r-- 1 u g 99999999999999999999 Jan  1  2020 huge') as RemoteEntry;
    expect(entry.name).toBe('huge');
    expect(entry.size).toBeUndefined();
  });

  it('reads sizes above 4 GiB exactly', () => {
    const entry = parse('-rw-r--r-- 1 u g 5368709120 Jan  1  2020 big') as RemoteEntry;
    expect(entry.size).toBe(5368709120);
  });
});

describe('parseUnixLine: lines that are not entries', () => {
  it('ignores total lines', () => {
    expect(parse('total 24')).toBe('ignore');
    expect(parse('total 0')).toBe('ignore');
  });

  it.each([
    ['dateless', 'drwxr-xr-x 3 slopri devlab 512 71-unix-dateless'],
    ['no name', '-rw-r--r-- 1 u g 5 Jan  1  2020'],
    ['only a space after the date', '-rw-r--r-- 1 u g 5 Jan  1  2020 '],
    ['invalid date', '-rw-r--r-- 1 u g 5 Feb 30  2020 f'],
    ['invalid time', '-rw-r--r-- 1 u g 5 Feb  3 25:00 f'],
    ['minute 60', '-rw-r--r-- 1 u g 5 Feb  3 10:60 f'],
    ['day 0', '-rw-r--r-- 1 u g 5 Feb  0  2020 f'],
    ['bad permissions', '-rw-r--r-x-- 1 u g 5 Jan  1  2020 f'],
    ['NetWare', 'd [R----F--] supervisor            512       Jan 16 18:53    netware'],
    ['DOS', '04-27-00  12:09PM       <DIR>          dos dir'],
    ['too many owner columns', '-rw-r--r-- 1 a b c d 5 Jan  1  2020 f'],
    ['size not numeric', '-rw-r--r-- 1 u g 5k Jan  1  2020 f'],
    ['total with text', 'total of 5'],
    ['empty', ''],
  ])('rejects %s', (_label, line) => {
    expect(parse(line)).toBeNull();
  });
});
