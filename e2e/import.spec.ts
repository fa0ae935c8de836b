/**
 * FileZilla import (issue 14): a re-import does not silently double the sites (skip, replace or
 * keep both), and the summary says what the keychain holds, not what the file had.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { SiteManagerPage } from './pages/site-manager';

const XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<FileZilla3 version="3.66.4" platform="*nix">
  <Servers>
    <Folder expanded="1">From FileZilla
      <Server>
        <Host>files.example.net</Host>
        <Port>21</Port>
        <Protocol>4</Protocol>
        <Type>0</Type>
        <User>alice</User>
        <Pass encoding="base64">${Buffer.from('s3cret wörd', 'utf8').toString('base64')}</Pass>
        <Logontype>1</Logontype>
        <Name>Harbour files</Name>
      </Server>
      <Server>
        <Host>mirror.example.org</Host>
        <Port>21</Port>
        <Protocol>4</Protocol>
        <User>bob</User>
        <Logontype>2</Logontype>
        <Name>Ask each time</Name>
      </Server>
    </Folder>
  </Servers>
</FileZilla3>
`;

async function previewImport(page: Page, file: string) {
  const sites = new SiteManagerPage(page);
  if (!(await sites.root.isVisible())) await sites.open();
  await sites.root.getByRole('button', { name: 'Import…' }).click();
  const panel = page.getByTestId('import-panel');
  await panel.locator('input[name=importPath]').fill(file);
  await panel.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByTestId('import-preview');
  await expect(preview).toBeVisible();
  return { sites, panel, preview };
}

test('a re-import offers skip / replace / keep both, and the summary says what happened', async ({
  app,
}) => {
  const { page, ferry, workDir } = app;
  const file = join(workDir, 'sitemanager.xml');
  await writeFile(file, XML);

  // First import: both added; the password that came along is in the keychain.
  const first = await previewImport(page, file);
  const sites = first.sites;
  let preview = first.preview;
  await expect(preview.locator('li[data-name="Harbour files"]')).toContainText(
    'password in the file',
  );
  await expect(page.getByTestId('import-duplicates')).toHaveCount(0);
  await preview.getByRole('button', { name: 'Import 2 sites' }).click();
  let summary = page.getByTestId('import-summary');
  await expect(summary).toContainText('2 sites added.');
  await expect(summary.locator('li[data-name="Harbour files"]')).toContainText(
    'Added · password saved',
  );
  await expect(summary.locator('li[data-name="Ask each time"]')).toContainText(
    'password asked at connect',
  );
  await expect(summary).toContainText('1 password saved in the keychain.');
  await ferry.screenshots('import-summary');
  await summary.getByRole('button', { name: 'Done' }).click();
  await expect(sites.siteInFolder('From FileZilla', 'Harbour files')).toBeVisible();

  // The same file again: both are marked, and nothing is imported by default.
  ({ preview } = await previewImport(page, file));
  await expect(preview.getByTestId('import-duplicate')).toHaveCount(2);
  await expect(preview.locator('li[data-name="Harbour files"]')).toContainText(
    'Already in Ferry as “From FileZilla / Harbour files” (same server and user).',
  );
  const choices = page.getByTestId('import-duplicates');
  await expect(choices).toContainText('2 sites are already in Ferry');
  await expect(choices.getByRole('radio', { name: /^Skip them/ })).toBeChecked();
  await expect(preview.getByRole('button', { name: 'Import 0 sites' })).toBeDisabled();
  await ferry.screenshots('import-duplicates');

  // Keep both: second copies under new names, and the summary says so.
  await choices.getByRole('radio', { name: /^Keep both/ }).check();
  await preview.getByRole('button', { name: 'Import 2 sites' }).click();
  summary = page.getByTestId('import-summary');
  await expect(summary).toContainText('2 sites added as a second copy.');
  await expect(summary).toContainText('Saved as "Harbour files (2)".');
  await summary.getByRole('button', { name: 'Done' }).click();
  await expect(sites.siteInFolder('From FileZilla', 'Harbour files (2)')).toBeVisible();

  // Replace: no new sites.
  ({ preview } = await previewImport(page, file));
  await page
    .getByTestId('import-duplicates')
    .getByRole('radio', { name: /^Replace/ })
    .check();
  await preview.getByRole('button', { name: 'Import 2 sites' }).click();
  summary = page.getByTestId('import-summary');
  await expect(summary).toContainText('2 sites replaced.');
  await summary.getByRole('button', { name: 'Done' }).click();
  await expect(sites.tree.locator('[role=treeitem][data-kind=site]')).toHaveCount(4);
});

test.describe('without a real keychain', () => {
  test.use({ keychainBackend: 'basic_text' });

  test('the summary does not claim a password it could not save', async ({ app }) => {
    const { page, ferry, workDir } = app;
    const file = join(workDir, 'sitemanager.xml');
    await writeFile(file, XML);
    const { preview } = await previewImport(page, file);
    await preview.getByRole('button', { name: 'Import 2 sites' }).click();
    const summary = page.getByTestId('import-summary');
    const harbour = summary.locator('li[data-name="Harbour files"]');
    await expect(harbour).toContainText('Added · password not saved');
    await expect(harbour).toContainText('Password not stored');
    await expect(summary).toContainText(
      '0 passwords saved in the keychain; 1 password from the file not saved.',
    );
    await expect(summary).not.toContainText('password saved');
    await ferry.screenshots('import-summary-no-keychain');
  });
});
