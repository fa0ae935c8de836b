/**
 * One source of truth for the session: the connect bar, the window title and the status bar show
 * the connected site; Disconnect then Connect reuses its mode; editing the bar while connected is
 * a new connection; ending a session with transfers running asks first (a setting).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../test/servers/servers';
import { defaultSiteInput } from '../shared/sites';
import { SiteManagerPage } from './pages/site-manager';
import { expect, test } from './support/fixtures';

let implicit: RunningServer;
let explicit: RunningServer;

test.beforeAll(async () => {
  implicit = await startServer({ kind: 'vsftpd', mode: 'implicit', tlsMax: '1.3' });
  await implicit.writeFile('implicit.txt', 'hello\n');
  explicit = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  await explicit.writeFile('big/large.bin', randomBytes(4 * 1024 * 1024));
  await explicit.writeFile('big/second.bin', randomBytes(4 * 1024 * 1024));
});

test.afterAll(async () => {
  await implicit?.stop();
  await explicit?.stop();
});

test("the connect bar, title and status bar follow a site's session", async ({ app }) => {
  const { ferry, page, bridge } = app;
  test.skip(!bridge, 'creates the site through the services');
  await bridge?.backend.dispatch('createSite', [
    {
      ...defaultSiteInput(),
      name: 'Harbour',
      host: implicit.host,
      port: implicit.port,
      mode: 'implicit',
      user: implicit.user,
    },
    { password: implicit.password },
  ]);
  // The bar starts out on its default, explicit FTPS.
  await expect(ferry.connectBar.mode()).toHaveValue('explicit');
  const sites = new SiteManagerPage(page);
  await sites.open();
  await sites.site('Harbour').click();
  await sites.connect();
  await ferry.trust.answer('Trust once');
  await expect(ferry.remote.row('implicit.txt')).toBeVisible();

  await expect(ferry.connectBar.mode()).toHaveValue('implicit');
  await expect(ferry.connectBar.host()).toHaveValue(implicit.host);
  await expect(ferry.connectBar.port()).toHaveValue(String(implicit.port));
  await expect(page.getByTestId('connected-site')).toHaveText('Harbour');
  await expect(page).toHaveTitle(
    `Harbour (Implicit FTPS, ${implicit.host}:${implicit.port}) – Ferry`,
  );
  await expect(page.getByTestId('status-site')).toHaveText('Harbour');
  await ferry.screenshots('session-site-in-bar');

  // Disconnect, then Connect from the bar: same server, same mode.
  await ferry.connectBar.disconnect();
  await expect(page).toHaveTitle('Ferry');
  await ferry.connectBar.password().fill(implicit.password);
  await ferry.connectBar.connect();
  await ferry.trust.answer('Trust once');
  await expect(ferry.remote.row('implicit.txt')).toBeVisible();
  await expect(ferry.statusBar).toContainText('Implicit FTPS');

  // Editing the bar while connected is clearly a new connection.
  await expect(ferry.connectBar.root.getByRole('button', { name: 'New connection' })).toHaveCount(
    0,
  );
  await ferry.connectBar.host().fill('localhost');
  await expect(ferry.connectBar.root).toHaveAttribute('data-session', 'edited');
  await expect(ferry.connectBar.root.getByRole('button', { name: 'New connection' })).toBeVisible();
  await expect(page.getByTestId('connected-site')).toHaveCount(0);
  await ferry.connectBar.host().fill(implicit.host);
  await expect(ferry.connectBar.root.getByRole('button', { name: 'New connection' })).toHaveCount(
    0,
  );
});

test('disconnecting with a transfer running asks; "Don\'t ask again" turns the setting off', async ({
  app,
}) => {
  const { ferry, page, workDir, dataDir } = app;
  const { FaultProxy } = await import('../test/support/fault-proxy');
  const proxy = await FaultProxy.start({
    controlPort: explicit.port,
    passivePorts: explicit.pasvPorts,
  });
  proxy.throttle(300_000);
  try {
    const startDownload = async (name: string) => {
      await ferry.connectTrustingOnce({ ...explicit, host: proxy.host });
      await ferry.local.goTo(workDir);
      await ferry.remote.row('big').dblclick();
      await ferry.remote.row(name).dblclick();
      await expect(ferry.queue.item(name)).toHaveAttribute('data-state', 'transferring');
    };
    await startDownload('large.bin');
    const confirm = page.getByTestId('confirm-dialog');

    // Cancel keeps the session and the transfer.
    await ferry.connectBar.disconnect();
    await expect(confirm).toContainText('One transfer is not finished');
    await ferry.screenshots('session-disconnect-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(ferry.statusBar).toHaveAttribute('data-tone', 'warning');
    await expect(ferry.queue.item('large.bin')).toHaveAttribute('data-state', 'transferring');

    // Confirm with "Don't ask again".
    await ferry.connectBar.disconnect();
    await confirm.getByRole('checkbox', { name: 'Don’t ask again' }).check();
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await expect(ferry.statusBar).toContainText('Not connected');
    await expect
      .poll(async () => {
        const saved = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')) as {
          data: { confirm: { disconnectWithTransfers: boolean } };
        };
        return saved.data.confirm.disconnectWithTransfers;
      })
      .toBe(false);

    // With the setting off, Disconnect does not ask.
    await startDownload('second.bin');
    await ferry.connectBar.disconnect();
    await expect(ferry.statusBar).toContainText('Not connected');
    await expect(confirm).toHaveCount(0);
  } finally {
    await proxy.stop();
  }
});
