import { describeError, type FerryErrorDetail } from '../../shared/errors';

/** The engine's only error type: a thrown wrapper around a serializable detail. */
export class FerryError extends Error {
  readonly detail: FerryErrorDetail;

  constructor(detail: FerryErrorDetail, options?: { cause?: unknown }) {
    super(describeError(detail), options);
    this.name = 'FerryError';
    this.detail = detail;
  }

  get kind(): FerryErrorDetail['kind'] {
    return this.detail.kind;
  }
}

/** Turns anything thrown into a FerryErrorDetail, attributing unknown failures to `step`. */
export function toErrorDetail(error: unknown, step: string): FerryErrorDetail {
  if (error instanceof FerryError) return error.detail;
  const err = error as NodeJS.ErrnoException | undefined;
  if (err && typeof err.code === 'string') {
    if (err.code.startsWith('ERR_SSL') || err.code.startsWith('ERR_TLS')) {
      return { kind: 'tls-handshake', step, reason: err.message };
    }
    return { kind: 'network', step, code: err.code, reason: err.message };
  }
  return { kind: 'protocol', step, reason: err instanceof Error ? err.message : String(error) };
}
