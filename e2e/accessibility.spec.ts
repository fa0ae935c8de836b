/**
 * Keyboard and accessibility: dialogs trap focus and give it back, Escape closes the top dialog
 * wherever focus is, the shortcuts work in the renderer, and axe finds no serious or critical
 * violation on any screen, in both themes.
 */
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { startServer, type RunningServer } from '../test/servers/servers';
import { SettingsPage, SiteManagerPage } from './pages/site-manager';
import { expect, test } from './support/fixtures';
import { startForwarder } from './support/tcp-forward';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  await server.writeFile('docs/readme.txt', 'Read me\n');
  await chmod(await server.mkdir('locked'), 0o555);
});

test.afterAll(async () => {
  await server?.stop();
});

/** Serious and critical axe violations of the page as it is now, in light and dark. */
async function axeProblems(page: Page, screen: string): Promise<string[]> {
  const problems: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(100);
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    for (const v of results.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      const where = v.nodes
        .slice(0, 3)
        .map(
          (n) =>
            `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.split('\n')[1]?.trim() ?? ''})` : ''}`,
        )
        .join('; ');
      problems.push(`${screen} [${scheme}] ${v.id}: ${where}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return problems;
}

/** Runs in the page: where focus is. */
const focusIn = (page: Page, testId: string) =>
  page.evaluate((id) => {
    const doc = (
      globalThis as unknown as {
        document: { activeElement: { closest(s: string): unknown } | null };
      }
    ).document;
    return Boolean(doc.activeElement?.closest(`[data-testid="${id}"]`));
  }, testId);

test('no serious or critical accessibility violations on any screen', async ({ app }) => {
  test.setTimeout(150_000);
  const { ferry, page } = app;
  const problems: string[] = [];
  problems.push(...(await axeProblems(page, 'start')));

  await ferry.connectBar.fill(server);
  await ferry.connectBar.connect();
  await expect(page.getByTestId('trust-dialog')).toBeVisible();
  problems.push(...(await axeProblems(page, 'trust prompt')));
  await ferry.trust.answer('Trust once');
  await ferry.remote.row('docs').dblclick();
  await expect(ferry.remote.row('readme.txt')).toBeVisible();
  await ferry.remote.row('readme.txt').click();
  problems.push(...(await axeProblems(page, 'connected')));

  await page.keyboard.press('Control+i');
  await expect(page.getByRole('dialog')).toBeVisible();
  problems.push(...(await axeProblems(page, 'certificate')));
  await page.keyboard.press('Escape');

  const sites = new SiteManagerPage(page);
  await sites.open();
  await sites.newSite();
  problems.push(...(await axeProblems(page, 'site manager')));
  await sites.close();

  const settings = new SettingsPage(page);
  await settings.open();
  problems.push(...(await axeProblems(page, 'settings')));
  await settings.close();

  await ferry.remote.list.press('Delete');
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  problems.push(...(await axeProblems(page, 'confirm')));
  await page.keyboard.press('Escape');

  expect(problems).toEqual([]);
});

test('no serious or critical violations on the file-exists dialog, failed rows, toasts and import', async ({
  app,
}) => {
  test.setTimeout(300_000);
  const { ferry, page, workDir } = app;
  const problems: string[] = [];

  // An error toast with its next step and the raw detail opened.
  await ferry.connectBar.fill({ ...server, port: 1 });
  await ferry.connectBar.connect();
  const toast = page.getByRole('alert').filter({ hasText: 'Nothing accepts connections' });
  await expect(toast).toBeVisible();
  await toast.getByText('Details').click();
  problems.push(...(await axeProblems(page, 'error toast')));
  await toast.getByRole('button', { name: 'Dismiss' }).click();

  await writeFile(join(workDir, 'readme.txt'), 'a local copy\n');
  await writeFile(join(workDir, 'denied.txt'), 'x\n');
  await ferry.connectTrustingOnce(server);
  await ferry.local.goTo(workDir);

  // The file-exists dialog.
  await ferry.remote.row('docs').dblclick();
  await ferry.remote.row('readme.txt').dblclick();
  const exists = page.getByTestId('file-exists-dialog');
  await expect(exists).toBeVisible();
  problems.push(...(await axeProblems(page, 'file-exists dialog')));
  await exists.getByRole('button', { name: 'Skip', exact: true }).click();

  // A failed queue row and its error details.
  await ferry.remote.goTo('/locked');
  await ferry.local.row('denied.txt').dragTo(ferry.remote.list);
  await ferry.queue.tab('Failed').click();
  await expect(ferry.queue.item('denied.txt')).toHaveAttribute('data-state', 'failed');
  problems.push(...(await axeProblems(page, 'failed queue row')));
  await ferry.queue
    .item('denied.txt')
    .getByRole('button', { name: 'Details of the error for denied.txt' })
    .click();
  await expect(page.getByTestId('queue-error-details')).toBeVisible();
  problems.push(...(await axeProblems(page, 'queue error details')));
  await page.keyboard.press('Escape');

  // The import preview (then with duplicates), and the summary after each import.
  const file = join(workDir, 'sitemanager.xml');
  await writeFile(
    file,
    `<?xml version="1.0" encoding="UTF-8"?><FileZilla3><Servers><Folder>Imported
      <Server><Host>files.example.net</Host><Port>21</Port><Protocol>4</Protocol><User>alice</User>
        <Pass encoding="base64">${Buffer.from('pw').toString('base64')}</Pass><Logontype>1</Logontype>
        <Name>Harbour</Name></Server>
      <Server><Host>sftp.example.net</Host><Port>22</Port><Protocol>1</Protocol><Name>SSH</Name></Server>
    </Folder></Servers></FileZilla3>`,
  );
  const sites = new SiteManagerPage(page);
  await sites.open();
  for (const round of ['first', 'again'] as const) {
    await sites.root.getByRole('button', { name: 'Import…' }).click();
    const panel = page.getByTestId('import-panel');
    await panel.locator('input[name=importPath]').fill(file);
    await panel.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByTestId('import-preview');
    await expect(preview).toBeVisible();
    if (round === 'again') {
      const choices = page.getByTestId('import-duplicates');
      await expect(choices).toBeVisible();
      await choices.getByRole('radio', { name: /^Keep both/ }).check();
    }
    problems.push(...(await axeProblems(page, `import preview (${round})`)));
    await preview.getByRole('button', { name: 'Import 1 site' }).click();
    await expect(page.getByTestId('import-summary')).toBeVisible();
    problems.push(...(await axeProblems(page, `import summary (${round})`)));
    await page.getByTestId('import-summary').getByRole('button', { name: 'Done' }).click();
  }
  await sites.close();

  expect(problems).toEqual([]);
});

test.describe('while reconnecting', () => {
  test.use({ reconnectDelaysMs: [60_000, 60_000] });

  test('no serious or critical violations on the reconnect banner and countdown', async ({
    app,
  }) => {
    const { ferry, page } = app;
    const forward = await startForwarder({ host: server.host, port: server.port });
    try {
      await ferry.connectTrustingOnce({ ...server, host: forward.host, port: forward.port });
      await expect(ferry.remote.row('docs')).toBeVisible();
      forward.retarget({ host: server.host, port: server.port });
      const banner = page.getByTestId('reconnect-banner');
      await expect(banner.getByTestId('reconnect-countdown')).toBeVisible();
      expect(await axeProblems(page, 'reconnect countdown')).toEqual([]);
      await banner.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      await forward.stop();
    }
  });
});

test('dialogs trap focus, Escape closes the top one from anywhere, focus comes back', async ({
  app,
}) => {
  const { ferry, page } = app;
  const opener = ferry.connectBar.root.getByRole('button', { name: 'Site Manager' });
  await opener.click();
  const manager = page.getByTestId('site-manager');
  await expect(manager).toBeVisible();
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    expect(await focusIn(page, 'site-manager')).toBe(true);
  }
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await focusIn(page, 'site-manager')).toBe(true);
  }
  // Focus falls to the page body (a click on the backdrop): Escape still closes the dialog.
  await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { activeElement: { blur(): void } | null } })
      .document;
    doc.activeElement?.blur();
  });
  await page.keyboard.press('Escape');
  await expect(manager).toBeHidden();
  await expect(opener).toBeFocused();
});

test('Ctrl+I, Ctrl+D and a recent connection work from the keyboard', async ({ app }) => {
  const { ferry, page } = app;
  await ferry.connectTrustingOnce(server);
  await expect(ferry.remote.row('docs')).toBeVisible();
  await ferry.remote.list.focus();
  await page.keyboard.press('Control+i');
  await expect(page.getByRole('dialog')).toContainText('Certificate');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.keyboard.press('Control+d');
  await expect(ferry.statusBar).toContainText('Not connected');

  // Picking a recent connection fills the bar and moves focus to Password.
  await ferry.connectBar.host().fill('');
  await ferry.connectBar.root.getByRole('button', { name: 'Recent connections' }).click();
  await page.getByRole('menuitem', { name: new RegExp(`${server.host}:${server.port}`) }).click();
  await expect(ferry.connectBar.host()).toHaveValue(server.host);
  await expect(ferry.connectBar.password()).toBeFocused();
});
