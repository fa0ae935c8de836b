// Where a download lands on the user's disk. Every writer (the queue for the app and `get -r`,
// the CLI's single `get`) goes through here, so the rules hold everywhere:
// - a folder below the root the user chose is never reached through a symbolic link;
// - bytes go to a temp file created exclusively, never through a link, under a name no listing
//   can claim (a random part), and only that file is ever deleted;
// - the finished file replaces an existing one only when the file-exists decision said so.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FerryError } from '../engine/errors';
import { localFsError } from './local-fs-error';

const { O_CREAT, O_EXCL, O_NOFOLLOW, O_WRONLY } = constants;
/** Leaves room for the random part and `.part` within a 255-byte file name. */
const MAX_STEM_BYTES = 200;

function stemOf(finalPath: string): string {
  let stem = path.basename(finalPath);
  while (Buffer.byteLength(stem) > MAX_STEM_BYTES) stem = stem.slice(0, -1);
  return stem;
}

/** `<name>.<random>.part` beside the final file. */
export function tempNameFor(finalPath: string): string {
  return path.join(
    path.dirname(finalPath),
    `${stemOf(finalPath)}.${randomBytes(4).toString('hex')}.part`,
  );
}

/**
 * Creates every folder from `root` down to `folder`, refusing any that is a symbolic link (or
 * not a folder). `root` itself may be a link: the user chose it.
 */
export async function ensureRealFolder(root: string, folder: string, step: string): Promise<void> {
  const base = path.resolve(root);
  const target = path.resolve(folder);
  const relative = path.relative(base, target);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new FerryError({ kind: 'unsafe-input', step, reason: `${target} is outside ${base}` });
  }
  let current = base;
  await mkdir(base, { recursive: true }).catch((error: unknown) => {
    throw localFsError(step, base, error);
  });
  for (const segment of relative === '' ? [] : relative.split(path.sep)) {
    current = path.join(current, segment);
    await mkdir(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw localFsError(step, current, error);
    });
    const info = await lstat(current).catch((error: unknown) => {
      throw localFsError(step, current, error);
    });
    if (info.isSymbolicLink() || !info.isDirectory()) {
      throw new FerryError({
        kind: 'unsafe-input',
        step,
        reason: `${current} is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; not followed`,
      });
    }
  }
}

/** A new, empty temp file for `finalPath`, created exclusively and never through a link. */
export async function createTemp(
  finalPath: string,
  step: string,
): Promise<{ path: string; handle: FileHandle }> {
  for (let attempt = 0; ; attempt++) {
    const temp = tempNameFor(finalPath);
    try {
      const handle = await open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
      return { path: temp, handle };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 5) continue;
      throw localFsError(step, temp, error);
    }
  }
}

/** Reopens a temp file this layer created (to resume it); refuses a link or a non-file. */
export async function reopenTemp(
  temp: string,
  step: string,
): Promise<{ handle: FileHandle; size: number } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(temp, O_WRONLY | O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') return undefined;
    throw localFsError(step, temp, error);
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    return undefined;
  }
  return { handle, size: info.size };
}

/**
 * Moves the finished temp file to its final name. `replace` only when the file-exists decision
 * allowed it; otherwise a file that appeared meanwhile is kept and this fails (the download
 * stays in the temp file). A link at the final name is replaced, never followed.
 */
export async function commitTemp(
  temp: string,
  finalPath: string,
  replace: boolean,
  step: string,
): Promise<void> {
  try {
    if (replace) {
      await rename(temp, finalPath);
      return;
    }
    try {
      // link() fails on an existing name: an atomic "rename unless it exists".
      await link(temp, finalPath);
      await unlink(temp);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw error;
      // File systems without hard links (FAT, some network shares): check, then rename.
      if (
        await lstat(finalPath).then(
          () => true,
          () => false,
        )
      ) {
        throw Object.assign(new Error('file exists'), { code: 'EEXIST' });
      }
      await rename(temp, finalPath);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new FerryError({
        kind: 'local-fs',
        step,
        path: finalPath,
        code: 'EEXIST',
        reason: `${finalPath} appeared while downloading and was left alone; the download is kept as ${temp}`,
      });
    }
    throw localFsError(step, finalPath, error);
  }
}

/** Deletes a temp file this layer created (never anything else). */
export async function discardTemp(temp: string | undefined): Promise<void> {
  if (temp === undefined) return;
  const info = await lstat(temp).catch(() => undefined);
  if (info?.isFile()) await unlink(temp).catch(() => undefined);
}

/** Size of a regular file at `file`, not following a link; undefined when there is none. */
export async function regularFileSize(file: string): Promise<number | undefined> {
  const info = await lstat(file).catch(() => undefined);
  return info?.isFile() ? info.size : undefined;
}
