import { FerryError } from '../errors';
import { decodeLine } from '../reply-parser';
import type { ListingResult, LineOutcome } from './common';
import { parseDosLine } from './dos';
import { parseMlsdLine } from './mlsd';
import { parseUnixLine } from './unix';

export type { ListingResult, LineOutcome } from './common';
export { parseMlsd, parseMlsdLine, parseMlsdTime } from './mlsd';
export { parseUnixLine } from './unix';
export { parseDosLine } from './dos';

/** Largest listing accepted by default: far beyond any real directory, well short of a DoS. */
export const MAX_LISTING_BYTES = 64 * 1024 * 1024;

export type ListingFormat = 'mlsd' | 'list';

export interface ParseListingOptions {
  /** Reference time for `Mon DD HH:MM` dates without a year (tests pin it). */
  now?: Date;
}

/** LIST output mixes no formats in practice, but detecting per line costs nothing and is safer. */
function parseListLine(line: string, now: Date): LineOutcome {
  return parseUnixLine(line, now) ?? parseDosLine(line) ?? parseMlsdLine(line);
}

/**
 * Parses a directory listing. Never throws on server garbage: lines no parser understands are
 * returned in `skipped`; `.` and `..` and `total N` lines are dropped. Names are returned as the
 * server sent them: check them with `validateRemoteName` before using one locally.
 */
export function parseListing(
  text: string,
  format: ListingFormat,
  options: ParseListingOptions = {},
): ListingResult {
  const result: ListingResult = { entries: [], skipped: [] };
  parseLinesInto(result, text, format, options.now ?? new Date());
  return result;
}

function parseLinesInto(result: ListingResult, text: string, format: ListingFormat, now: Date) {
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const outcome = format === 'mlsd' ? parseMlsdLine(line) : parseListLine(line, now);
    if (outcome === 'ignore') continue;
    if (outcome === null) result.skipped.push(line);
    else if (outcome.name !== '.' && outcome.name !== '..') result.entries.push(outcome);
  }
}

/**
 * Parses a listing while it arrives, complete lines at a time, so parsing overlaps with the
 * server producing the rest (a 20,000-entry folder takes the server longer to list than us to
 * parse). Same results and the same byte cap as ListingAccumulator + parseListing.
 */
export class StreamingListingParser {
  private readonly result: ListingResult = { entries: [], skipped: [] };
  private readonly cap: ListingAccumulator;
  private pending: Buffer[] = [];
  private readonly now: Date;

  constructor(
    private readonly format: ListingFormat,
    maxBytes: number = MAX_LISTING_BYTES,
    options: ParseListingOptions = {},
  ) {
    // The accumulator only counts here: it enforces the cap with the same error.
    this.cap = new ListingAccumulator(maxBytes);
    this.now = options.now ?? new Date();
  }

  push(chunk: Buffer): void {
    this.cap.count(chunk.length);
    const newline = chunk.lastIndexOf(0x0a);
    if (newline === -1) {
      this.pending.push(chunk);
      return;
    }
    this.pending.push(chunk.subarray(0, newline + 1));
    const complete = Buffer.concat(this.pending);
    this.pending = newline + 1 < chunk.length ? [chunk.subarray(newline + 1)] : [];
    parseLinesInto(this.result, decodeListing(complete), this.format, this.now);
  }

  finish(): ListingResult {
    if (this.pending.length > 0) {
      parseLinesInto(
        this.result,
        decodeListing(Buffer.concat(this.pending)),
        this.format,
        this.now,
      );
      this.pending = [];
    }
    return this.result;
  }
}

/** Decodes listing bytes: UTF-8 where valid, latin1 per line where not (mixed-encoding servers). */
export function decodeListing(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const newline = bytes.indexOf(0x0a, start);
      const end = newline === -1 ? bytes.length : newline;
      lines.push(decodeLine(bytes.subarray(start, end)));
      if (newline === -1) break;
      start = newline + 1;
    }
    return lines.join('\n');
  }
}

/**
 * Collects a listing's data-connection bytes with a hard cap, so a server that never ends a
 * listing cannot exhaust memory. Once over the cap it drops what it holds and keeps throwing.
 */
export class ListingAccumulator {
  private chunks: Buffer[] = [];
  private total = 0;
  private failure: FerryError | null = null;

  constructor(private readonly maxBytes: number = MAX_LISTING_BYTES) {
    if (!(maxBytes > 0)) throw new RangeError('ListingAccumulator cap must be positive');
  }

  get bytes(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    this.count(chunk.length);
    this.chunks.push(chunk);
  }

  /** Counts bytes held elsewhere against the cap (StreamingListingParser keeps no copy here). */
  count(length: number): void {
    if (this.failure) throw this.failure;
    if (this.total + length > this.maxBytes) {
      this.chunks = [];
      this.total = 0;
      this.failure = new FerryError({
        kind: 'protocol',
        step: 'read listing',
        reason: `listing exceeds ${this.maxBytes} bytes`,
      });
      throw this.failure;
    }
    this.total += length;
  }

  toBuffer(): Buffer {
    if (this.failure) throw this.failure;
    return Buffer.concat(this.chunks, this.total);
  }

  text(): string {
    return decodeListing(this.toBuffer());
  }

  parse(format: ListingFormat, options?: ParseListingOptions): ListingResult {
    return parseListing(this.text(), format, options);
  }
}
