import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RemoteEntry, TimePrecision } from '../../shared/models';
import { validateRemoteName } from '../engine/safe-path';
import { remoteJoin } from '../../shared/remote-path';

/** One entry below a walked root; `relative` uses `/` and is '' for the root itself. */
export type WalkEntry =
  | { kind: 'dir'; relative: string }
  | {
      kind: 'file';
      relative: string;
      size?: number;
      modifiedMs?: number;
      modifiedPrecision?: TimePrecision;
    }
  | { kind: 'rejected'; relative: string; reason: string };

/**
 * Walks a local folder depth-first, lazily (one `opendir` handle per level): a folder is yielded
 * before its contents, so the consumer can create it first. Symlinked folders are not followed
 * (loops); symlinked files are sent as the file they point to.
 */
export async function* walkLocal(root: string, relative = ''): AsyncGenerator<WalkEntry> {
  yield { kind: 'dir', relative };
  const folder = relative === '' ? root : path.join(root, ...relative.split('/'));
  const subdirs: string[] = [];
  const dir = await opendir(folder);
  for await (const dirent of dir) {
    const rel = relative === '' ? dirent.name : `${relative}/${dirent.name}`;
    const full = path.join(folder, dirent.name);
    if (dirent.isDirectory()) {
      subdirs.push(rel);
    } else if (dirent.isFile() || dirent.isSymbolicLink()) {
      const info = await stat(full).catch(() => undefined);
      if (!info) {
        yield { kind: 'rejected', relative: rel, reason: 'broken symbolic link' };
      } else if (info.isFile()) {
        yield { kind: 'file', relative: rel, size: info.size, modifiedMs: info.mtimeMs };
      } else if (info.isDirectory()) {
        yield {
          kind: 'rejected',
          relative: rel,
          reason: 'symbolic link to a folder (not followed)',
        };
      }
    }
  }
  for (const sub of subdirs.sort()) yield* walkLocal(root, sub);
}

export type ListRemote = (remotePath: string) => Promise<RemoteEntry[]>;

/**
 * Walks a remote folder depth-first, one listing per folder. Every server-supplied name goes
 * through the engine's safe-name rules: a name that could escape the local folder is yielded as
 * `rejected` and never becomes a path.
 */
export async function* walkRemote(
  list: ListRemote,
  root: string,
  relative = '',
): AsyncGenerator<WalkEntry> {
  yield { kind: 'dir', relative };
  const folder = relative === '' ? root : remoteJoin(root, relative);
  const entries = await list(folder);
  const subdirs: string[] = [];
  for (const entry of entries) {
    if (entry.name === '.' || entry.name === '..') continue;
    const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
    const check = validateRemoteName(entry.name);
    if (!check.ok) {
      yield { kind: 'rejected', relative: rel, reason: check.reason };
      continue;
    }
    if (entry.kind === 'dir') subdirs.push(rel);
    else if (entry.kind === 'link') {
      yield { kind: 'rejected', relative: rel, reason: 'symbolic link (not followed)' };
    } else if (entry.kind === 'file') {
      const modifiedMs = entry.modified ? Date.parse(entry.modified) : Number.NaN;
      yield {
        kind: 'file',
        relative: rel,
        ...(entry.size !== undefined ? { size: entry.size } : {}),
        ...(Number.isFinite(modifiedMs) ? { modifiedMs } : {}),
        ...(Number.isFinite(modifiedMs) && entry.modifiedPrecision
          ? { modifiedPrecision: entry.modifiedPrecision }
          : {}),
      };
    }
  }
  for (const sub of subdirs.sort()) yield* walkRemote(list, root, sub);
}
