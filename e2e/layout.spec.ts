/**
 * The layout people shape: splitters and columns that move and come back after a restart, a
 * usable window at 1024x640, the `..` row, type-to-select and the sort remembered per pane.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../test/servers/servers';
import type { Locator } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { dragBy } from './support/drag';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  await server.writeFile('docs/readme.txt', 'Read me\n');
  await server.writeFile('docs/report.csv', 'a,b\n');
  await server.writeFile('docs/zebra.txt', 'z\n');
  await server.writeFile('big.bin', Buffer.alloc(50_000));
  await server.writeFile('small.txt', 'x');
});

test.afterAll(async () => {
  await server?.stop();
});

async function width(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not visible');
  return box.width;
}

test('splitters and columns move, and come back after a restart', async ({ app }) => {
  const { ferry, page, dataDir } = app;
  await page.setViewportSize({ width: 1440, height: 900 });
  await ferry.connectTrustingOnce(server);
  await expect(ferry.remote.row('docs')).toBeVisible();

  const localBefore = await width(ferry.local.root);
  const queue = page.getByTestId('queue');
  const queueBefore = (await queue.boundingBox())?.height ?? 0;
  const sizeHead = ferry.remote.root.getByRole('columnheader', { name: 'Size' });
  const sizeBefore = await width(sizeHead);

  await dragBy(page, page.getByTestId('splitter-panes'), -240, 0);
  await dragBy(page, page.getByTestId('splitter-queue'), 0, -90);
  await dragBy(page, page.getByTestId('remote-resize-size'), -60, 0);

  expect(await width(ferry.local.root)).toBeLessThan(localBefore - 200);
  expect((await queue.boundingBox())?.height ?? 0).toBeGreaterThan(queueBefore + 80);
  expect(await width(sizeHead)).toBeGreaterThan(sizeBefore + 50);

  // Sort the remote pane by size; the local pane keeps its own order.
  await sizeHead.getByRole('button').click();
  await expect(sizeHead).toHaveAttribute('aria-sort', 'descending');
  await expect(ferry.remote.list.getByRole('row').nth(1)).toHaveAttribute('data-name', 'big.bin');

  // Keyboard: a focused splitter moves with the arrow keys.
  const logSplitter = page.getByTestId('splitter-log');
  const logBefore = Number(await logSplitter.getAttribute('aria-valuenow'));
  await logSplitter.focus();
  await page.keyboard.press('ArrowUp');
  await expect(logSplitter).toHaveAttribute('aria-valuenow', String(logBefore + 16));
  await ferry.screenshots('layout-splitters-moved-1440');

  // Saved with the settings on disk...
  await expect
    .poll(async () => {
      const saved = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')) as {
        data?: { layout?: { sort?: { remote?: { key: string } } } };
      };
      return saved.data?.layout?.sort?.remote?.key;
    })
    .toBe('size');
  const localMoved = await width(ferry.local.root);
  const queueMoved = (await queue.boundingBox())?.height ?? 0;
  const sizeMoved = await width(sizeHead);

  // ...and back after a restart of the window (the services keep the session across a reload).
  await page.reload();
  await ferry.ready();
  await expect(ferry.remote.row('docs')).toBeVisible();
  expect(Math.abs((await width(ferry.local.root)) - localMoved)).toBeLessThan(3);
  expect(Math.abs(((await queue.boundingBox())?.height ?? 0) - queueMoved)).toBeLessThan(3);
  expect(Math.abs((await width(sizeHead)) - sizeMoved)).toBeLessThan(3);
  await expect(sizeHead).toHaveAttribute('aria-sort', 'descending');
  await expect(ferry.local.root.getByRole('columnheader', { name: 'Name' })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await expect(logSplitter).toHaveAttribute('aria-valuenow', String(logBefore + 16));
});

test('the `..` row opens the parent folder; typing selects by name', async ({ app }) => {
  const { ferry, page, workDir } = app;
  await ferry.connectTrustingOnce(server);
  await ferry.remote.row('docs').dblclick();
  await expect(ferry.remote.path()).toHaveAttribute('data-path', '/docs');
  await expect(ferry.remote.list.getByRole('row').first()).toHaveAttribute('data-name', '..');
  await expect(ferry.remote.footer()).toContainText('3 items');

  // Type-to-select: "z" jumps to zebra.txt, "re" + "p" to report.csv.
  await ferry.remote.row('readme.txt').click();
  await page.keyboard.type('z');
  await expect(ferry.remote.row('zebra.txt')).toHaveAttribute('aria-selected', 'true');
  await page.waitForTimeout(1000);
  await page.keyboard.type('rep');
  await expect(ferry.remote.row('report.csv')).toHaveAttribute('aria-selected', 'true');
  await expect(ferry.remote.row('zebra.txt')).toHaveAttribute('aria-selected', 'false');

  // Ctrl+A selects the entries, never the `..` row.
  await page.keyboard.press('Control+a');
  await expect(ferry.remote.footer()).toContainText('3 selected');
  await expect(ferry.remote.row('..')).toHaveAttribute('aria-selected', 'false');

  await ferry.remote.row('..').dblclick();
  await expect(ferry.remote.path()).toHaveAttribute('data-path', '/');
  await expect(ferry.remote.row('..')).toHaveCount(0);

  // The local pane has one too (the work folder is not the root).
  await writeFile(join(workDir, 'a.txt'), 'a');
  await ferry.local.goTo(workDir);
  await expect(ferry.local.list.getByRole('row').first()).toHaveAttribute('data-name', '..');
});

test('at 1024x640 the connect bar and the panes stay usable', async ({ app }) => {
  const { ferry, page } = app;
  await page.setViewportSize({ width: 1024, height: 640 });
  // The host field keeps room to type a name.
  expect(await width(ferry.connectBar.host())).toBeGreaterThanOrEqual(140);
  await ferry.connectTrustingOnce(server);
  await ferry.remote.row('docs').dblclick();
  await expect(ferry.remote.row('zebra.txt')).toBeVisible();
  // Nothing spills out of the window, and each pane shows at least five rows.
  const doc = await page.evaluate(() => {
    // Runs in the page; the Node-side tsconfig has no DOM types.
    const root = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; scrollHeight: number } };
      }
    ).document.documentElement;
    return { scrollWidth: root.scrollWidth, scrollHeight: root.scrollHeight };
  });
  expect(doc.scrollWidth).toBeLessThanOrEqual(1024);
  expect(doc.scrollHeight).toBeLessThanOrEqual(640);
  const body = await ferry.remote.list.boundingBox();
  expect(body?.height ?? 0).toBeGreaterThanOrEqual(5 * 28);
  const status = await ferry.statusBar.boundingBox();
  expect((status?.y ?? 0) + (status?.height ?? 0)).toBeLessThanOrEqual(640);
  await ferry.screenshots('layout-1024x640');
});
