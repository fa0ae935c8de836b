import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../test/servers/servers';
import { CredentialPrompt, SettingsPage, SiteManagerPage } from './pages/site-manager';
import { expect, test } from './support/fixtures';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  await server.writeFile('welcome.txt', 'Hello from vsftpd\n');
  await server.mkdir('photos');
  await server.writeFile('photos/harbour.jpg', new Uint8Array(1024));
});

test.afterAll(async () => {
  await server?.stop();
});

test('sites: create, connect, ask for the password, edit, move into a folder, still there after a reload', async ({
  app,
}) => {
  const { ferry, page } = app;
  const sites = new SiteManagerPage(page);
  const credentials = new CredentialPrompt(page);

  // Create a site with a saved password and connect from the form.
  await sites.open();
  await sites.newSite();
  await sites.fillGeneral({
    name: 'Harbour',
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
  });
  await sites.save();
  await expect(sites.site('Harbour')).toBeVisible();
  await sites.connect();
  await expect(sites.root).toBeHidden();
  await ferry.trust.answer('Trust once');
  await expect(ferry.remote.row('welcome.txt')).toBeVisible();
  // Trusted once is not verified: amber, not green.
  await expect(ferry.statusBar).toHaveAttribute('data-tone', 'warning');
  await ferry.connectBar.disconnect();

  // Field validation comes from the shared rules.
  await sites.open();
  await sites.newSite();
  await sites.field('host').fill('ftps://bad host');
  await sites.field('user').fill('');
  await sites.form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(sites.form).toContainText('Enter only the host name');
  await expect(sites.form).toContainText('Enter a user name');

  // An ask-for-password site prompts, says why, and connects with what was typed.
  await sites.fillGeneral({
    name: 'Ask me',
    host: server.host,
    port: server.port,
    user: server.user,
    logonType: 'ask',
  });
  await sites.save();
  await sites.site('Ask me').dblclick();
  await expect(credentials.root).toBeVisible();
  await expect(credentials.root).toContainText('asks for the password each time');
  await credentials.answer(server.password);
  await ferry.trust.answer('Trust once');
  await expect(ferry.remote.row('welcome.txt')).toBeVisible();
  await ferry.connectBar.disconnect();

  // Edit: an initial remote folder; connect with Enter from the tree.
  await sites.open();
  await sites.site('Ask me').click();
  await sites.tab('Transfer').click();
  await sites.field('remoteDir').fill('/photos');
  await sites.field('listCommand').selectOption('list');
  await ferry.screenshots('09-site-transfer-tab');
  await sites.save();
  await sites.site('Ask me').click();
  await sites.tree.press('Enter');
  await credentials.answer(server.password);
  await ferry.trust.answer('Trust once');
  await expect(ferry.remote.row('harbour.jpg')).toBeVisible();
  await expect(ferry.remote.path()).toHaveAttribute('data-path', '/photos');
  await ferry.connectBar.disconnect();

  // A folder, and a site dragged into it.
  await sites.open();
  await sites.root.getByRole('button', { name: 'New folder' }).click();
  const input = page.getByTestId('input-dialog');
  await input.locator('input').fill('Clients');
  await input.getByRole('button', { name: 'Create' }).click();
  await expect(sites.folder('Clients')).toBeVisible();
  await sites.site('Harbour').dragTo(sites.folder('Clients'));
  await expect(sites.siteInFolder('Clients', 'Harbour')).toBeVisible();
  await sites.site('Harbour').click();
  await expect(sites.field('parentId').locator('option:checked')).toHaveText('Clients');
  await ferry.screenshots('09-site-manager');

  // Search narrows the tree and keeps the folders of what matches.
  await sites.root.getByRole('searchbox', { name: 'Search sites' }).fill('harb');
  await expect(sites.siteInFolder('Clients', 'Harbour')).toBeVisible();
  await expect(sites.site('Ask me')).toBeHidden();
  await sites.close();

  // Reload: the same user-data folder, the same sites; the saved password still works.
  await page.reload();
  await ferry.ready();
  await sites.open();
  await expect(sites.siteInFolder('Clients', 'Harbour')).toBeVisible();
  await expect(sites.site('Ask me')).toBeVisible();
  await sites.site('Ask me').click();
  await sites.tab('Transfer').click();
  await expect(sites.field('remoteDir')).toHaveValue('/photos');
  await expect(sites.field('listCommand')).toHaveValue('list');
  await sites.site('Harbour').dblclick();
  await ferry.trust.answer('Trust once');
  await expect(ferry.remote.row('welcome.txt')).toBeVisible();
  await expect(credentials.root).toBeHidden();
});

test('quick connect offers to save the site', async ({ app }) => {
  const { ferry, page } = app;
  const sites = new SiteManagerPage(page);
  await ferry.connectBar.fill({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
  });
  await ferry.connectBar.connect();
  await ferry.trust.answer('Trust once');
  await expect(ferry.remote.row('welcome.txt')).toBeVisible();
  const offer = page.getByTestId('save-offer');
  await expect(offer).toBeVisible();
  await ferry.screenshot('13-save-offer');
  await offer.getByRole('button', { name: 'Save site' }).click();
  await expect(sites.root).toBeVisible();
  await expect(sites.site(server.host)).toHaveAttribute('aria-selected', 'true');
  await expect(sites.field('user')).toHaveValue(server.user);
  await expect(sites.form).toContainText('Saved in the system keychain');
});

test('FileZilla import, connect, pin with "Always trust", see and remove the pin in Settings', async ({
  app,
}) => {
  const { ferry, page, workDir } = app;
  const sites = new SiteManagerPage(page);
  const settings = new SettingsPage(page);
  const password = Buffer.from(server.password, 'utf8').toString('base64');
  const file = join(workDir, 'sitemanager.xml');
  await writeFile(
    file,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<FileZilla3 version="3.66.4" platform="*nix">
  <Servers>
    <Folder expanded="1">From FileZilla
      <Server>
        <Host>${server.host}</Host>
        <Port>${server.port}</Port>
        <Protocol>4</Protocol>
        <Type>0</Type>
        <User>${server.user}</User>
        <Pass encoding="base64">${password}</Pass>
        <Logontype>1</Logontype>
        <PasvMode>MODE_DEFAULT</PasvMode>
        <Name>Fixture server</Name>
        <Comments>Imported in the e2e test</Comments>
        <Colour>2</Colour>
        <RemoteDir>1 0 6 photos</RemoteDir>
      </Server>
      <Server>
        <Host>sftp.example.com</Host>
        <Port>22</Port>
        <Protocol>1</Protocol>
        <User>someone</User>
        <Logontype>1</Logontype>
        <Name>An SFTP server</Name>
      </Server>
    </Folder>
  </Servers>
</FileZilla3>
`,
  );

  await sites.open();
  await sites.root.getByRole('button', { name: 'Import…' }).click();
  const panel = page.getByTestId('import-panel');
  await panel.locator('input[name=importPath]').fill(file);
  await panel.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText('1 site to import');
  await expect(preview).toContainText('Fixture server');
  await expect(page.getByTestId('import-skipped')).toContainText('An SFTP server');
  await expect(page.getByTestId('import-skipped')).toContainText('SFTP');
  await ferry.screenshots('10-site-import');
  await preview.getByRole('button', { name: /^Import 1 site/ }).click();
  await page.getByTestId('import-summary').getByRole('button', { name: 'Done' }).click();
  await expect(sites.siteInFolder('From FileZilla', 'Fixture server')).toBeVisible();

  // Connect to the imported site and pin its certificate.
  await sites.site('Fixture server').dblclick();
  await expect(ferry.trust.untrusted()).toBeVisible();
  await ferry.trust.answer('Always trust');
  await expect(ferry.remote.row('harbour.jpg')).toBeVisible();
  await expect(ferry.remote.path()).toHaveAttribute('data-path', '/photos');

  // The pin is listed in Settings; Inspect shows it in the certificate dialog.
  await settings.open();
  await settings.section('Pinned certificates').click();
  const row = settings.pin(server.host, server.port);
  await expect(row).toBeVisible();
  await expect(row).toContainText(server.fingerprint256.slice(0, 17));
  await ferry.screenshots('11-settings-pins');
  await row.getByRole('button', { name: 'Inspect' }).click();
  const certificate = page.getByTestId('certificate-dialog');
  await expect(certificate).toBeVisible();
  expect(await page.getByTestId('cert-sha256').getAttribute('data-value')).toBe(
    server.fingerprint256,
  );
  await certificate.getByRole('button', { name: 'Close', exact: true }).first().click();
  await expect(certificate).toBeHidden();

  // Theme override: dark regardless of the OS, then back to following it.
  await settings.section('General').click();
  await settings.root.getByRole('radio', { name: 'Dark' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await ferry.screenshot('12-settings-dark-override');
  await settings.root.getByRole('radio', { name: 'System' }).click();
  // "System" follows the OS again, live.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await ferry.screenshots('12-settings');

  // Remove the pin: the next connection asks again.
  await settings.section('Pinned certificates').click();
  await row.getByRole('button', { name: `Remove ${server.host}:${server.port}` }).click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Remove' }).click();
  await expect(row).toBeHidden();
  await expect(settings.root).toContainText('No pinned certificates');
  await settings.close();

  await ferry.connectBar.disconnect();
  await sites.open();
  await sites.site('Fixture server').dblclick();
  await expect(ferry.trust.untrusted()).toBeVisible();
  await ferry.trust.answer('Cancel');
});
