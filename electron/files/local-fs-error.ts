import { FerryError } from '../engine/errors';

/** The one way a failed local file operation becomes a typed, serializable error. */
export function localFsError(step: string, path: string, error: unknown): FerryError {
  if (error instanceof FerryError) return error;
  const err = error as NodeJS.ErrnoException | undefined;
  return new FerryError(
    {
      kind: 'local-fs',
      step,
      path,
      code: err?.code ?? 'EIO',
      reason: err instanceof Error ? err.message : String(error),
    },
    { cause: error },
  );
}
