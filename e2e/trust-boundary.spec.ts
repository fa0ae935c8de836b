/**
 * The trust boundary as the user sees it: an export with passwords goes only where main's save
 * dialog says; moving a site warns that its saved password goes; a keychain that is not one
 * (Linux basic_text) is named as such in the site form and in settings.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultSiteInput } from '../shared/sites';
import { startServer, type RunningServer } from '../test/servers/servers';
import { CONTENT_SECURITY_POLICY } from '../electron/main/app-protocol';
import { SettingsPage, SiteManagerPage } from './pages/site-manager';
import { expect, test } from './support/fixtures';

const harbour = {
  ...defaultSiteInput(),
  name: 'Harbour',
  host: 'ftp.example.com',
  user: 'alice',
};

test('export with passwords: the file comes from the main-process save dialog', async ({ app }) => {
  const { page, ferry, bridge, dataDir } = app;
  await bridge?.backend.dispatch('createSite', [harbour, { password: 's3cret' }]);
  const sites = new SiteManagerPage(page);
  await sites.open();
  await sites.root.getByRole('button', { name: 'Export…' }).click();
  const panel = page.getByTestId('export-panel');
  await panel.getByRole('checkbox', { name: 'Include saved passwords' }).check();
  // No path field: the page cannot name where passwords go.
  await expect(panel.locator('input[name=exportPath]')).toHaveCount(0);
  await expect(panel).toContainText('Ferry asks where to save the file in its own dialog');
  await ferry.screenshots('20-export-with-passwords');

  // Cancelled dialog: nothing written, the panel stays.
  app.fileDialog.answer = null;
  await panel.getByRole('button', { name: 'Choose file and export…' }).click();
  await expect.poll(() => app.fileDialog.asked.length).toBe(1);
  await expect(panel).toBeVisible();

  const chosen = join(dataDir, 'chosen-export.json');
  app.fileDialog.answer = chosen;
  await panel.getByRole('button', { name: 'Choose file and export…' }).click();
  await expect(page.getByText(`Sites exported to ${chosen}.`)).toBeVisible();
  expect(app.fileDialog.asked[1]).toMatchObject({ save: true, extensions: ['json'] });
  expect(app.fileDialog.asked[1]?.title).toMatch(/passwords/);
  expect(await readFile(chosen, 'utf8')).toContain('s3cret');
});

test('moving a site warns that its saved password is removed, and removes it', async ({ app }) => {
  const { page, ferry, bridge } = app;
  await bridge?.backend.dispatch('createSite', [harbour, { password: 's3cret' }]);
  const sites = new SiteManagerPage(page);
  await sites.open();
  await sites.site('Harbour').click();
  await expect(sites.form).toContainText('Saved in the system keychain');
  await sites.field('host').fill('ftp.elsewhere.example');
  const note = sites.form.getByTestId('password-dropped-note');
  await expect(note).toContainText('Changing the host removes the saved password');
  await ferry.screenshot('21-password-dropped-note');
  await sites.form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText(/Password removed because the host changed/)).toBeVisible();
  await expect(sites.field('password')).toHaveAttribute('placeholder', '');
});

test.describe('a keychain that is not one', () => {
  test.use({ keychainBackend: 'basic_text' });

  test('basic_text: the site form and settings say passwords are not saved, and why', async ({
    app,
  }) => {
    const { page, ferry, bridge } = app;
    await bridge?.backend.dispatch('createSite', [harbour, { password: 's3cret' }]);
    const sites = new SiteManagerPage(page);
    await sites.open();
    await sites.site('Harbour').click();
    await expect(sites.form).toContainText('Not saved: no system keychain is in use');
    await expect(sites.form).toContainText('basic_text');
    await expect(sites.form).not.toContainText('Saved in the system keychain');
    await ferry.screenshot('22-keychain-basic-text-site');
    await sites.close();

    const settings = new SettingsPage(page);
    await settings.open();
    await settings.section('Connection').click();
    const keychain = settings.root.getByTestId('settings-keychain');
    await expect(keychain).toContainText('Passwords are not saved');
    await expect(keychain).toContainText('basic_text');
    await keychain.scrollIntoViewIfNeeded();
    await ferry.screenshots('23-keychain-basic-text-settings');
  });
});

test.describe('a server that refuses TLS', () => {
  let plain: RunningServer;
  test.beforeAll(async () => {
    plain = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3', plain: true });
    await plain.writeFile('readme.txt', 'no tls here\n');
  });
  test.afterAll(async () => {
    await plain?.stop();
  });

  test('"explicit if available" asks before the user name; Cancel is the default; going on is red', async ({
    app,
  }) => {
    const { page, ferry } = app;
    const since = (await plain.readLog()).length;
    await ferry.connectBar.fill({
      host: plain.host,
      port: plain.port,
      user: plain.user,
      password: plain.password,
      mode: 'explicit-if-available',
    });
    await ferry.connectBar.connect();
    const dialog = page.getByTestId('insecure-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('This server offers no encryption');
    await expect(dialog).toContainText('Nothing, not even your user name, has been sent yet');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    // A quick connection has no site to remember the answer for.
    await expect(dialog.getByRole('checkbox')).toHaveCount(0);
    expect((await plain.readLog()).slice(since)).not.toMatch(/FTP command: .*"USER /);
    await ferry.screenshots('24-insecure-prompt');

    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(ferry.statusBar).toHaveAttribute('data-tone', 'danger');
    expect((await plain.readLog()).slice(since)).not.toMatch(/FTP command: .*"USER /);

    await ferry.connectBar.connect();
    await dialog.getByRole('button', { name: 'Continue without encryption' }).click();
    await expect(ferry.remote.row('readme.txt')).toBeVisible();
    await expect(ferry.statusBar).toHaveAttribute('data-tone', 'danger');
    await expect(ferry.statusBar).toContainText('Not encrypted: the server did not offer TLS');
    await ferry.screenshots('25-insecure-session-status');
  });

  test('a saved site offers "remember", and then connects without asking', async ({ app }) => {
    const { page, ferry, bridge } = app;
    await bridge?.backend.dispatch('createSite', [
      {
        ...defaultSiteInput(),
        name: 'Old box',
        host: plain.host,
        port: plain.port,
        mode: 'explicit-if-available',
        user: plain.user,
      },
      { password: plain.password },
    ]);
    const sites = new SiteManagerPage(page);
    await sites.open();
    await sites.site('Old box').click();
    await sites.connect();
    const dialog = page.getByTestId('insecure-dialog');
    await dialog.getByRole('checkbox', { name: /Remember for “Old box”/ }).check();
    await dialog.getByRole('button', { name: 'Continue without encryption' }).click();
    await expect(ferry.remote.row('readme.txt')).toBeVisible();
    await ferry.connectBar.disconnect();

    await sites.open();
    await sites.site('Old box').click();
    await sites.connect();
    await expect(ferry.remote.row('readme.txt')).toBeVisible();
    await expect(dialog).toHaveCount(0);
    await expect(ferry.statusBar).toHaveAttribute('data-tone', 'danger');
    await ferry.connectBar.disconnect();

    // The site form says so, and "Ask again" forgets the answer.
    await sites.open();
    await sites.site('Old box').click();
    const remembered = sites.form.getByTestId('plain-remembered');
    await expect(remembered).toContainText('You chose to continue without encryption');
    await ferry.screenshots('29-plain-remembered');
    await remembered.getByRole('button', { name: 'Ask again' }).click();
    await expect(remembered).toHaveCount(0);
    await expect(sites.form).toContainText('Ferry stops before sending your user name and asks');
    await sites.connect();
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});

test('trust once on an expired certificate from an unknown CA: every problem named, amber, invalid links marked', async ({
  app,
}) => {
  const { page, ferry } = app;
  const expired = await startServer({
    kind: 'vsftpd',
    mode: 'explicit',
    tlsMax: '1.3',
    cert: 'expired',
  });
  try {
    await expired.writeFile('old.txt', 'old\n');
    await ferry.connectBar.fill({
      host: expired.host,
      port: expired.port,
      user: expired.user,
      password: expired.password,
      mode: 'explicit',
    });
    await ferry.connectBar.connect();
    const prompt = ferry.trust.untrusted();
    await expect(prompt.locator('[data-reason=expired]')).toHaveText(
      /^It expired 20\d\d-\d\d-\d\d \d\d:\d\d \([\d,]+ days ago\)\.$/,
    );
    await expect(prompt.locator('[data-reason=unknown-issuer]')).toContainText(
      'authority this computer does not know (Ferry Test CA)',
    );
    await ferry.screenshots('26-trust-prompt-expired-unknown-ca');
    await ferry.trust.answer('Trust once');
    await expect(ferry.remote.row('old.txt')).toBeVisible();
    await expect(ferry.statusBar).toHaveAttribute('data-tone', 'warning');
    await expect(ferry.statusBar).toContainText('Certificate trusted once, not verified');
    await expect(ferry.statusBar).toContainText(/Certificate expired 20\d\d/);
    await expect(ferry.statusBar).toContainText('Unknown issuer');
    await ferry.screenshot('27-status-trusted-once');
    await page.setViewportSize({ width: 1024, height: 640 });
    await ferry.screenshots('27-status-trusted-once-1024');
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.getByRole('button', { name: 'Show certificate' }).click();
    const dialog = page.getByTestId('certificate-dialog');
    const links = dialog
      .getByRole('navigation', { name: 'Certificate chain' })
      .locator('.chain-item');
    await expect(links.first()).toHaveAttribute('data-link-state', 'invalid');
    await expect(dialog.locator('[data-link-state=valid]')).toHaveCount(0);
    await expect(dialog.getByTestId('cert-link-problems')).toContainText(/expired 20\d\d/);
    await expect(dialog).toContainText('Trusted once by you (not verified)');
    await ferry.screenshots('28-chain-invalid-links');
  } finally {
    await expired.stop();
  }
});

test('the renderer runs under the CSP response header: no inline script, no network', async ({
  app,
}) => {
  const { page } = app;
  app.expectedErrors.push(/Content Security Policy|Fetch API cannot load/);
  const response = await page.reload();
  expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  await app.ferry.ready();
  const outcome = await page.evaluate(async () => {
    // Runs in the page; the e2e tsconfig has no DOM types.
    interface PageGlobals {
      document: {
        createElement(tag: string): { textContent: string };
        body: { append(node: unknown): void };
      };
      __inlineRan?: boolean;
      fetch(url: string): Promise<unknown>;
    }
    const page = globalThis as unknown as PageGlobals;
    const script = page.document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    page.document.body.append(script);
    const inline = String(page.__inlineRan ?? false);
    let network = 'allowed';
    try {
      await page.fetch('/index.html');
    } catch {
      network = 'blocked';
    }
    return { inline, network };
  });
  expect(outcome).toEqual({ inline: 'false', network: 'blocked' });
});

test('a certificate made for another host name says which names it was made for', async ({
  app,
}) => {
  const { ferry } = app;
  const wrongHost = await startServer({
    kind: 'vsftpd',
    mode: 'explicit',
    tlsMax: '1.3',
    cert: 'wrong-host',
  });
  try {
    await ferry.connectBar.fill({
      host: wrongHost.host,
      port: wrongHost.port,
      user: wrongHost.user,
      password: wrongHost.password,
      mode: 'explicit',
    });
    await ferry.connectBar.connect();
    const prompt = ferry.trust.untrusted();
    await expect(prompt.locator('[data-reason=hostname-mismatch]')).toHaveText(
      `It was made for wrong-host.invalid, not for ${wrongHost.host}.`,
    );
    await expect(prompt.locator('[data-reason=unknown-issuer]')).toBeVisible();
    await ferry.trust.answer('Cancel');
    await expect(prompt).toBeHidden();
  } finally {
    await wrongHost.stop();
  }
});
