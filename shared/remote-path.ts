/**
 * Remote (server) paths: the one join, parent and basename that the engine, the queue, the
 * services, the CLI and the renderer all use. Pure code.
 *
 * Remote paths are POSIX-style: `/` separates segments and a backslash is an ordinary character
 * (it is one on the server). A path that does not start with `/` is relative to the login folder;
 * the empty path is the login folder itself (the CLI's `ftpes://host/file` is `file`).
 *
 * - `remoteJoin(dir, name)`: `name` is one segment or a relative path below `dir`. Runs of `/`
 *   collapse to one, and a leading `/` on `name` does not make it absolute: a name can never
 *   move the result out of `dir` (a hostile listing entry `/etc/passwd` stays below `dir`).
 *   An empty `dir` gives `name` (relative to the login folder). Spaces are kept as they are.
 * - `remoteParent(path)`: the folder holding `path`, lexically: trailing slashes and `//` are
 *   ignored, `.` and `..` resolved; `/` is its own parent; a relative path's parent stays
 *   relative (`a` → `.`, the login folder `''` → `..`).
 * - `remoteBasename(path)`: the last segment, trailing slashes ignored (`/` → `''`).
 */

/**
 * Normalises a remote path: repeated slashes collapse, `.` goes, `..` pops a segment (never above
 * `/`), no trailing slash except for `/` itself. An empty path is `.`.
 */
export function normalizeRemotePath(remotePath: string): string {
  const absolute = remotePath.startsWith('/');
  const out: string[] = [];
  for (const segment of remotePath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(segment);
  }
  if (absolute) return `/${out.join('/')}`;
  return out.length === 0 ? '.' : out.join('/');
}

/** `name` below `dir` (see the header: a leading `/` on `name` never escapes `dir`). */
export function remoteJoin(dir: string, name: string): string {
  const joined = dir === '' ? name.replace(/^\/+/, '') : `${dir}/${name}`;
  return joined.replace(/\/{2,}/g, '/');
}

/** The folder holding `remotePath` (`/` for `/` itself). */
export function remoteParent(remotePath: string): string {
  return normalizeRemotePath(`${remotePath === '' ? '.' : remotePath}/..`);
}

/** The last segment of a remote path (`/a/b.txt` → `b.txt`); trailing slashes ignored. */
export function remoteBasename(remotePath: string): string {
  const trimmed = remotePath.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
