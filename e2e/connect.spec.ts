import { startServer, type RunningServer } from '../test/servers/servers';
import { expect, test } from './support/fixtures';
import { opensslFingerprint256 } from './support/server';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  await server.writeFile('welcome.txt', 'Hello from vsftpd\n');
  await server.mkdir('photos');
  await server.writeFile('photos/harbour.jpg', new Uint8Array(2048));
  // Older than six months: LIST shows `Mar  4  2019`, a date without a time.
  const { utimes } = await import('node:fs/promises');
  const old = new Date('2019-03-04T12:00:00Z');
  await utimes(server.path('photos/harbour.jpg'), old, old);
});

test.afterAll(async () => {
  await server?.stop();
});

test('explicit FTPS to a self-signed server: prompt with the openssl fingerprint, trust always, listing', async ({
  app,
}) => {
  const { ferry, page } = app;
  await ferry.screenshots('01-start');

  await ferry.connectBar.fill({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    mode: 'explicit',
  });
  await ferry.connectBar.connect();

  await expect(ferry.trust.untrusted()).toBeVisible();
  const expected = await opensslFingerprint256(server.certPath);
  expect(await ferry.trust.fingerprint()).toBe(expected);
  await expect(ferry.trust.untrusted()).toContainText('self-signed');
  // Nothing has been sent yet: the status bar says we are waiting for the user.
  await expect(ferry.statusBar).toContainText('Waiting for your decision');
  await ferry.screenshots('02-trust-prompt');

  await ferry.trust.answer('Always trust');
  await expect(ferry.remote.row('welcome.txt')).toBeVisible();
  await expect(ferry.remote.row('photos')).toBeVisible();
  await expect(ferry.statusBar).toHaveAttribute('data-tone', 'secure');
  await expect(ferry.statusBar).toContainText('Explicit FTPS');
  await expect(ferry.statusBar).toContainText('TLSv1.3');
  await expect(ferry.statusBar).toContainText('Data encrypted');
  await ferry.screenshots('03-connected');

  // The protocol log shows the conversation with PASS masked, and never the password.
  await expect(ferry.log).toContainText('PASS ****');
  await expect(ferry.log).toContainText('230');
  expect(await ferry.log.innerText()).not.toContain(server.password);
  const logged = await app.bridge?.backend.handlers.getLog();
  expect(JSON.stringify(logged ?? [])).not.toContain(server.password);

  // The certificate dialog from the lock icon.
  await page.getByRole('button', { name: 'Show certificate' }).click();
  const dialog = page.getByTestId('certificate-dialog');
  await expect(dialog).toBeVisible();
  expect(await page.getByTestId('cert-sha256').getAttribute('data-value')).toBe(expected);
  await expect(dialog).toContainText('self-signed');
  await expect(page.getByTestId('cert-protocol')).toHaveText('TLSv1.3');
  await ferry.screenshots('04-certificate');
  await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();

  // Keyboard: open the folder with Enter, go back with Backspace.
  await ferry.remote.row('photos').click();
  await ferry.remote.list.press('Enter');
  await expect(ferry.remote.row('harbour.jpg')).toBeVisible();
  await expect(ferry.remote.row('harbour.jpg').locator('.col-modified')).toHaveText('2019-03-04');
  await expect(ferry.remote.path()).toHaveAttribute('data-path', '/photos');
  await ferry.remote.list.press('Backspace');
  await expect(ferry.remote.row('welcome.txt')).toBeVisible();
});

test('plain FTP is marked insecure in the connect bar', async ({ app }) => {
  const { ferry } = app;
  await ferry.connectBar.mode().selectOption('plain');
  await expect(ferry.connectBar.root.locator('.field.mode')).toHaveClass(/insecure/);
  await expect(ferry.connectBar.mode().locator('option:checked')).toHaveText(
    'Plain FTP (insecure)',
  );
});
