import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FerryError } from '../errors';
import { resolveLocalTarget, validateRemoteName } from '../safe-path';
import { decodeListing, ListingAccumulator, MAX_LISTING_BYTES, parseListing } from './index';

const NOW = new Date('2026-06-15T12:00:00Z');

describe('parseListing (list)', () => {
  it('parses a vsftpd-style listing with total, . and .. lines', () => {
    const text = [
      'total 16',
      'drwxr-xr-x    4 1000     1000         4096 Jun 10 09:30 .',
      'drwxr-xr-x    3 0        0            4096 Jan 01  2024 ..',
      'drwxr-xr-x    2 1000     1000         4096 Jun 10 09:30 My Documents',
      '-rw-r--r--    1 1000     1000      1048576 May 31 23:59 report 2026.pdf',
      'lrwxrwxrwx    1 1000     1000            7 Jun 01 08:00 latest -> My Documents',
      '',
    ].join('\r\n');
    expect(parseListing(text, 'list', { now: NOW })).toEqual({
      entries: [
        {
          name: 'My Documents',
          kind: 'dir',
          size: 4096,
          permissions: 'drwxr-xr-x',
          owner: '1000',
          group: '1000',
          modified: '2026-06-10T09:30:00.000Z',
          modifiedPrecision: 'minute',
        },
        {
          name: 'report 2026.pdf',
          kind: 'file',
          size: 1048576,
          permissions: '-rw-r--r--',
          owner: '1000',
          group: '1000',
          modified: '2026-05-31T23:59:00.000Z',
          modifiedPrecision: 'minute',
        },
        {
          name: 'latest',
          kind: 'link',
          linkTarget: 'My Documents',
          size: 7,
          permissions: 'lrwxrwxrwx',
          owner: '1000',
          group: '1000',
          modified: '2026-06-01T08:00:00.000Z',
          modifiedPrecision: 'minute',
        },
      ],
      skipped: [],
    });
  });

  it('detects Unix and DOS per line and reports lines nobody understands', () => {
    const text =
      '04-27-00  12:09PM       <DIR>          dos dir\n' +
      '-rw-r--r-- 1 u g 5 Jan  1  2020 unix file\n' +
      'type=file;size=3; mlsd in list\n' +
      'this is not a listing line\n' +
      '   \n' +
      '04-27-00  12:09PM       <DIR>          ..\n';
    const result = parseListing(text, 'list', { now: NOW });
    expect(result.entries.map((entry) => [entry.name, entry.kind])).toEqual([
      ['dos dir', 'dir'],
      ['unix file', 'file'],
      ['mlsd in list', 'file'],
    ]);
    expect(result.skipped).toEqual(['this is not a listing line']);
  });

  it('handles bare LF and a missing final newline', () => {
    const result = parseListing(
      '-rw-r--r-- 1 u g 5 Jan  1  2020 a\n-rw-r--r-- 1 u g 6 Jan  1  2020 b',
      'list',
    );
    expect(result.entries.map((entry) => [entry.name, entry.size])).toEqual([
      ['a', 5],
      ['b', 6],
    ]);
  });

  it('returns nothing for an empty listing', () => {
    expect(parseListing('', 'list')).toEqual({ entries: [], skipped: [] });
    expect(parseListing('\r\n', 'mlsd')).toEqual({ entries: [], skipped: [] });
  });

  it('uses the current time when none is given', () => {
    const { entries } = parseListing('-rw-r--r-- 1 u g 5 Jan  1 00:00 f', 'list');
    const year = new Date().getUTCFullYear();
    expect([`${year}-01-01T00:00:00.000Z`, `${year - 1}-01-01T00:00:00.000Z`]).toContain(
      entries[0]?.modified,
    );
  });
});

describe('parseListing (mlsd)', () => {
  it('does not fall back to LIST formats', () => {
    const result = parseListing('-rw-r--r-- 1 u g 5 Jan  1  2020 f\ntype=file; ok\n', 'mlsd');
    expect(result.entries).toEqual([{ name: 'ok', kind: 'file' }]);
    expect(result.skipped).toEqual(['-rw-r--r-- 1 u g 5 Jan  1  2020 f']);
  });
});

describe('hostile names never map outside the chosen folder', () => {
  const root = path.join(os.tmpdir(), 'ferry-listing-root');
  const hostile = [
    '../x',
    '../../etc/passwd',
    'a/b',
    '/etc/passwd',
    '..',
    '.',
    'nul\0byte',
    'cr\rname',
    'esc\x1b[2Jname',
    'back\\slash',
    '..\\..\\windows',
    'del\x7f',
  ];

  function listings(name: string): Array<[string, 'mlsd' | 'list']> {
    return [
      [`type=file;size=1; ${name}\r\n`, 'mlsd'],
      [`-rw-r--r-- 1 u g 1 Jan  1  2020 ${name}\r\n`, 'list'],
      [`01-01-20  10:00AM                    1 ${name}\r\n`, 'list'],
    ];
  }

  function inside(target: string): boolean {
    const relative = path.relative(root, target);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  }

  it.each(hostile)('%j', (name) => {
    for (const [text, format] of listings(name)) {
      const { entries, skipped } = parseListing(text, format, { now: NOW });
      expect(skipped).toEqual([]);
      expect(entries.map((entry) => entry.name)).toEqual(
        name === '.' || name === '..' ? [] : [name],
      );
      for (const entry of entries) {
        // As a single name it is refused outright…
        expect(validateRemoteName(entry.name, { windows: false }).ok).toBe(false);
        expect(validateRemoteName(entry.name, { windows: true }).ok).toBe(false);
        // …and even read as a relative path it never lands outside the root.
        let target: string | undefined;
        try {
          target = resolveLocalTarget(root, entry.name);
        } catch (error) {
          expect(error).toBeInstanceOf(FerryError);
          expect((error as FerryError).detail.kind).toBe('unsafe-input');
        }
        if (target !== undefined) expect(inside(target)).toBe(true);
      }
    }
  });

  it('maps a slash in a listing name to a sub-folder of the root at worst', () => {
    expect(resolveLocalTarget(root, 'a/b')).toBe(path.join(root, 'a', 'b'));
  });
});

describe('ListingAccumulator', () => {
  it('defaults to 64 MiB', () => {
    expect(MAX_LISTING_BYTES).toBe(64 * 1024 * 1024);
  });

  it('collects chunks up to the cap', () => {
    const accumulator = new ListingAccumulator(11);
    accumulator.push(Buffer.from('type='));
    accumulator.push(Buffer.from('dir; x'));
    expect(() => accumulator.push(Buffer.alloc(0))).not.toThrow();
    expect(accumulator.bytes).toBe(11);
    expect(accumulator.text()).toBe('type=dir; x');
    expect(() => accumulator.push(Buffer.from('!'))).toThrow('listing exceeds 11 bytes');
  });

  it('throws once the cap is crossed and keeps throwing', () => {
    const accumulator = new ListingAccumulator(10);
    accumulator.push(Buffer.from('12345'));
    let error: unknown;
    try {
      accumulator.push(Buffer.from('678901'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FerryError);
    expect((error as FerryError).detail).toEqual({
      kind: 'protocol',
      step: 'read listing',
      reason: 'listing exceeds 10 bytes',
    });
    expect(() => accumulator.push(Buffer.from('x'))).toThrow(FerryError);
    expect(() => accumulator.text()).toThrow(FerryError);
    expect(accumulator.bytes).toBe(0);
  });

  it('cuts off an endless listing without holding more than the cap', () => {
    const cap = 1024 * 1024;
    const accumulator = new ListingAccumulator(cap);
    const chunk = Buffer.from('-rw-r--r-- 1 u g 5 Jan  1  2020 endless\r\n'.repeat(100));
    let pushed = 0;
    expect(() => {
      for (;;) {
        accumulator.push(chunk);
        pushed++;
        if (accumulator.bytes > cap) throw new Error('held more than the cap');
      }
    }).toThrow('listing exceeds 1048576 bytes');
    expect(pushed).toBe(Math.floor(cap / chunk.length));
  });

  it('parses what it collected', () => {
    const accumulator = new ListingAccumulator();
    accumulator.push(Buffer.from('type=file;size=2; a\r\ntype=d'));
    accumulator.push(Buffer.from('ir; b\r\n'));
    expect(accumulator.parse('mlsd').entries).toEqual([
      { name: 'a', kind: 'file', size: 2 },
      { name: 'b', kind: 'dir' },
    ]);
  });
});

describe('decodeListing', () => {
  it('decodes UTF-8', () => {
    expect(decodeListing(Buffer.from('type=file; Grüße 日本\r\n'))).toBe(
      'type=file; Grüße 日本\r\n',
    );
  });

  it('falls back to latin1 only on the lines that are not UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from('type=file; caf'),
      Buffer.from([0xe9]),
      Buffer.from('\r\ntype=file; Grüße\r\n'),
    ]);
    expect(decodeListing(bytes)).toBe('type=file; café\r\ntype=file; Grüße\r\n');
  });
});
