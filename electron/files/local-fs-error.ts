import { FerryError } from '../engine/errors';

/** Words for the errno codes people meet; anything else keeps the system's message. */
function describeErrno(error: NodeJS.ErrnoException | undefined): string | undefined {
  switch (error?.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EEXIST':
      return 'already exists';
    case 'ENOTEMPTY':
      return 'folder is not empty';
    case 'ENOTDIR':
      return 'not a folder';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the disk is read-only';
    default:
      return undefined;
  }
}

/**
 * The one way a failed local file operation becomes a typed, serializable error. `reason`
 * overrides the wording where the caller knows more (which file it was, what it was for).
 */
export function localFsError(
  step: string,
  path: string,
  error: unknown,
  reason?: string,
): FerryError {
  if (error instanceof FerryError) return error;
  const err = error as NodeJS.ErrnoException | undefined;
  if (err?.code === 'ENOENT') {
    const detail = {
      step,
      side: 'local' as const,
      path,
      reason: reason ?? 'no such file or folder',
    };
    return new FerryError({ kind: 'not-found', ...detail }, { cause: error });
  }
  return new FerryError(
    {
      kind: 'local-fs',
      step,
      path,
      code: err?.code ?? 'EIO',
      reason: reason ?? describeErrno(err) ?? (err instanceof Error ? err.message : String(error)),
    },
    { cause: error },
  );
}
