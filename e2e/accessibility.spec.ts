/**
 * Keyboard and accessibility: dialogs trap focus and give it back, Escape closes the top dialog
 * wherever focus is, the shortcuts work in the renderer, and axe finds no serious or critical
 * violation on any screen, in both themes.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { startServer, type RunningServer } from '../test/servers/servers';
import { SettingsPage, SiteManagerPage } from './pages/site-manager';
import { expect, test } from './support/fixtures';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  await server.writeFile('docs/readme.txt', 'Read me\n');
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
