import type { SecurityMode } from './models';

/**
 * How a connected session is protected, as the engine knows it: the one shape the engine's
 * client, the services' RemoteClient and the IPC's SessionSecurity share.
 */
export interface SecurityState {
  mode: SecurityMode;
  tlsProtocol?: string;
  cipher?: string;
  dataProtection: 'P' | 'C' | 'none';
  /** "Explicit if available" continued without TLS because the server refused it. */
  insecureFallback: boolean;
  cccActive: boolean;
}
