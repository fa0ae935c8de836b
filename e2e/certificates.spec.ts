import { getSharedCerts } from '../test/servers/certs';
import { startServer, type RunningServer } from '../test/servers/servers';
import { expect, test } from './support/fixtures';
import { startForwarder } from './support/tcp-forward';

const servers: RunningServer[] = [];

test.afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

test('a changed certificate on reconnect shows old and new side by side, cancel by default', async ({
  app,
}) => {
  const { ferry, page } = app;
  const first = await startServer({
    kind: 'vsftpd',
    mode: 'explicit',
    tlsMax: '1.3',
    cert: 'self-signed',
  });
  const second = await startServer({
    kind: 'vsftpd',
    mode: 'explicit',
    tlsMax: '1.3',
    cert: 'ca-signed',
  });
  servers.push(first, second);
  // One address; the server behind it is swapped for one with another certificate.
  const address = await startForwarder({ host: first.host, port: first.port });
  try {
    await ferry.connectBar.fill({
      host: address.host,
      port: address.port,
      user: first.user,
      password: first.password,
    });
    await ferry.connectBar.connect();
    await ferry.trust.answer('Always trust');
    await expect(ferry.statusBar).toHaveAttribute('data-tone', 'secure');
    await ferry.connectBar.disconnect();

    address.retarget({ host: second.host, port: second.port });
    await ferry.connectBar.connect();
    const dialog = ferry.trust.changed();
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Trusted before');
    await expect(dialog).toContainText('Presented now');
    await expect(dialog).toContainText(first.fingerprint256.slice(0, 11));
    await expect(dialog).toContainText(second.fingerprint256.slice(0, 11));
    await expect(dialog.getByRole('button', { name: 'Cancel', exact: true })).toBeFocused();
    await ferry.screenshots('07-certificate-changed');

    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(ferry.statusBar).toHaveAttribute('data-tone', 'danger');
    await expect(ferry.statusBar).toContainText('Connection failed');
  } finally {
    await address.stop();
  }
});

test('implicit mode moves the default port to 990 and connects to an implicit server', async ({
  app,
}) => {
  const { ferry } = app;
  const implicit = await startServer({ kind: 'vsftpd', mode: 'implicit', tlsMax: '1.2' });
  servers.push(implicit);
  await implicit.writeFile('implicit.txt', 'over implicit TLS\n');
  await expect(ferry.connectBar.port()).toHaveValue('21');
  await ferry.connectBar.mode().selectOption('implicit');
  await expect(ferry.connectBar.port()).toHaveValue('990');
  await ferry.connectBar.mode().selectOption('explicit');
  await expect(ferry.connectBar.port()).toHaveValue('21');
  await ferry.connectBar.mode().selectOption('implicit');
  await expect(ferry.connectBar.port()).toHaveValue('990');

  await ferry.connectBar.fill({
    host: implicit.host,
    port: implicit.port,
    user: implicit.user,
    password: implicit.password,
  });
  await ferry.connectBar.connect();
  await ferry.trust.answer('Trust once');
  await expect(ferry.remote.row('implicit.txt')).toBeVisible();
  await expect(ferry.statusBar).toContainText('Implicit FTPS');
  await expect(ferry.statusBar).toContainText('TLSv1.2');
});

test('a server that requires a client certificate, and implicit TLS on a plain port, say what to do', async ({
  app,
}) => {
  const { ferry, page } = app;
  const certs = await getSharedCerts();
  const needsCert = await startServer({
    kind: 'proftpd',
    mode: 'explicit',
    tlsMax: '1.2',
    verifyClient: { caPath: certs.clientCa.certPath },
  });
  const plainPort = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  servers.push(needsCert, plainPort);
  const toasts = page.locator('.toasts');

  await ferry.connectBar.fill({
    host: needsCert.host,
    port: needsCert.port,
    user: needsCert.user,
    password: needsCert.password,
    mode: 'explicit',
  });
  await ferry.connectBar.connect();
  // The advice follows the engine's hint; Details holds the text the command line prints.
  await expect(toasts.getByText('it requires a client certificate')).toBeVisible();
  await expect(toasts.getByText('TLS tab (Site Manager)')).toBeVisible();
  await expect(toasts).toContainText(
    "TLS handshake: the server requires a client certificate (use --client-cert or --pfx / the site's TLS tab); TLS alert 40",
  );
  await expect(ferry.statusBar).toContainText('Connection failed');
  await ferry.screenshot('14-client-certificate-required');

  await ferry.connectBar.fill({
    host: plainPort.host,
    port: plainPort.port,
    user: plainPort.user,
    password: plainPort.password,
    mode: 'implicit',
  });
  await ferry.connectBar.connect();
  await expect(toasts.getByText('does not start with TLS').last()).toBeVisible();
  await expect(toasts).toContainText(
    'TLS handshake: this port speaks plain FTP: try Explicit FTPS (ftpes://)',
  );
});
