import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../test/servers/servers';
import type { Locator } from '@playwright/test';
import { expect, test, type AppFixture } from './support/fixtures';
import { sha256File } from './support/server';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  await server.writeFile('docs/readme.txt', 'Read me\n');
  await server.writeFile('docs/report.csv', 'a,b\n1,2\n');
  await server.writeFile('docs/archive/old.bin', randomBytes(300_000));
});

test.afterAll(async () => {
  await server?.stop();
});

/** Puts `name` on the server and another version of it locally, then downloads it onto that. */
async function downloadOntoLocalCopy(app: AppFixture, name: string): Promise<Locator> {
  const { ferry, page, workDir } = app;
  await server.writeFile(name, 'server version\n');
  await writeFile(join(workDir, name), 'local version\n');
  await ferry.connectTrustingOnce(server);
  await ferry.local.goTo(workDir);
  await ferry.remote.row(name).dblclick();
  return page.getByTestId('file-exists-dialog');
}

test('upload by dropping an OS file, download a folder, queue shows done', async ({ app }) => {
  const { ferry, page, workDir } = app;
  await ferry.connectTrustingOnce(server);
  await expect(ferry.remote.row('docs')).toBeVisible();
  await ferry.local.goTo(workDir);

  // Drop a file from "the OS" onto the remote pane.
  const payload = randomBytes(2 * 1024 * 1024);
  const dataTransfer = await page.evaluateHandle((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    // Runs in the page; the Node-side tsconfig has no DOM types.
    const dom = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
    };
    const transfer = new dom.DataTransfer();
    transfer.items.add(new dom.File([bytes], 'dropped.bin', { type: 'application/octet-stream' }));
    return transfer;
  }, payload.toString('base64'));
  await ferry.remote.root.dispatchEvent('dragover', { dataTransfer });
  await ferry.remote.root.dispatchEvent('drop', { dataTransfer });

  await ferry.queue.tab('Done').click();
  await expect(ferry.queue.item('dropped.bin')).toHaveAttribute('data-state', 'done');
  // vsftpd has no checksum command: the row says what was checked instead.
  await expect(ferry.queue.item('dropped.bin').getByTestId('queue-outcome')).toHaveText(
    'size checked',
  );
  await expect(ferry.queue.item('dropped.bin').getByRole('progressbar')).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  const { createHash } = await import('node:crypto');
  expect(await sha256File(server.path('dropped.bin'))).toBe(
    createHash('sha256').update(payload).digest('hex'),
  );
  // The remote pane refreshes when the queue drains.
  await expect(ferry.remote.row('dropped.bin')).toBeVisible();

  // Drag the remote folder onto the local pane to download it.
  await ferry.remote.row('docs').dragTo(ferry.local.list);
  await expect(ferry.queue.item('old.bin')).toHaveAttribute('data-state', 'done');
  await expect(ferry.queue.item('readme.txt')).toHaveAttribute('data-state', 'done');
  await expect(ferry.queue.item('report.csv')).toHaveAttribute('data-state', 'done');
  expect(await readFile(join(workDir, 'docs', 'readme.txt'), 'utf8')).toBe('Read me\n');
  expect(await readFile(join(workDir, 'docs', 'report.csv'), 'utf8')).toBe('a,b\n1,2\n');
  expect((await stat(join(workDir, 'docs', 'archive', 'old.bin'))).size).toBe(300_000);
  expect(await sha256File(join(workDir, 'docs', 'archive', 'old.bin'))).toBe(
    await sha256File(server.path('docs/archive/old.bin')),
  );
  await expect(ferry.local.row('docs')).toBeVisible();
  await expect(ferry.queue.tab('Done')).toContainText('4');
  await expect(page.getByTestId('queue-totals')).toContainText('4 done');
  await expect(ferry.statusBar).toContainText(/TLS resumed on \d+\/\d+ data connections/);
  await ferry.screenshots('05-transfers-done');
});

test('the file-exists question offers the policies and applies the answer', async ({ app }) => {
  const { ferry, workDir } = app;
  const dialog = await downloadOntoLocalCopy(app, 'clash.txt');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio')).toHaveCount(7);
  await ferry.screenshots('06-file-exists');
  await dialog.getByLabel('Keep both (rename the new file)').check();
  await dialog.getByTestId('file-exists-go').click();
  await ferry.queue.tab('Done').click();
  await expect(ferry.queue.item('clash.txt')).toHaveAttribute('data-state', 'done');
  expect(await readFile(join(workDir, 'clash.txt'), 'utf8')).toBe('local version\n');
  expect(await readFile(join(workDir, 'clash (1).txt'), 'utf8')).toBe('server version\n');
});

test('a file the user skips reads Skipped, and the local copy is untouched', async ({ app }) => {
  const { ferry, workDir } = app;
  const dialog = await downloadOntoLocalCopy(app, 'kept.txt');
  await dialog.getByLabel('Skip', { exact: true }).check();
  await dialog.getByTestId('file-exists-go').click();
  await ferry.queue.tab('Done').click();
  const row = ferry.queue.item('kept.txt');
  await expect(row).toHaveAttribute('data-state', 'done');
  await expect(row.getByTestId('queue-state')).toHaveText('Skipped');
  await expect(row.getByTestId('queue-outcome')).toHaveText('target exists');
  // A skip moves no bytes: the queue's totals still count it.
  await expect(app.page.getByTestId('queue-totals')).toContainText('1 done');
  await ferry.screenshots('10-queue-skipped');
  expect(await readFile(join(workDir, 'kept.txt'), 'utf8')).toBe('local version\n');
});

test('pause and resume a download: it finishes with the right SHA-256', async ({ app }) => {
  const { ferry, page, workDir } = app;
  const { FaultProxy } = await import('../test/support/fault-proxy');
  const { createHash } = await import('node:crypto');
  const payload = randomBytes(6 * 1024 * 1024);
  await server.writeFile('big/large.bin', payload);
  // Data through a proxy at ~1.5 MB/s, so there is time to pause in the middle.
  const proxy = await FaultProxy.start({
    controlPort: server.port,
    passivePorts: server.pasvPorts,
  });
  proxy.throttle(1_500_000);
  try {
    await ferry.connectTrustingOnce({ ...server, host: proxy.host });
    await ferry.local.goTo(workDir);
    await ferry.remote.row('big').dblclick();
    await ferry.remote.row('large.bin').dblclick();

    const row = ferry.queue.item('large.bin');
    await expect(row).toHaveAttribute('data-state', 'transferring');
    await expect
      .poll(async () => Number(await row.getByRole('progressbar').getAttribute('aria-valuenow')))
      .toBeGreaterThan(5);
    await row.getByRole('button', { name: 'Pause large.bin' }).click();
    await expect(row).toHaveAttribute('data-state', 'paused');
    const pausedAt = Number(await row.getByRole('progressbar').getAttribute('aria-valuenow'));
    expect(pausedAt).toBeLessThan(100);
    await ferry.screenshots('09-queue-paused');

    proxy.throttle(undefined);
    await row.getByRole('button', { name: 'Resume large.bin' }).click();
    await ferry.queue.tab('Done').click();
    await expect(row).toHaveAttribute('data-state', 'done');
    await expect(row.getByTestId('queue-outcome')).toHaveText(/^size checked · resumed at \d/);
    expect(await sha256File(join(workDir, 'large.bin'))).toBe(
      createHash('sha256').update(payload).digest('hex'),
    );
    await expect(page.getByTestId('queue-totals')).toContainText('done');
  } finally {
    await proxy.stop();
  }
});

test('the download file-exists default from Settings applies without asking', async ({ app }) => {
  const { ferry, page, workDir } = app;
  const { SettingsPage } = await import('./pages/site-manager');
  const settings = new SettingsPage(page);
  await settings.open();
  await settings.section('Transfers').click();
  await settings.root.locator('select[name="fileExists.download"]').selectOption('rename');
  await expect(settings.root.locator('select[name="fileExists.download"]')).toHaveValue('rename');
  await settings.close();
  const dialog = await downloadOntoLocalCopy(app, 'setting-clash.txt');
  await ferry.queue.tab('Done').click();
  await expect(ferry.queue.item('setting-clash.txt')).toHaveAttribute('data-state', 'done');
  await expect(dialog).toBeHidden();
  expect(await readFile(join(workDir, 'setting-clash.txt'), 'utf8')).toBe('local version\n');
  expect(await readFile(join(workDir, 'setting-clash (1).txt'), 'utf8')).toBe('server version\n');
});

test('connections per server and keeping times: defaults, changed, saved', async ({ app }) => {
  const { page, dataDir } = app;
  const { SettingsPage } = await import('./pages/site-manager');
  const settings = new SettingsPage(page);
  await settings.open();
  await settings.section('Transfers').click();
  const select = settings.root.locator('select[name="transferConcurrency"]');
  await expect(select.locator('option:checked')).toHaveText('Automatic (up to 8)');
  const savedData = async (): Promise<{ transferConcurrency: unknown; preserveTimes: unknown }> =>
    // Not written yet: nothing saved so far (expect.poll does not retry a thrown error).
    (
      JSON.parse(
        await readFile(join(dataDir, 'settings.json'), 'utf8').catch(() => '{"data":{}}'),
      ) as {
        data: { transferConcurrency: unknown; preserveTimes: unknown };
      }
    ).data;
  const saved = async (): Promise<unknown> => (await savedData()).transferConcurrency;
  await select.selectOption('3');
  await expect.poll(saved).toBe(3);
  await select.selectOption('auto');
  await expect.poll(saved).toBe('auto');
  const keepTimes = settings.root.getByRole('checkbox', { name: /Keep modification times/ });
  await expect(keepTimes).toBeChecked();
  // A controlled checkbox: it changes once the setting is saved, so click and wait for it.
  await keepTimes.click();
  await expect(keepTimes).not.toBeChecked();
  await expect.poll(async () => (await savedData()).preserveTimes).toBe(false);
  await keepTimes.click();
  await expect(keepTimes).toBeChecked();
  await expect.poll(async () => (await savedData()).preserveTimes).toBe(true);
  await app.ferry.screenshots('settings-transfers');
  await settings.close();
});
