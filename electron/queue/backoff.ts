import type { FerryErrorDetail } from '../../shared/errors';
import { GREETING_STEP } from '../engine/control';

export interface RetryPolicy {
  /** Attempts in a row that made no progress before an item fails. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 8, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** Exponential backoff with ±25 % jitter so that a pool's connections do not retry in step. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.75 + random() * 0.5));
}

export type FailureClass =
  /** Reconnect and resume from the offset. */
  | 'transient'
  /** The server refused this file for good (550, permissions): fail the item with its reply. */
  | 'permanent'
  /** The site is unusable as configured (login, certificate): stop and ask. */
  | 'site'
  | 'cancelled';

/** Sorts an engine error into what the queue should do next. */
export function classifyFailure(detail: FerryErrorDetail): FailureClass {
  switch (detail.kind) {
    case 'cancelled':
      return 'cancelled';
    case 'network':
    case 'closed':
    case 'timeout':
    case 'tls-handshake':
    case 'tls-resumption':
    case 'protocol':
      return 'transient';
    case 'ftp-reply':
      // 4xx is "try again later" in RFC 959 (421 closing, 425/426 data connection, 450/451/452).
      return detail.code >= 400 && detail.code < 500 ? 'transient' : 'permanent';
    case 'auth':
    case 'tls-untrusted':
    case 'insecure-refused':
      return 'site';
    case 'unsafe-input':
    case 'local-fs':
    case 'not-found':
    case 'exists':
    case 'usage':
    case 'internal': // a bug does not go away by retrying: fail the item and show it
      return 'permanent';
  }
}

/** A `421` (too many connections, or the server closing us) seen while connecting. */
export function isTooManyConnections(detail: FerryErrorDetail): boolean {
  if (detail.kind !== 'ftp-reply') return false;
  // vsftpd and pure-ftpd greet with 421; ProFTPD's MaxConnectionsPerHost greets with 530. A 530
  // before any credential was sent cannot be a wrong password.
  return detail.code === 421 || (detail.code === 530 && detail.step === GREETING_STEP);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
