/**
 * FileZilla stores remote folders (`RemoteDir`, bookmarks) as a "safe path":
 *   `<server type> <prefix length> [<prefix> ](<segment length> <segment> )*`
 * Segments are read by their length fields, never by splitting on spaces, so names with spaces
 * (`1 0 4 home 10 with space` is `/home/with space`) survive.
 */

export type SafePathResult =
  { ok: true; path: string; type: number; segments: string[] } | { ok: false; reason: string };

/** Server types whose paths are written `/a/b`. */
const SLASH_TYPES = new Set([0, 1, 5, 6, 7, 8, 9]);
const TYPE_NAMES: Record<number, string> = { 2: 'VMS', 4: 'MVS' };

export function decodeSafePath(text: string): SafePathResult {
  let pos = 0;
  const fail = (reason: string): SafePathResult => ({ ok: false, reason: `"${text}": ${reason}` });
  const readNumber = (what: string): number | undefined => {
    const start = pos;
    while (pos < text.length && text[pos]! >= '0' && text[pos]! <= '9') pos++;
    if (pos === start) return undefined;
    const value = Number(text.slice(start, pos));
    if (!Number.isSafeInteger(value)) return undefined;
    if (text[pos] === ' ') pos++;
    else if (pos < text.length) return undefined;
    void what;
    return value;
  };
  const readChunk = (length: number): string | undefined => {
    if (pos + length > text.length) return undefined;
    const chunk = text.slice(pos, pos + length);
    pos += length;
    // A chunk ends at a space (or at the end of the text).
    if (pos < text.length) {
      if (text[pos] !== ' ') return undefined;
      pos++;
    }
    return chunk;
  };

  if (text.trim() === '') return fail('empty');
  const type = readNumber('server type');
  if (type === undefined) return fail('does not start with a server type number');
  const prefixLength = readNumber('prefix length');
  if (prefixLength === undefined) return fail('the prefix length is missing');
  let prefix = '';
  if (prefixLength > 0) {
    const chunk = readChunk(prefixLength);
    if (chunk === undefined) return fail('the prefix is shorter than its length field');
    prefix = chunk;
  }
  const segments: string[] = [];
  while (pos < text.length) {
    const length = readNumber('segment length');
    if (length === undefined || length === 0) {
      return fail(`a segment length is missing or invalid at character ${pos + 1}`);
    }
    const segment = readChunk(length);
    if (segment === undefined) {
      return fail(`the segment at character ${pos + 1} does not match its length ${length}`);
    }
    segments.push(segment);
  }

  if (SLASH_TYPES.has(type)) {
    return { ok: true, type, segments, path: `${prefix}/${segments.join('/')}` };
  }
  if (type === 3 || type === 10) {
    const separator = type === 3 ? '\\' : '/';
    const [drive, ...rest] = segments;
    if (drive === undefined) return { ok: true, type, segments, path: separator };
    return { ok: true, type, segments, path: `${drive}${separator}${rest.join(separator)}` };
  }
  return fail(
    `${TYPE_NAMES[type] ?? `server type ${type}`} paths are not supported (only Unix-style and Windows paths)`,
  );
}

/** The safe-path form of a Unix path (for tests and for writing FileZilla files). */
export function encodeUnixSafePath(path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '');
  return ['1 0', ...segments.map((segment) => `${segment.length} ${segment}`)].join(' ');
}
