import type { SecurityMode } from './models';

/** The port a security mode uses when none is given: 990 for implicit FTPS, 21 otherwise. */
export function defaultPort(mode: SecurityMode): number {
  return mode === 'implicit' ? 990 : 21;
}
