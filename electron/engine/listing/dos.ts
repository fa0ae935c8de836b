import type { RemoteEntry, TimePrecision } from '../../../shared/models';
import { parseCount, skipBlanks, tokenize, utcDate, type LineOutcome } from './common';

const SHORT_FIRST = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/;
const YEAR_FIRST = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?([AaPp][Mm])?$/;
const MERIDIEM = /^[AaPp][Mm]$/;
const SIZE = /^\d{1,3}(?:[,.]\d{3})+$|^\d+$/;

/** POSIX `%y`: 69–99 are 1969–1999, 00–68 are 2000–2068. */
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length === 4) return year;
  return year >= 69 ? 1900 + year : 2000 + year;
}

function parseDosDate(text: string): { year: number; month: number; day: number } | null {
  const yearFirst = YEAR_FIRST.exec(text);
  if (yearFirst) {
    return { year: Number(yearFirst[1]), month: Number(yearFirst[2]), day: Number(yearFirst[3]) };
  }
  const short = SHORT_FIRST.exec(text);
  if (!short) return null;
  let month = Number(short[1]);
  let day = Number(short[2]);
  // IIS writes MM-DD; a first field above 12 can only be a day (DD-MM servers).
  if (month > 12 && day <= 12) [month, day] = [day, month];
  return { year: fullYear(short[3] ?? ''), month, day };
}

/** 12-hour clock with AM/PM (12AM is midnight, 12PM noon) or 24-hour clock. */
function parseDosTime(
  text: string,
  meridiem: string | undefined,
): { hour: number; minute: number; second: number; precision: TimePrecision } | null {
  const match = CLOCK.exec(text);
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = Number(match[3] ?? 0);
  const suffix = (match[4] ?? meridiem)?.toUpperCase();
  if (suffix !== undefined) {
    if (hour < 1 || hour > 12) return null;
    if (suffix === 'AM' && hour === 12) hour = 0;
    if (suffix === 'PM' && hour !== 12) hour += 12;
  }
  return { hour, minute, second, precision: match[3] === undefined ? 'minute' : 'second' };
}

/**
 * One IIS/DOS line: `MM-DD-YY  HH:MMAM  <DIR>|size  name`, also with 4-digit or leading years,
 * a 24-hour clock, and thousands separators in the size.
 */
export function parseDosLine(line: string): LineOutcome {
  const tokens = tokenize(line, 4);
  const [dateToken, timeToken, third, fourth] = tokens;
  if (!dateToken || !timeToken || !third) return null;
  const day = parseDosDate(dateToken.text);
  if (!day) return null;

  // The AM/PM marker may be glued to the time or stand alone.
  const detached = MERIDIEM.test(third.text);
  const sizeToken = detached ? fourth : third;
  if (!sizeToken) return null;
  const time = parseDosTime(timeToken.text, detached ? third.text : undefined);
  if (!time) return null;
  const date = utcDate(day.year, day.month, day.day, time.hour, time.minute, time.second);
  if (!date) return null;

  const name = line.slice(skipBlanks(line, sizeToken.end));
  if (name === '') return null;

  const modified = { modified: date.toISOString(), modifiedPrecision: time.precision };
  if (sizeToken.text.toUpperCase() === '<DIR>') return { name, kind: 'dir', ...modified };
  if (!SIZE.test(sizeToken.text)) return null;
  const entry: RemoteEntry = { name, kind: 'file', ...modified };
  const size = parseCount(sizeToken.text.replace(/[,.]/g, ''));
  if (size !== undefined) entry.size = size;
  return entry;
}
