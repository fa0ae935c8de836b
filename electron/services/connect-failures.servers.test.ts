/**
 * A failed connect must not leave a rejected promise nobody handles: in Electron's main process
 * (and in any Node process under the default `--unhandled-rejections=throw`) that ends the whole
 * app. connect-failures.child.ts runs the failed-connect paths in a separate Node process, through
 * the engine and through the services' `dispatch`, and this test checks that the process lives.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { getSharedCerts } from '../../test/servers/certs';
import { freePort, startServer, stopAll } from '../../test/servers/servers';
import type { ChildOutcome, ChildTarget } from './connect-failures.child';

afterAll(stopAll);

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./connect-failures.child.ts', import.meta.url));

function runChild(
  targets: ChildTarget[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // No NODE_OPTIONS from the test runner: the child gets Node's default rejection handling.
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(targets)], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('refused, wrong-mode and TLS-alert connects fail with an error and leave the process alive', async () => {
  const certs = await getSharedCerts();
  const [refusedPort, explicitServer, certServer12, certServer13] = await Promise.all([
    freePort(),
    startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' }),
    startServer({
      kind: 'proftpd',
      mode: 'implicit',
      tlsMax: '1.2',
      verifyClient: { caPath: certs.clientCa.certPath },
    }),
    startServer({
      kind: 'proftpd',
      mode: 'explicit',
      tlsMax: '1.3',
      verifyClient: { caPath: certs.clientCa.certPath },
    }),
  ]);
  const targets: ChildTarget[] = [
    { label: 'refused', port: refusedPort, mode: 'explicit' },
    { label: 'implicit on an explicit port', port: explicitServer.port, mode: 'implicit' },
    { label: 'client certificate, TLS 1.2, implicit', port: certServer12.port, mode: 'implicit' },
    { label: 'client certificate, TLS 1.3, explicit', port: certServer13.port, mode: 'explicit' },
  ];
  const run = await runChild(targets);
  const report = `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
  expect(run.code, report).toBe(0);
  expect(run.stderr, report).not.toMatch(/Unhandled|FerryError/);
  const outcomes = JSON.parse(run.stdout) as ChildOutcome[];
  expect(outcomes).toHaveLength(targets.length * 3);
  // What each failure says (shared describeError: the app and `ferry` show the same text).
  const expected: Record<string, { kind: string; message: RegExp }> = {
    refused: { kind: 'network', message: /ECONNREFUSED/ },
    'implicit on an explicit port': {
      kind: 'tls-handshake',
      message: /^TLS handshake: this port speaks plain FTP: try Explicit FTPS/,
    },
    'client certificate, TLS 1.2, implicit': {
      kind: 'tls-handshake',
      message: /^TLS handshake: the server requires a client certificate \(use --client-cert/,
    },
    'client certificate, TLS 1.3, explicit': {
      kind: 'tls-handshake',
      message: /^TLS handshake: .*requires a client certificate \(use --client-cert/,
    },
  };
  for (const outcome of outcomes) {
    const what = `${outcome.label} via ${outcome.path}: ${JSON.stringify(outcome.error)}`;
    // Under TLS 1.3 the server refuses the client only after the client's handshake is done, so
    // the certificate probe (which sends nothing more) gets its report.
    if (outcome.path === 'engine probe' && outcome.label.includes('TLS 1.3')) continue;
    expect(outcome.error?.kind, what).toBe(expected[outcome.label]?.kind);
    expect(outcome.error?.message, what).toMatch(expected[outcome.label]?.message ?? /^$/);
  }
});
