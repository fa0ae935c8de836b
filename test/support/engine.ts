// Helpers for tests that connect to the test rig's servers (not shipped: only *.test.ts files
// import this).
import type { RunningServer } from '../servers/servers';
import type { ConnectOptions } from '../../electron/engine/types';

/** Connection settings for a test server; its self-signed certificate is accepted by fingerprint. */
export function connectOptionsFor(
  server: RunningServer,
  overrides: Partial<ConnectOptions> = {},
): ConnectOptions {
  return {
    host: server.host,
    port: server.port,
    mode: server.mode,
    user: server.user,
    password: server.password,
    keepaliveMs: 0,
    decideTrust: (report) =>
      Promise.resolve(
        report.chain[0]?.fingerprint256 === server.fingerprint256 ? 'once' : 'reject',
      ),
    ...overrides,
  };
}
