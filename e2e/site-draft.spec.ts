/**
 * "New site" is a draft: an empty form whose host and user show examples as placeholders, and
 * nothing reaches the site store until the user saves (issue #14).
 */
import { SiteManagerPage } from './pages/site-manager';
import { expect, test } from './support/fixtures';

test('new site: an empty draft with placeholders, saved only on Save', async ({ app }) => {
  const { page, bridge } = app;
  const sites = new SiteManagerPage(page);
  const stored = async () => {
    const snapshot = (await bridge?.backend.dispatch('getSites', [])) as
      { ok: true; value: { tree: { sites: Array<{ name: string; host: string }> } } } | undefined;
    return snapshot?.ok ? snapshot.value.tree.sites : [];
  };

  await sites.open();
  await sites.newSite();
  // Examples are placeholders, never values the user has to delete.
  await expect(sites.field('host')).toHaveValue('');
  await expect(sites.field('host')).toHaveAttribute('placeholder', 'ftp.example.com');
  await expect(sites.field('user')).toHaveValue('');
  await expect(sites.field('user')).toHaveAttribute('placeholder', 'user');
  await expect(sites.form.getByRole('status')).toHaveText('Not saved yet');
  expect(await stored()).toEqual([]);

  // Closing the draft leaves nothing behind.
  await sites.close();
  await sites.open();
  await expect(sites.root).toContainText('No saved sites yet');
  expect(await stored()).toEqual([]);

  // Save creates the site, once.
  await sites.newSite();
  await sites.field('host').fill('files.harbour.test');
  await sites.field('user').fill('alice');
  await sites.save();
  await expect(sites.site('New site')).toBeVisible();
  await expect(sites.site('New site')).toHaveAttribute('aria-selected', 'true');
  expect((await stored()).map((s) => [s.name, s.host])).toEqual([
    ['New site', 'files.harbour.test'],
  ]);
});
