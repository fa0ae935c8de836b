import { describe, expect, it } from 'vitest';
import { FerryError } from '../errors';
import { parseListing, StreamingListingParser } from './index';

const now = new Date(Date.UTC(2026, 10, 23, 12, 0, 0));

const unix = [
  'total 12',
  'drwxr-xr-x    2 1001     1001         4096 Nov 20 10:00 docs',
  '-rw-r--r--    1 1001     1001          123 Jan 02  2024 név with spaces.txt',
  'lrwxrwxrwx    1 0        0              7 Nov 21 09:15 latest -> docs/a',
  'garbage line that is not a listing',
  '-rw-r--r--    1 1001     1001            1 Nov 23 11:59 ünïcødé',
].join('\r\n');

const mlsd = [
  'type=cdir;modify=20261123120000; .',
  'type=file;size=42;modify=20261101093000.123;UNIX.mode=0644; a; b c.txt',
  'type=dir;modify=20261102000000; folder',
].join('\r\n');

function splitEverywhere(bytes: Buffer, seed: number): Buffer[] {
  const parts: Buffer[] = [];
  let state = seed;
  let at = 0;
  while (at < bytes.length) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (state % 7);
    parts.push(bytes.subarray(at, at + size));
    at += size;
  }
  return parts;
}

describe('StreamingListingParser', () => {
  it.each([
    ['list', unix],
    ['mlsd', mlsd],
  ] as const)(
    'gives what parseListing gives for a %s listing, however it is split',
    (format, text) => {
      const expected = parseListing(text, format, { now });
      expect(expected.entries.length).toBeGreaterThan(1);
      for (let seed = 1; seed < 40; seed++) {
        const parser = new StreamingListingParser(format, 1 << 20, { now });
        for (const part of splitEverywhere(Buffer.from(text, 'utf8'), seed)) parser.push(part);
        expect(parser.finish()).toEqual(expected);
      }
    },
  );

  it('cuts off a listing larger than its cap', () => {
    const parser = new StreamingListingParser('list', 1000, { now });
    const line = Buffer.from(`${'-rw-r--r-- 1 a b 1 Nov 23 11:59 x'.padEnd(99, 'x')}\n`);
    expect(() => {
      for (let i = 0; i < 20; i++) parser.push(line);
    }).toThrow(FerryError);
    expect(() => parser.push(line)).toThrow(/listing exceeds 1000 bytes/);
  });
});
