// Helpers for tests that connect to the test rig's servers (not shipped: only *.test.ts files
// import this).
import type { ConnectOptions } from '../../electron/engine/types';

/** What a test server (the rig's real servers, the hostile one) tells a client about itself. */
export interface TestServerAddress {
  host: string;
  port: number;
  mode: ConnectOptions['mode'];
  user: string;
  password: string;
  fingerprint256: string;
}

/** Connection settings for a test server; its self-signed certificate is accepted by fingerprint. */
export function connectOptionsFor(
  server: TestServerAddress,
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
