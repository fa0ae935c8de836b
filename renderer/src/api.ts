import { describeError, type FerryErrorDetail } from '../../shared/errors';
import type { FerryApi, Result } from '../../shared/ipc';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the Playwright bridge: the only way to reach main. */
    readonly ferry: FerryApi;
  }
}

export const ferry: FerryApi = window.ferry;

/** A command failure in the renderer, carrying the typed detail from main. */
export class CommandError extends Error {
  constructor(readonly detail: FerryErrorDetail) {
    super(describeError(detail));
    this.name = 'CommandError';
  }
}

/** Unwraps a command result: the value, or a thrown `CommandError`. */
export async function call<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new CommandError(result.error);
  return result.value;
}

export function errorText(error: unknown): string {
  if (error instanceof CommandError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
