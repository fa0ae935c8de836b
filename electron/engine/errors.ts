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

/**
 * JavaScript's own error types mean a bug (a wrong argument, undefined read as an object), even
 * when Node adds an errno-like code (ERR_INVALID_ARG_TYPE).
 */
const isProgrammingError = (error: unknown): boolean =>
  error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError;

/**
 * Turns anything thrown into a FerryErrorDetail, attributing unknown failures to `step`. The
 * engine reports what the server did wrong as a FerryError (`protocol`); a system error has an
 * errno code; anything else is a bug in Ferry (`internal`), never blamed on the server.
 */
export function toErrorDetail(error: unknown, step: string): FerryErrorDetail {
  if (error instanceof FerryError) return error.detail;
  const err = error as NodeJS.ErrnoException | undefined;
  if (err && typeof err.code === 'string' && !isProgrammingError(error)) {
    if (err.code.startsWith('ERR_SSL') || err.code.startsWith('ERR_TLS')) {
      return { kind: 'tls-handshake', step, reason: opensslReason(err.message) };
    }
    return { kind: 'network', step, code: err.code, reason: err.message };
  }
  return { kind: 'internal', step, reason: err instanceof Error ? err.message : String(error) };
}

/** What a TLS failure on the control connection happened in the middle of. */
export interface TlsFailureContext {
  step: string;
  /** The client offered a certificate (PEM or PKCS#12). */
  clientCertificateOffered: boolean;
  /** The first handshake of an implicit-TLS connection, where a non-TLS answer means the port
   * speaks plain FTP. (After AUTH TLS the same error means a broken server instead.) */
  implicitStart?: boolean;
  /** A TLS 1.3 handshake completed and the server has sent nothing since. */
  silentAfterTls13Handshake?: boolean;
}

const OPENSSL_ERROR = /error:[0-9A-Fa-f]+:SSL routines:[^:]*:([^:]+):/;

/**
 * OpenSSL's `809C…:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:
 * ../deps/openssl/…:SSL alert number 40` as `sslv3 alert handshake failure`; other text as is.
 */
export function opensslReason(message: string): string {
  return (OPENSSL_ERROR.exec(message)?.[1] ?? message).trim();
}

/**
 * The one place that turns a TLS failure into an error detail and, where the remedy is known,
 * a hint (shared TLS_HINTS holds the text): alert 116, or 40 without a client certificate, is a
 * server that wants one; "wrong version number" on an implicit connect is a plain-FTP port.
 * A TLS 1.3 server refuses a missing client certificate only after the client's handshake is
 * done, and its alert can lose the race with the reset that answers the client's next command:
 * that reset, before the server said anything, gets the "probably" hint.
 */
export function tlsFailureDetail(error: unknown, context: TlsFailureContext): FerryErrorDetail {
  const err = error as NodeJS.ErrnoException | undefined;
  const message = err instanceof Error ? err.message : String(error);
  const code = typeof err?.code === 'string' ? err.code : '';
  const alertMatch = /SSL alert number (\d+)/.exec(message);
  const alert = alertMatch ? Number(alertMatch[1]) : undefined;
  const isTls =
    code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || OPENSSL_ERROR.test(message);
  const step = context.step;
  const withAlert = alert !== undefined ? { alert } : {};
  if (alert === 116 || (alert === 40 && !context.clientCertificateOffered)) {
    return {
      kind: 'tls-handshake',
      step,
      reason: opensslReason(message),
      ...withAlert,
      hint: 'client-certificate-required',
    };
  }
  if (
    context.implicitStart &&
    (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/.test(message))
  ) {
    return { kind: 'tls-handshake', step, reason: opensslReason(message), hint: 'plain-ftp-port' };
  }
  if (isTls) return { kind: 'tls-handshake', step, reason: opensslReason(message), ...withAlert };
  const hungUp = code === 'ECONNRESET' || code === 'EPIPE' || error === undefined;
  if (hungUp && context.silentAfterTls13Handshake && !context.clientCertificateOffered) {
    return {
      kind: 'tls-handshake',
      step,
      reason: code ? `${code}: ${message}` : 'the server closed the connection',
      hint: 'client-certificate-probably-required',
    };
  }
  if (error === undefined) {
    return { kind: 'closed', step, reason: 'the server closed the connection' };
  }
  return toErrorDetail(error, step);
}
