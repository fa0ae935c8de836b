// Pure rules for names and paths that cross the trust boundary (a server's listing, the renderer's
// requests). The engine adds the platform's own rules (Windows reserved names and characters).

/** Why `name` cannot be one path segment, or undefined when it can. */
export function unsafeNameReason(name: string): string | undefined {
  if (name === '') return 'empty name';
  if (name === '.' || name === '..') return `${quoteName(name)} is not a file name`;
  if (name.includes('/') || name.includes('\\'))
    return `${quoteName(name)} contains a path separator`;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) {
      return `${quoteName(name)} contains a control character`;
    }
  }
  return undefined;
}

/** A quoted, bounded form of a hostile name that cannot disturb a log line or a terminal. */
export function quoteName(name: string): string {
  const shown = JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);
  // JSON leaves DEL and the C1 controls alone; escape them too.
  return shown.replace(
    /[\u007f-\u009f]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Whether a path (either separator) has a `.` or `..` segment, which would move it elsewhere. */
export function hasDotSegment(path: string): boolean {
  return path.split(/[\\/]/).some((segment) => segment === '.' || segment === '..');
}
