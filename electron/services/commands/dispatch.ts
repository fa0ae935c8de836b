import { isFerryErrorDetail, type FerryErrorDetail } from '../../../shared/errors';
import { isCommandName, type Result } from '../../../shared/ipc';
import { validateCommandArgs, ValidationError } from '../../../shared/ipc-validate';
import { FerryError, toErrorDetail } from '../../engine/errors';
import type { CommandHandlers } from './context';

/**
 * The one entry point for commands from the renderer: checks the name and every argument at run
 * time (the renderer is untrusted), runs the handler, and turns any failure into a typed error.
 */
export function createDispatch(
  handlers: CommandHandlers,
): (name: unknown, args: unknown) => Promise<Result<unknown>> {
  return async (name, args) => {
    if (!isCommandName(name)) {
      return {
        ok: false,
        error: { kind: 'usage', step: 'IPC', reason: `unknown command ${String(name)}` },
      };
    }
    try {
      const valid = validateCommandArgs(name, args);
      const handler = handlers[name] as (...a: unknown[]) => unknown;
      const value = await handler(...(valid as unknown[]));
      return { ok: true, value: value ?? null };
    } catch (error) {
      return { ok: false, error: errorDetail(error, name) };
    }
  };
}

export function errorDetail(error: unknown, step: string): FerryErrorDetail {
  if (error instanceof ValidationError) return error.detail;
  if (error instanceof FerryError) return error.detail;
  const detail = (error as { detail?: unknown } | undefined)?.detail;
  if (isFerryErrorDetail(detail)) return detail;
  return toErrorDetail(error, step);
}
