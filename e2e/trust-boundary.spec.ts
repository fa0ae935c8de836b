/**
 * The trust boundary as the user sees it: an export with passwords goes only where main's save
 * dialog says; moving a site warns that its saved password goes; a keychain that is not one
 * (Linux basic_text) is named as such in the site form and in settings.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultSiteInput } from '../shared/sites';
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
