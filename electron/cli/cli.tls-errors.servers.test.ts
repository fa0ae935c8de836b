/**
 * TLS failures people can act on: a server that requires a client certificate (TLS alert 40
 * under TLS 1.2, 116 under TLS 1.3) and a plain-FTP port reached with implicit TLS ("wrong version
 * number") are named as such, with the same step under TLS 1.2 and 1.3, by the engine (whose
 * error detail the app shows through shared describeError) and by `ferry`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { describeError } from '../../shared/errors';
import { getSharedCerts } from '../../test/servers/certs';
import { startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { FtpsClient } from '../engine/client';
import { FerryError } from '../engine/errors';
import { connectOptionsFor } from '../../test/support/engine';
import type { CliIo } from './io';
import { runCli } from './run';

afterAll(stopAll);

const CLIENT_CERT_TEXT =
  "requires a client certificate (use --client-cert or --pfx / the site's TLS tab)";

async function engineFailure(
  server: RunningServer,
  mode: 'explicit' | 'implicit',
): Promise<FerryError> {
  const error = await FtpsClient.connect(
    connectOptionsFor(server, { mode, timeouts: { connectMs: 5000 } }),
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FerryError);
  return error as FerryError;
}

async function cli(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const io: CliIo = {
    writeStdout: () => undefined,
    writeStderr: (text) => {
      stderr += text;
    },
    stderrIsTTY: false,
    env: {},
    cwd: process.cwd(),
  };
  const code = await runCli(argv, io);
  return { code, stderr };
}

function url(server: RunningServer, mode: 'explicit' | 'implicit'): string {
  const scheme = mode === 'implicit' ? 'ftps' : 'ftpes';
  return `${scheme}://${server.user}:${server.password}@127.0.0.1:${server.port}/`;
}

describe.concurrent('a server that requires a client certificate (ProFTPD)', () => {
  for (const mode of ['explicit', 'implicit'] as const) {
    it(`${mode}: TLS 1.2 and 1.3 say so, at the same step`, async () => {
      const certs = await getSharedCerts();
      const steps: string[] = [];
      for (const tlsMax of ['1.2', '1.3'] as const) {
        const server = await startServer({
          kind: 'proftpd',
          mode,
          tlsMax,
          verifyClient: { caPath: certs.clientCa.certPath },
        });
        const error = await engineFailure(server, mode);
        const what = `TLS ${tlsMax}: ${JSON.stringify(error.detail)}`;
        expect(error.detail.kind, what).toBe('tls-handshake');
        expect(error.message, what).toContain(CLIENT_CERT_TEXT);
        expect(describeError(error.detail)).toBe(error.message);
        steps.push(error.detail.step);
        const run = await cli(['ls', '--pin', server.fingerprint256, url(server, mode)]);
        expect(run.code, run.stderr).toBe(6);
        expect(run.stderr).toContain(CLIENT_CERT_TEXT);
        expect(run.stderr).not.toMatch(/deps\/openssl|SSL routines/);
        await server.stop();
      }
      expect(steps).toEqual(['TLS handshake', 'TLS handshake']);
    });
  }
});

it('implicit TLS on a plain FTP port (vsftpd explicit) says to try explicit FTPS', async () => {
  const server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  const error = await engineFailure(server, 'implicit');
  expect(error.detail).toMatchObject({ kind: 'tls-handshake', step: 'TLS handshake' });
  expect(error.message).toContain('this port speaks plain FTP: try Explicit FTPS');
  const run = await cli(['ls', '--pin', server.fingerprint256, url(server, 'implicit')]);
  expect(run.code, run.stderr).toBe(6);
  expect(run.stderr).toContain('this port speaks plain FTP: try Explicit FTPS');
  await server.stop();
});

it('explicit FTPS on an implicit port (vsftpd implicit) says the greeting never came and to try implicit', async () => {
  const server = await startServer({ kind: 'vsftpd', mode: 'implicit', tlsMax: '1.3' });
  const error = await FtpsClient.connect(
    connectOptionsFor(server, { mode: 'explicit', timeouts: { connectMs: 1500 } }),
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FerryError);
  expect((error as FerryError).detail).toMatchObject({
    kind: 'timeout',
    step: 'read greeting',
    hint: 'implicit-tls-port',
  });
  expect((error as FerryError).message).toBe(
    'read greeting: no answer within 2 s; the server accepted the connection but sent no greeting: if this port expects implicit TLS, try Implicit FTPS (ftps://)',
  );
  await server.stop();
});
