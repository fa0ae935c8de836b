import type { RemoteEntry, RemoteEntryKind, TimePrecision } from '../../../shared/models';
import {
  DAY_MS,
  parseClock,
  parseCount,
  parseMonth,
  tokenize,
  utcDate,
  utcDateWithMidnight,
  type LineOutcome,
  type Token,
} from './common';

/** Type letter, nine permission letters, optional ACL/SELinux/xattr marker. */
const PERMISSIONS = /^[-bcdDlnps?][-rwxsStTlL?]{9}[.+@]?$/;
/** Tokens read from a line: permissions, up to 4 link/owner/group, 2 for size, 4 for the date. */
const TOKEN_LIMIT = 12;
/** Link count plus owner and group, and the Windows-server `group domain user` variant. */
const MAX_MIDDLE_TOKENS = 4;

function kindFromType(letter: string): RemoteEntryKind {
  if (letter === 'd') return 'dir';
  if (letter === 'l') return 'link';
  if (letter === '-') return 'file';
  return 'other';
}

function parseDay(text: string): number | undefined {
  const day = /^\d{1,2}$/.test(text) ? Number(text) : 0;
  return day >= 1 && day <= 31 ? day : undefined;
}

function parseYear(text: string): number | undefined {
  return /^\d{4}$/.test(text) ? Number(text) : undefined;
}

/**
 * `Mon DD HH:MM` omits the year: ls shows it for dates within the last six months. Take the
 * current year unless that puts the date more than a day in the future (clock skew and time
 * zones allowed for), in which case it was last year.
 */
function inferYear(month: number, day: number, hour: number, minute: number, now: Date) {
  const year = now.getUTCFullYear();
  const limit = now.getTime() + DAY_MS;
  const thisYear = utcDateWithMidnight(year, month, day, hour, minute);
  if (thisYear && thisYear.getTime() <= limit) return thisYear;
  return utcDateWithMidnight(year - 1, month, day, hour, minute);
}

interface DateMatch {
  date: Date;
  precision: TimePrecision;
  /** Offset in the line just past the date column. */
  end: number;
}

/** `HH:MM` after month and day is to the minute; a year instead is to the day. */
function shortDatePrecision(text: string): TimePrecision {
  return text.includes(':') ? 'minute' : 'day';
}

/** Month-and-day then `HH:MM`, `YYYY`, or ls -T's `HH:MM:SS YYYY`. */
function monthDayRest(
  month: number,
  day: number,
  tokens: Token[],
  next: number,
  now: Date,
): DateMatch | null {
  const third = tokens[next];
  if (!third) return null;
  const simple = cachedShortDate(month, day, third.text, now);
  if (simple) return { date: simple, precision: shortDatePrecision(third.text), end: third.end };
  const long = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(third.text);
  const fourth = tokens[next + 1];
  const longYear = fourth && parseYear(fourth.text);
  if (long && fourth && longYear !== undefined) {
    const date = utcDate(longYear, month, day, Number(long[1]), Number(long[2]), Number(long[3]));
    return date ? { date, precision: 'second', end: fourth.end } : null;
  }
  return null;
}

const DATE_CACHE_LIMIT = 4096;
const dateCache: { now: number; dates: Map<string, Date> } = { now: NaN, dates: new Map() };

/** shortDate, remembered for this `now`: big listings repeat the same few dates. */
function cachedShortDate(month: number, day: number, text: string, now: Date): Date | undefined {
  const key = `${month} ${day} ${text}`;
  if (dateCache.now !== now.getTime()) {
    dateCache.now = now.getTime();
    dateCache.dates.clear();
  }
  const known = dateCache.dates.get(key);
  if (known) return known;
  const date = shortDate(month, day, text, now);
  if (date && dateCache.dates.size < DATE_CACHE_LIMIT) dateCache.dates.set(key, date);
  return date;
}

/** `HH:MM` (year inferred) or `YYYY` after month and day. */
function shortDate(month: number, day: number, text: string, now: Date): Date | undefined {
  const clock = parseClock(text);
  if (clock) return inferYear(month, day, clock.hour, clock.minute, now);
  const year = parseYear(text);
  return year !== undefined ? utcDate(year, month, day) : undefined;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;
const ZONE = /^([+-])(\d{2})(\d{2})$/;

/** `--time-style=long-iso` (`2005-06-07 21:22`) and `full-iso` (seconds, fraction, zone). */
function isoDate(tokens: Token[], index: number): DateMatch | null {
  const first = tokens[index];
  const second = tokens[index + 1];
  const day = first && ISO_DATE.exec(first.text);
  const time = second && ISO_TIME.exec(second.text);
  if (!day || !time || !second) return null;
  const fraction = time[4] === undefined ? 0 : Number(time[4].slice(0, 3).padEnd(3, '0'));
  const date = utcDate(
    Number(day[1]),
    Number(day[2]),
    Number(day[3]),
    Number(time[1]),
    Number(time[2]),
    Number(time[3] ?? 0),
    fraction,
  );
  if (!date) return null;
  const precision: TimePrecision = time[3] === undefined ? 'minute' : 'second';
  const zoneToken = tokens[index + 2];
  const zone = zoneToken && ZONE.exec(zoneToken.text);
  if (zoneToken && zone) {
    const offset = (Number(zone[2]) * 60 + Number(zone[3])) * 60_000;
    const utc = new Date(date.getTime() - (zone[1] === '-' ? -offset : offset));
    return { date: utc, precision, end: zoneToken.end };
  }
  return { date, precision, end: second.end };
}

/** Every date column layout accepted, tried at token `index`. */
function matchDate(tokens: Token[], index: number, now: Date): DateMatch | null {
  const first = tokens[index];
  const second = tokens[index + 1];
  if (!first || !second) return null;

  const month = parseMonth(first.text);
  if (month !== undefined) {
    const day = parseDay(second.text);
    if (day !== undefined) return monthDayRest(month, day, tokens, index + 2, now);
    // VShell: `Oct 08, 2002 09:47`.
    const commaDay = second.text.endsWith(',') ? parseDay(second.text.slice(0, -1)) : undefined;
    const yearToken = tokens[index + 2];
    const clockToken = tokens[index + 3];
    const year = yearToken && parseYear(yearToken.text);
    const clock = clockToken && parseClock(clockToken.text);
    if (commaDay !== undefined && year !== undefined && clock && clockToken) {
      const date = utcDateWithMidnight(year, month, commaDay, clock.hour, clock.minute);
      return date ? { date, precision: 'minute', end: clockToken.end } : null;
    }
    return null;
  }

  // Day before month (`29 Jul 02:27`, `01 oct 2004`), as some localised servers send.
  const day = parseDay(first.text);
  const swappedMonth = parseMonth(second.text);
  if (day !== undefined && swappedMonth !== undefined) {
    return monthDayRest(swappedMonth, day, tokens, index + 2, now);
  }

  return isoDate(tokens, index);
}

/** Size column: the byte count, or `major, minor` / `major,minor` for device files. */
function matchSize(
  tokens: Token[],
  dateIndex: number,
): { size: number | undefined; firstIndex: number } | null {
  const token = tokens[dateIndex - 1];
  if (!token) return null;
  if (/^\d+$/.test(token.text)) {
    const before = tokens[dateIndex - 2];
    if (before && dateIndex - 2 >= 1 && /^\d+,$/.test(before.text)) {
      return { size: undefined, firstIndex: dateIndex - 2 };
    }
    return { size: parseCount(token.text), firstIndex: dateIndex - 1 };
  }
  if (/^\d+,\d+$/.test(token.text)) return { size: undefined, firstIndex: dateIndex - 1 };
  return null;
}

/**
 * The line nearly every Unix server sends: permissions, link count, owner, group, size,
 * `Mon DD HH:MM` or `Mon DD YYYY`, one space, the name. One native regular expression instead of
 * the general token scan makes a cold parse of a 20,000-entry listing several times cheaper;
 * anything else (tabs, devices, ISO dates, odd layouts) goes to the general parser, which gives
 * the same result for these lines.
 */
const COMMON_LINE =
  /^([-bcdDlnps?][-rwxsStTlL?]{9}[.+@]?) +(\d+) +(\S+) +(\S+) +(\d+) +([A-Za-z]{3}) +(\d{1,2}) +(\d{1,2}:\d{2}|\d{4}) (.+)$/;

function commonEntry(match: RegExpExecArray, now: Date): RemoteEntry | undefined {
  const [, permissions, , owner, group, sizeText, monthText, dayText, timeText, nameText] = match;
  if (!permissions || !owner || !group || !sizeText || !monthText || !dayText || !timeText) {
    return undefined;
  }
  const month = parseMonth(monthText);
  const day = parseDay(dayText);
  const size = parseCount(sizeText);
  if (month === undefined || day === undefined || size === undefined || !nameText) return undefined;
  const date = cachedShortDate(month, day, timeText, now);
  if (!date) return undefined;
  const kind = kindFromType(permissions.charAt(0));
  const entry: RemoteEntry = { name: nameText, kind, permissions };
  if (kind === 'link') {
    const arrow = nameText.indexOf(' -> ');
    if (arrow > 0) {
      entry.linkTarget = nameText.slice(arrow + 4);
      entry.name = nameText.slice(0, arrow);
    }
  }
  entry.size = size;
  entry.modified = date.toISOString();
  entry.modifiedPrecision = shortDatePrecision(timeText);
  entry.owner = owner;
  entry.group = group;
  return entry;
}

/**
 * One `ls -l` style line. `total N` is ignored. The name is everything after the single space
 * that follows the date column, so leading and inner spaces survive.
 */
export function parseUnixLine(line: string, now: Date = new Date()): LineOutcome {
  const common = COMMON_LINE.exec(line);
  if (common) {
    const entry = commonEntry(common, now);
    if (entry) return entry;
  }
  const tokens = tokenize(line, TOKEN_LIMIT);
  const head = tokens[0];
  if (!head) return null;
  if (/^total$/i.test(head.text) && tokens.length === 2 && /^\d+$/.test(tokens[1]?.text ?? '')) {
    return 'ignore';
  }
  if (!PERMISSIONS.test(head.text)) return null;

  // Scan left to right: the first date preceded by a size wins, so a date-like file name
  // further right is never taken for the date column.
  const lastDateIndex = Math.min(tokens.length - 2, 1 + MAX_MIDDLE_TOKENS + 2);
  for (let dateIndex = 2; dateIndex <= lastDateIndex; dateIndex++) {
    const size = matchSize(tokens, dateIndex);
    if (!size) continue;
    const middle = tokens.slice(1, size.firstIndex).map((token) => token.text);
    if (middle.length > MAX_MIDDLE_TOKENS) break;
    const date = matchDate(tokens, dateIndex, now);
    if (!date) continue;

    let rest = line.slice(date.end + 1);
    if (rest === '') continue;

    const kind = kindFromType(head.text.charAt(0));
    const entry: RemoteEntry = { name: rest, kind, permissions: head.text };
    if (kind === 'link') {
      const arrow = rest.indexOf(' -> ');
      if (arrow > 0) {
        entry.linkTarget = rest.slice(arrow + 4);
        rest = rest.slice(0, arrow);
        entry.name = rest;
      }
    }
    if (size.size !== undefined) entry.size = size.size;
    entry.modified = date.date.toISOString();
    entry.modifiedPrecision = date.precision;

    // A leading number is the link count; up to three owner/group tokens follow.
    const people = middle.length > 0 && /^\d+$/.test(middle[0] ?? '') ? middle.slice(1) : middle;
    if (people.length > 3) continue;
    const [owner, ...group] = people;
    if (owner !== undefined) entry.owner = owner;
    if (group.length > 0) entry.group = group.join(' ');
    return entry;
  }
  return null;
}
