import { describe, expect, it } from 'vitest';
import type { RemoteEntry, TimePrecision } from '../../shared/models';
import { FerryError } from './errors';
import { decodeListing, ListingAccumulator, parseListing } from './listing';
import { ReplyParser, type FtpReply } from './reply-parser';

// Deterministic fuzzing: a fixed seed per test, so a failure reproduces exactly.

/** mulberry32: a tiny, good-enough 32-bit PRNG. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  string(alphabet: readonly string[], min: number, max: number): string {
    let out = '';
    const length = this.int(min, max);
    for (let i = 0; i < length; i++) out += this.pick(alphabet);
    return out;
  }
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(0, 255);
    return out;
  }
  /** Cuts `data` into random pieces (some empty). */
  split(data: Buffer, maxPiece: number): Buffer[] {
    const pieces: Buffer[] = [];
    let offset = 0;
    while (offset < data.length) {
      const size = this.int(0, maxPiece);
      pieces.push(data.subarray(offset, offset + size));
      offset += size;
    }
    return pieces;
  }
}

const ASCII_TEXT = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,;:()"\'/\t',
];
const UNICODE_TEXT = [...ASCII_TEXT, 'é', 'ü', '日', '本', '😀', 'Ω'];
/** Latin-1 letters at 0xc0 and above: any of them makes a byte string invalid UTF-8. */
const LATIN1_TEXT = [...ASCII_TEXT, 'é', 'ü', 'ß', 'à', 'ñ'];

function expectFerry(error: unknown, kind: string): void {
  if (!(error instanceof FerryError)) throw error;
  expect(error.detail.kind).toBe(kind);
}

describe('ReplyParser fuzz', () => {
  interface Generated {
    bytes: Buffer;
    expected: FtpReply[];
  }

  function generateReplies(random: Random): Generated {
    const parts: Buffer[] = [];
    const expected: FtpReply[] = [];
    const count = random.int(1, 6);
    for (let r = 0; r < count; r++) {
      if (random.chance(0.1)) parts.push(Buffer.from(random.pick(['\r\n', '\n'])));
      const code = random.int(100, 599);
      const lines: string[] = [];
      const encodings: BufferEncoding[] = [];
      const text = (): { value: string; encoding: BufferEncoding } =>
        random.chance(0.15)
          ? { value: random.string(LATIN1_TEXT, 1, 30) + 'é', encoding: 'latin1' }
          : { value: random.string(UNICODE_TEXT, 0, 40), encoding: 'utf8' };
      const texts: string[] = [];
      if (random.chance(0.5)) {
        const first = text();
        if (random.chance(0.05)) {
          lines.push(String(code));
          texts.push('');
        } else {
          lines.push(`${code} ${first.value}`);
          texts.push(first.value);
        }
        encodings.push(first.encoding);
      } else {
        const first = text();
        lines.push(`${code}-${first.value}`);
        texts.push(first.value);
        encodings.push(first.encoding);
        const middle = random.int(0, 8);
        for (let m = 0; m < middle; m++) {
          const body = text();
          const shape = random.int(0, 5);
          let line: string;
          if (shape === 0)
            line = `${code}-${body.value}`; // code repeated with a hyphen
          else if (shape === 1) line = `${random.int(100, 599)} ${body.value}`;
          else if (shape === 2) line = `${code}${random.int(0, 9)} ${body.value}`;
          else if (shape === 3) line = '';
          else line = ` ${body.value}`;
          // A line equal to the code, or the code plus a space, would end the reply early.
          if (line === String(code) || line.startsWith(`${code} `)) line = ` ${line}`;
          lines.push(line);
          texts.push(line);
          encodings.push(body.encoding);
        }
        const last = text();
        lines.push(`${code} ${last.value}`);
        texts.push(last.value);
        encodings.push(last.encoding);
      }
      lines.forEach((line, index) => {
        parts.push(Buffer.from(line, encodings[index]));
        parts.push(Buffer.from(random.pick(['\r\n', '\n'])));
      });
      expected.push({ code, text: texts.join('\n'), lines });
    }
    return { bytes: Buffer.concat(parts), expected };
  }

  it('parses valid replies exactly, however the stream is split', () => {
    const random = new Random(0xf7e1);
    for (let iteration = 0; iteration < 3000; iteration++) {
      const { bytes, expected } = generateReplies(random);

      const whole = new ReplyParser();
      expect(whole.push(bytes)).toEqual(expected);
      expect(whole.pendingBytes).toBe(0);

      const split = new ReplyParser();
      const replies: FtpReply[] = [];
      for (const piece of random.split(bytes, random.pick([1, 3, 17, 200]))) {
        replies.push(...split.push(piece));
        if (split.pendingBytes > bytes.length) throw new Error('pending more than was pushed');
      }
      expect(replies).toEqual(expected);
      expect(split.pendingBytes).toBe(0);
    }
  });

  it('only ever throws protocol FerryErrors on garbage, with bounded buffering', () => {
    const random = new Random(0xbad);
    const limits = { maxLineBytes: 64, maxReplyBytes: 256 };
    let threw = 0;
    let parsed = 0;
    for (let iteration = 0; iteration < 5000; iteration++) {
      const pieces: Buffer[] = [];
      const count = random.int(1, 12);
      for (let p = 0; p < count; p++) {
        const kind = random.int(0, 4);
        if (kind === 0) pieces.push(random.bytes(random.int(0, 80)));
        else if (kind === 1) pieces.push(Buffer.from(random.pick(['\r\n', '\n', '\r', '\r\r\n'])));
        else if (kind === 2)
          pieces.push(Buffer.from(`${random.int(0, 999)}${random.pick([' ', '-', '', 'x'])}`));
        else if (kind === 3) pieces.push(Buffer.from(random.string(UNICODE_TEXT, 0, 90)));
        else pieces.push(Buffer.from(`${random.int(1, 6)}${random.int(0, 9)}${random.int(0, 9)}-`));
      }
      const data = Buffer.concat(pieces);

      const outcome = (chunks: Buffer[]): { replies: FtpReply[]; error?: FerryError } => {
        const parser = new ReplyParser(limits);
        const replies: FtpReply[] = [];
        try {
          for (const chunk of chunks) {
            replies.push(...parser.push(chunk));
            if (parser.pendingBytes > limits.maxReplyBytes) throw new Error('unbounded buffering');
          }
        } catch (error) {
          expectFerry(error, 'protocol');
          expect((error as FerryError).detail.step).toBe('read reply');
          return { replies, error: error as FerryError };
        }
        for (const reply of replies) {
          expect(reply.code).toBeGreaterThanOrEqual(100);
          expect(reply.code).toBeLessThanOrEqual(699);
          expect(reply.lines.length).toBeGreaterThan(0);
        }
        return { replies };
      };

      const whole = outcome([data]);
      const split = outcome(random.split(data, 13));
      // Splitting never changes whether the stream is acceptable, nor what it yields.
      expect(split.error === undefined).toBe(whole.error === undefined);
      if (whole.error) threw++;
      else {
        parsed++;
        expect(split.replies).toEqual(whole.replies);
      }
    }
    // The generator must exercise both paths, or the test proves little.
    expect(threw).toBeGreaterThan(500);
    expect(parsed).toBeGreaterThan(500);
  });

  it('cuts off endless input of every shape at the limits', () => {
    const random = new Random(7);
    for (let iteration = 0; iteration < 200; iteration++) {
      const maxLineBytes = random.int(8, 4096);
      const maxReplyBytes = random.int(maxLineBytes, 64 * 1024);
      const parser = new ReplyParser({ maxLineBytes, maxReplyBytes });
      const shape = random.int(0, 2);
      if (shape > 0) parser.push(Buffer.from('150-start\r\n'));
      let error: unknown;
      try {
        for (let pushed = 0; pushed < 1_000_000; pushed++) {
          const chunk =
            shape === 2
              ? Buffer.from(`${random.string(ASCII_TEXT, 0, maxLineBytes - 2)}\r\n`)
              : random.bytes(random.int(1, 512)).map((byte) => (byte === 0x0a ? 0x41 : byte));
          parser.push(Buffer.from(chunk));
          expect(parser.pendingBytes).toBeLessThanOrEqual(maxReplyBytes + maxLineBytes + 1);
        }
      } catch (caught) {
        error = caught;
      }
      expectFerry(error, 'protocol');
    }
  });
});

// --- Listings ---------------------------------------------------------------------------------

const NOW = new Date('2026-06-15T12:00:00Z');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NAME_TEXT = [
  ..."abcdefghijklmnopqrstuvwxyzABCXYZ0123456789._-;=,()[]#%&+!~'",
  ' ',
  ' ',
  'é',
  '日',
  '😀',
];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const KINDS = new Set(['file', 'dir', 'link', 'other']);

/** Plain checks rather than expect(): this runs for every entry of thousands of listings. */
function checkEntry(entry: RemoteEntry): void {
  const problems: string[] = [];
  if (typeof entry.name !== 'string' || entry.name.length === 0) problems.push('empty name');
  if (entry.name === '.' || entry.name === '..') problems.push('dot entry');
  if (!KINDS.has(entry.kind)) problems.push(`kind ${entry.kind}`);
  if (entry.size !== undefined && !(Number.isSafeInteger(entry.size) && entry.size >= 0)) {
    problems.push(`size ${entry.size}`);
  }
  if (
    entry.modified !== undefined &&
    (!ISO.test(entry.modified) || new Date(entry.modified).toISOString() !== entry.modified)
  ) {
    problems.push(`modified ${entry.modified}`);
  }
  if ((entry.modified === undefined) !== (entry.modifiedPrecision === undefined)) {
    problems.push(`precision ${entry.modifiedPrecision} for modified ${entry.modified}`);
  }
  if (problems.length > 0) {
    throw new Error(`${problems.join(', ')} in ${JSON.stringify(entry)}`);
  }
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

function randomName(random: Random, forbidArrow: boolean): string {
  for (;;) {
    let name = random.string(NAME_TEXT, 1, 24);
    if (random.chance(0.1)) name = ` ${name}`;
    if (random.chance(0.1)) name = `${name} `;
    if (random.chance(0.05)) name = String(random.int(0, 99999));
    if (!forbidArrow && random.chance(0.05)) name = `${name} -> x`;
    if (name.trim() === '' || name === '.' || name === '..') continue;
    if (forbidArrow && name.includes(' -> ')) continue;
    return name;
  }
}

function blanks(random: Random): string {
  return random.string([' ', ' ', ' ', '\t'], 1, 3);
}

describe('listing fuzz: generated lines round-trip exactly', () => {
  it('Unix ls -l', () => {
    const random = new Random(0x1157);
    for (let iteration = 0; iteration < 3000; iteration++) {
      const letter = random.pick(['-', 'd', 'l']);
      const permissions = letter + random.string(['r', 'w', 'x', '-'], 9, 9);
      const kind = letter === '-' ? 'file' : letter === 'd' ? 'dir' : 'link';
      const columns: string[] = [permissions];
      if (random.chance(0.8)) columns.push(String(random.int(1, 999)));
      const people = random.int(0, 3);
      const owner = people > 0 ? `u${random.int(0, 9999)}` : undefined;
      const group =
        people === 2
          ? `g${random.int(0, 999)}`
          : people === 3
            ? `dom${random.int(0, 9)} g${random.int(0, 9)}`
            : undefined;
      if (owner) columns.push(owner);
      if (group) columns.push(...group.split(' '));
      const size = random.chance(0.1) ? random.int(0, 31) : random.int(0, 2 ** 40);
      columns.push(String(size));

      let dateColumn: string;
      let modified: Date;
      let precision: TimePrecision = 'minute';
      const form = random.int(0, 2);
      if (form === 0) {
        // Recent: `Mon DD HH:MM`, year inferred.
        const minutes = random.int(0, 360 * 24 * 60);
        modified = new Date(Math.floor(NOW.getTime() / 60_000 - minutes) * 60_000);
        const day = modified.getUTCDate();
        dateColumn = `${MONTHS[modified.getUTCMonth()]} ${day < 10 && random.chance(0.5) ? ` ${day}` : day} ${pad2(modified.getUTCHours())}:${pad2(modified.getUTCMinutes())}`;
      } else if (form === 1) {
        const year = random.int(1970, 2025);
        const month = random.int(1, 12);
        const day = random.int(1, 28);
        modified = new Date(Date.UTC(year, month - 1, day));
        precision = 'day';
        dateColumn = `${MONTHS[month - 1]} ${day} ${random.chance(0.5) ? ' ' : ''}${year}`;
      } else {
        modified = new Date(
          Date.UTC(
            random.int(1970, 2030),
            random.int(0, 11),
            random.int(1, 28),
            random.int(0, 23),
            random.int(0, 59),
          ),
        );
        dateColumn = `${modified.toISOString().slice(0, 10)} ${modified.toISOString().slice(11, 16)}`;
      }

      const name = randomName(random, kind === 'link');
      const target = kind === 'link' ? randomName(random, false) : undefined;
      const line =
        columns.join(blanks(random)) +
        blanks(random) +
        dateColumn +
        ' ' +
        name +
        (target === undefined ? '' : ` -> ${target}`);

      const expected: RemoteEntry = {
        name,
        kind,
        permissions,
        size,
        modified: modified.toISOString(),
        modifiedPrecision: precision,
      };
      if (target !== undefined) expected.linkTarget = target;
      if (owner) expected.owner = owner;
      if (group) expected.group = group;
      const result = parseListing(line, 'list', { now: NOW });
      expect(result, line).toEqual({ entries: [expected], skipped: [] });
    }
  });

  it('DOS / IIS', () => {
    const random = new Random(0xd05);
    for (let iteration = 0; iteration < 3000; iteration++) {
      const year = random.int(1970, 2068);
      const month = random.int(1, 12);
      const day = random.int(1, 28);
      const hour = random.int(0, 23);
      const minute = random.int(0, 59);
      const dateForm = random.int(0, 2);
      const date =
        dateForm === 0
          ? `${pad2(month)}-${pad2(day)}-${pad2(year % 100)}`
          : dateForm === 1
            ? `${pad2(month)}-${pad2(day)}-${year}`
            : `${year}-${pad2(month)}-${pad2(day)}`;
      let time: string;
      if (random.chance(0.5)) {
        const h12 = hour % 12 === 0 ? 12 : hour % 12;
        time = `${pad2(h12)}:${pad2(minute)}${random.chance(0.2) ? ' ' : ''}${hour < 12 ? 'AM' : 'PM'}`;
      } else {
        time = `${pad2(hour)}:${pad2(minute)}`;
      }
      const isDir = random.chance(0.3);
      const size = random.int(0, 2 ** 42);
      const sizeText = random.chance(0.5) ? size.toLocaleString('en-US') : String(size);
      let name = randomName(random, false).trimStart();
      if (name.trim() === '') name = 'x';
      const line = `${date}${blanks(random)}${time}${blanks(random)}${isDir ? '<DIR>' : sizeText}${blanks(random)}${name}`;
      const modified = new Date(Date.UTC(year, month - 1, day, hour, minute)).toISOString();
      const stamp: Pick<RemoteEntry, 'modified' | 'modifiedPrecision'> = {
        modified,
        modifiedPrecision: 'minute',
      };
      const expected: RemoteEntry = isDir
        ? { name, kind: 'dir', ...stamp }
        : { name, kind: 'file', size, ...stamp };
      expect(parseListing(line, 'list', { now: NOW }), line).toEqual({
        entries: name === '.' || name === '..' ? [] : [expected],
        skipped: [],
      });
    }
  });

  it('MLSD', () => {
    const random = new Random(0x3159);
    for (let iteration = 0; iteration < 3000; iteration++) {
      const facts: string[] = [];
      const expected: Partial<RemoteEntry> = {};
      const caseOf = (fact: string): string =>
        [...fact].map((char) => (random.chance(0.5) ? char.toUpperCase() : char)).join('');
      const typeForm = random.int(0, 3);
      if (typeForm === 0) {
        facts.push(`${caseOf('type')}=file`);
        expected.kind = 'file';
      } else if (typeForm === 1) {
        facts.push(`${caseOf('type')}=dir`);
        expected.kind = 'dir';
      } else if (typeForm === 2) {
        const target = `/t${random.int(0, 999)}`;
        facts.push(`type=OS.unix=slink:${target}`);
        expected.kind = 'link';
        expected.linkTarget = target;
      } else {
        expected.kind = 'file';
      }
      if (random.chance(0.7)) {
        const size = random.int(0, 2 ** 50);
        facts.push(`${caseOf('size')}=${size}`);
        expected.size = size;
      }
      if (random.chance(0.7)) {
        const when = new Date(random.int(-2e12, 4e12));
        const millis = random.chance(0.3);
        const compact = when
          .toISOString()
          .replace(/[-:T]/g, '')
          .slice(0, millis ? 18 : 14);
        facts.push(`${caseOf('modify')}=${compact}`);
        expected.modified = millis
          ? when.toISOString()
          : new Date(Math.floor(when.getTime() / 1000) * 1000).toISOString();
        expected.modifiedPrecision = 'second';
      }
      if (random.chance(0.3)) {
        facts.push(`UNIX.mode=0${random.int(0, 777)}`);
        expected.permissions = facts[facts.length - 1]?.slice('UNIX.mode='.length);
      }
      if (random.chance(0.3)) facts.push(`unique=${random.int(0, 1e9).toString(16)}`);
      for (let i = facts.length - 1; i > 0; i--) {
        const j = random.int(0, i);
        [facts[i], facts[j]] = [facts[j] ?? '', facts[i] ?? ''];
      }
      if (facts.length === 0) facts.push('unique=1');
      let name = randomName(random, false);
      if (random.chance(0.2)) name = `; ${name}; type=dir;`;
      if (random.chance(0.05)) name = `\t${name}`;
      const line = `${facts.join(';')}${random.chance(0.8) ? ';' : ''} ${name}`;
      expect(parseListing(line, 'mlsd'), line).toEqual({
        entries: [{ name, ...expected }],
        skipped: [],
      });
    }
  });
});

describe('listing fuzz: garbage never crashes the parser', () => {
  const TOKENS = [
    '-rw-r--r--',
    'drwxr-xr-x',
    'lrwxrwxrwx',
    'crw-rw-rw-',
    'total',
    '1',
    '0',
    '31',
    '32',
    '99999999999999999999',
    '1,',
    '3',
    '8,0',
    'root',
    'Jan',
    'feb',
    'Sept',
    '29',
    '24:00',
    '25:61',
    '12:00',
    '03:47PM',
    'AM',
    '1994',
    '2005-06-07',
    '2020-02-30',
    '21:22:33.5',
    '+0200',
    '<DIR>',
    '04-27-00',
    '13-13-13',
    '9,730',
    '->',
    '.',
    '..',
    'type=file;',
    'type=cdir;',
    'size=x;',
    'modify=20201301000000;',
    ';',
    '=',
    'é',
    '日本',
    '\0',
    '\x1b',
  ];

  it('random token and whitespace mixes', () => {
    const random = new Random(0x5eed);
    let entries = 0;
    let skipped = 0;
    for (let iteration = 0; iteration < 4000; iteration++) {
      const lines: string[] = [];
      const count = random.int(1, 6);
      for (let l = 0; l < count; l++) {
        let line = random.chance(0.3) ? random.pick([' ', '\t', '']) : '';
        const tokens = random.int(0, 14);
        for (let t = 0; t < tokens; t++)
          line += random.pick(TOKENS) + random.string([' ', ' ', '\t', '  '], 1, 2);
        if (random.chance(0.5)) line = line.trimEnd();
        lines.push(line);
      }
      const text = lines.join(random.pick(['\r\n', '\n']));
      for (const format of ['list', 'mlsd'] as const) {
        const result = parseListing(text, format, { now: NOW });
        result.entries.forEach(checkEntry);
        for (const line of result.skipped) {
          if (!lines.includes(line)) throw new Error(`skipped a line never sent: ${line}`);
        }
        if (result.entries.length + result.skipped.length > lines.length) {
          throw new Error('more results than lines');
        }
        entries += result.entries.length;
        skipped += result.skipped.length;
      }
    }
    expect(entries).toBeGreaterThan(100);
    expect(skipped).toBeGreaterThan(1000);
  });

  it('random bytes', () => {
    const random = new Random(0xbeef);
    for (let iteration = 0; iteration < 2000; iteration++) {
      const text = decodeListing(random.bytes(random.int(0, 400)));
      for (const format of ['list', 'mlsd'] as const) {
        parseListing(text, format, { now: NOW }).entries.forEach(checkEntry);
      }
    }
  });

  it('long hostile lines stay linear', () => {
    const hostile = [
      ' '.repeat(200_000) + 'x',
      '-rw-r--r-- ' + '1 '.repeat(100_000),
      '-rw-r--r-- 1 u g 5 Jan  1  2020' + ' '.repeat(200_000),
      '04-27-00 ' + ' '.repeat(200_000) + '10:00AM',
      '9'.repeat(200_000),
      'type=file;'.repeat(20_000) + ' name',
      'a=;'.repeat(50_000),
    ];
    const started = performance.now();
    for (const line of hostile) {
      for (const format of ['list', 'mlsd'] as const) {
        parseListing(line, format, { now: NOW }).entries.forEach(checkEntry);
      }
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('an endless listing is cut off at the cap, whatever the chunking', () => {
    const random = new Random(0xcafe);
    for (let iteration = 0; iteration < 50; iteration++) {
      const cap = random.int(1, 256 * 1024);
      const accumulator = new ListingAccumulator(cap);
      let error: unknown;
      try {
        for (;;) {
          accumulator.push(random.bytes(random.int(0, 8192)));
          expect(accumulator.bytes).toBeLessThanOrEqual(cap);
        }
      } catch (caught) {
        error = caught;
      }
      expectFerry(error, 'protocol');
      expect((error as FerryError).detail).toEqual({
        kind: 'protocol',
        step: 'read listing',
        reason: `listing exceeds ${cap} bytes`,
      });
    }
  });
});
