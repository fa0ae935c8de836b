import type { RemoteEntry, RemoteEntryKind } from '../../../shared/models';
import { parseCount, utcDate, type LineOutcome, type ListingResult } from './common';

const MODIFY = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?$/;

/** RFC 3659 `time-val` (`YYYYMMDDHHMMSS[.sss]`, always UTC) as an ISO string. */
export function parseMlsdTime(value: string): string | undefined {
  const match = MODIFY.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction] = match;
  const millisecond = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  return utcDate(
    Number(year),
    Number(month),
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    millisecond,
  )?.toISOString();
}

function kindOf(type: string | undefined): { kind: RemoteEntryKind; target?: string } | 'ignore' {
  if (type === undefined) return { kind: 'file' };
  const lower = type.toLowerCase();
  if (lower === 'cdir' || lower === 'pdir') return 'ignore';
  if (lower === 'file') return { kind: 'file' };
  if (lower === 'dir') return { kind: 'dir' };
  if (lower.startsWith('os.unix=slink') || lower.startsWith('os.unix=symlink')) {
    const colon = type.indexOf(':');
    const target = colon === -1 ? '' : type.slice(colon + 1);
    return target === '' ? { kind: 'link' } : { kind: 'link', target };
  }
  return { kind: 'other' };
}

/**
 * One MLSD/MLST line: `fact=value;fact=value; name`. Fact names are case-insensitive; the name is
 * everything after the first space (or tab) and may itself contain spaces and `;`.
 */
export function parseMlsdLine(line: string): LineOutcome {
  const separator = line.search(/[ \t]/);
  if (separator <= 0) return null;
  const name = line.slice(separator + 1);
  if (name === '') return null;

  const facts = new Map<string, string>();
  for (const piece of line.slice(0, separator).split(';')) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    if (equals <= 0) return null;
    facts.set(piece.slice(0, equals).toLowerCase(), piece.slice(equals + 1));
  }
  if (facts.size === 0) return null;

  const kind = kindOf(facts.get('type'));
  if (kind === 'ignore') return 'ignore';

  const entry: RemoteEntry = { name, kind: kind.kind };
  if (kind.target !== undefined) entry.linkTarget = kind.target;
  const size = parseCount(facts.get('size') ?? '');
  if (size !== undefined) entry.size = size;
  const modified = parseMlsdTime(facts.get('modify') ?? '');
  if (modified !== undefined) {
    entry.modified = modified;
    entry.modifiedPrecision = 'second';
  }
  const permissions = facts.get('unix.mode') || facts.get('perm');
  if (permissions) entry.permissions = permissions;
  const owner = facts.get('unix.ownername') || facts.get('unix.owner') || facts.get('unix.uid');
  if (owner) entry.owner = owner;
  const group = facts.get('unix.groupname') || facts.get('unix.group') || facts.get('unix.gid');
  if (group) entry.group = group;
  return entry;
}

/** A whole MLSD body. `.`/`..` and cdir/pdir are left out; unparseable lines go to `skipped`. */
export function parseMlsd(text: string): ListingResult {
  const result: ListingResult = { entries: [], skipped: [] };
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const outcome = parseMlsdLine(line);
    if (outcome === 'ignore') continue;
    if (outcome === null) result.skipped.push(line);
    else if (outcome.name !== '.' && outcome.name !== '..') result.entries.push(outcome);
  }
  return result;
}
