/**
 * A data connection that shows another certificate than the trusted control connection: the
 * transfer stops, and the CLI must not claim "nothing was sent" (USER and PASS went over the
 * control connection the user trusted).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getSharedCerts } from '../../test/servers/certs';
import {
  startTwoCertificateServer,
  type TwoCertificateServer,
} from '../../test/scripted/two-certificate-server';
import { describeRun, ferry, setUpCliTests } from '../../test/support/cli';

setUpCliTests('ferry-cli-datacert-');
let server: TwoCertificateServer;
let controlFingerprint: string;

beforeAll(async () => {
  const certs = await getSharedCerts();
  controlFingerprint = certs.selfSigned.fingerprint256;
  server = await startTwoCertificateServer(certs.selfSigned, certs.caSigned);
});
afterAll(async () => {
  await server?.stop();
});

it('stops the listing, exits 3, and says the login was sent over the trusted connection', async () => {
  const run = await ferry([
    'ls',
    '--pin',
    controlFingerprint,
    `ftpes://alice:secret@${server.host}:${server.port}/`,
  ]);
  expect(run.code, describeRun(run)).toBe(3);
  expect(run.stderr).toMatch(/another certificate than the control connection/);
  expect(server.commands).toContain('PASS ****');
  expect(run.stderr).not.toMatch(/nothing was sent/i);
  expect(run.stderr).toMatch(/user name and password were sent over the control connection/);
});
