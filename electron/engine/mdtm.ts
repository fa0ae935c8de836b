import { utcDate } from './listing/common';

/** MDTM/MFMT times: `YYYYMMDDHHMMSS[.fff]`, always UTC (RFC 3659). */
export function formatMdtm(date: Date): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

/**
 * The time of a 213 reply to MDTM, or undefined when its first word is not exactly a valid
 * `YYYYMMDDHHMMSS[.fff]`: an out-of-range field (month 13, February 30) is no time at all, rather
 * than rolled over into another date.
 */
export function parseMdtm(text: string): Date | undefined {
  const word = text.trim().split(/\s+/)[0] ?? '';
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?$/.exec(word);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction] = match;
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  return utcDate(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), ms);
}
