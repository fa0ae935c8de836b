import { describeError, type FerryErrorDetail } from '../../../shared/errors';
import type { FerryApi, Result } from '../../../shared/ipc';
import { adviseError, type ErrorAdvice, type ErrorContext } from '../../../shared/error-advice';

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

/** An error as a sentence, a next step and the raw detail (see shared/error-advice). */
export function errorAdvice(error: unknown, context: ErrorContext = {}): ErrorAdvice {
  if (error instanceof CommandError) return adviseError(error.detail, context);
  const text = errorText(error);
  return { summary: text, detail: text };
}

export function errorText(error: unknown): string {
  if (error instanceof CommandError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
