import type { RemoteEntry } from '../../../shared/models';

/**
 * What a line parser makes of one line: an entry, `'ignore'` for a well-formed line that names no
 * entry (`total 12`, MLSD `cdir`/`pdir`), or `null` when the line is not in its format.
 */
export type LineOutcome = RemoteEntry | 'ignore' | null;

export interface ListingResult {
  entries: RemoteEntry[];
  /** Lines no parser understood, verbatim. */
  skipped: string[];
}

export interface Token {
  text: string;
  start: number;
  /** Index just past the token's last character. */
  end: number;
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * The first `limit` whitespace-separated tokens with their offsets, so a parser can cut the name
 * out of the original line with its spaces intact. Linear in the line's length, unlike
 * whole-line regular expressions with several whitespace runs, which backtrack badly on the
 * long hostile lines a server may send.
 */
export function tokenize(line: string, limit: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length && tokens.length < limit) {
    while (i < line.length && isBlank(line.charCodeAt(i))) i++;
    if (i >= line.length) break;
    const start = i;
    while (i < line.length && !isBlank(line.charCodeAt(i))) i++;
    tokens.push({ text: line.slice(start, i), start, end: i });
  }
  return tokens;
}

export function skipBlanks(line: string, from: number): number {
  let i = from;
  while (i < line.length && isBlank(line.charCodeAt(i))) i++;
  return i;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const monthCache = new Map<string, number | undefined>();
const MONTH_CACHE_LIMIT = 256;

/** 1–12 for an English month name or an abbreviation of at least three letters (`Sep`, `Sept.`). */
export function parseMonth(token: string): number | undefined {
  // A listing repeats the same dozen month tokens thousands of times.
  if (monthCache.has(token)) return monthCache.get(token);
  const month = monthOf(token);
  if (monthCache.size < MONTH_CACHE_LIMIT) monthCache.set(token, month);
  return month;
}

function monthOf(token: string): number | undefined {
  const word = token.toLowerCase().replace(/\.$/, '');
  if (word.length < 3 || word.length > 9 || !/^[a-z]+$/.test(word)) return undefined;
  const index = MONTHS.findIndex((month) => month.startsWith(word));
  return index === -1 ? undefined : index + 1;
}

/** A non-negative integer, or undefined when the text is not all digits or too large. */
export function parseCount(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A UTC instant from calendar fields, or undefined when any field is out of range (Feb 30,
 * minute 61…). Listings carry no time zone; like FileZilla, Ferry reports their times as UTC.
 */
export function utcDate(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): Date | undefined {
  if (![year, month, day, hour, minute, second, millisecond].every(Number.isInteger)) {
    return undefined;
  }
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (hour > 23 || minute > 59 || second > 60 || millisecond > 999) return undefined;
  if (hour < 0 || minute < 0 || second < 0 || millisecond < 0) return undefined;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  // A leap second (:60) is folded into :59 rather than rolling over into the next minute.
  date.setUTCHours(hour, minute, Math.min(second, 59), millisecond);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date;
}

/** `HH:MM`, with `24:00` (sent by some servers for midnight) as hour 24. */
export function parseClock(text: string): { hour: number; minute: number } | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (minute > 59 || hour > 24 || (hour === 24 && minute !== 0)) return undefined;
  return { hour, minute };
}

/** Like utcDate, but accepts hour 24 (minute 0) as midnight at the end of that day. */
export function utcDateWithMidnight(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): Date | undefined {
  if (hour !== 24) return utcDate(year, month, day, hour, minute);
  const start = utcDate(year, month, day);
  if (!start || (year === 9999 && month === 12 && day === 31)) return undefined;
  return new Date(start.getTime() + DAY_MS);
}
