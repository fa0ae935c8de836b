/**
 * Queue semantics users can predict (issue 14): Resume offered first for a partial target, header
 * totals of the current batch only, drops onto the queue as in FileZilla, and failed rows that
 * say what happened and what to do, with the raw error behind "Details".
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../test/servers/servers';
import { expect, test } from './support/fixtures';
import { dragOnto } from './support/drag';
import { sha256File } from './support/server';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  await server.writeFile('dropq/down.txt', 'from the server\n');
  await server.writeFile('dropq/clash.txt', 'server copy\n');
});

test.afterAll(async () => {
  await server?.stop();
});

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

test('a partial target offers Resume first, and resuming completes the file', async ({ app }) => {
  const { ferry, page, workDir } = app;
  const payload = randomBytes(400_000);
  await server.writeFile('partial/part.bin', payload);
  // What an interrupted download left behind: the first quarter.
  await writeFile(join(workDir, 'part.bin'), payload.subarray(0, 100_000));
  await ferry.connectTrustingOnce(server);
  await ferry.local.goTo(workDir);
  await ferry.remote.row('partial').dblclick();
  await ferry.remote.row('part.bin').dblclick();

  const dialog = page.getByTestId('file-exists-dialog');
  await expect(dialog).toBeVisible();
  const first = dialog.getByRole('radio').first();
  await expect(first).toHaveAttribute('value', 'resume');
  await expect(first).toBeChecked();
  const go = dialog.getByTestId('file-exists-go');
  await expect(go).toHaveText('Resume');
  await expect(go).toBeFocused();
  // The row waits on the answer: no spinner, speed or "Connecting".
  const row = ferry.queue.item('part.bin');
  await expect(row.getByTestId('queue-state')).toHaveText('Waiting for you');
  await ferry.screenshots('queue-resume-first');

  await page.keyboard.press('Enter');
  await ferry.queue.tab('Done').click();
  await expect(row).toHaveAttribute('data-state', 'done');
  await expect(row.getByTestId('queue-outcome')).toContainText('resumed at');
  expect(await sha256File(join(workDir, 'part.bin'))).toBe(sha256(payload));
});

test('a whole file on both sides still offers Overwrite first', async ({ app }) => {
  const { ferry, page, workDir } = app;
  await server.writeFile('same/same.txt', 'server version\n');
  await writeFile(join(workDir, 'same.txt'), 'local version!!\n');
  await ferry.connectTrustingOnce(server);
  await ferry.local.goTo(workDir);
  await ferry.remote.row('same').dblclick();
  await ferry.remote.row('same.txt').dblclick();
  const dialog = page.getByTestId('file-exists-dialog');
  await expect(dialog.getByRole('radio').first()).toHaveAttribute('value', 'overwrite');
  await expect(dialog.getByTestId('file-exists-go')).toHaveText('Overwrite');
  await dialog.getByRole('button', { name: 'Skip', exact: true }).click();
  await expect(dialog).toBeHidden();
});

test('the header counts the current batch, not finished history', async ({ app }) => {
  const { ferry, page, workDir } = app;
  const { FaultProxy } = await import('../test/support/fault-proxy');
  await server.writeFile('batch/history.bin', randomBytes(1024 * 1024));
  await server.writeFile('batch/current.bin', randomBytes(3 * 1024 * 1024));
  const proxy = await FaultProxy.start({
    controlPort: server.port,
    passivePorts: server.pasvPorts,
  });
  try {
    await ferry.connectTrustingOnce({ ...server, host: proxy.host });
    await ferry.local.goTo(workDir);
    await ferry.remote.row('batch').dblclick();
    await ferry.remote.row('history.bin').dblclick();
    const totals = page.getByTestId('queue-totals');
    await expect(totals).toContainText('1 done');

    // A new batch, slow enough to read its header.
    proxy.throttle(400_000);
    await ferry.remote.row('current.bin').dblclick();
    const row = ferry.queue.item('current.bin');
    await expect(row).toHaveAttribute('data-state', 'transferring');
    await expect(totals).toContainText('0 of 1 file');
    await expect(totals).toContainText(/ of 3\.0 MB/);
    // The finished 1 MB is history (under Done), not part of "x of y".
    await expect(totals).not.toContainText('4.0 MB');
    await ferry.screenshots('queue-batch-totals');
    await row.getByRole('button', { name: 'Cancel current.bin' }).click();
    await expect(totals).not.toContainText(' of 3.0 MB');
  } finally {
    await proxy.stop();
  }
});

test('drops onto the queue: local files upload, remote files download, clashes ask', async ({
  app,
}) => {
  const { ferry, page, workDir } = app;
  await writeFile(join(workDir, 'up.txt'), 'from this computer\n');
  await writeFile(join(workDir, 'clash.txt'), 'local copy\n');
  await ferry.connectTrustingOnce(server);
  await ferry.remote.row('dropq').dblclick();
  await expect(ferry.remote.path()).toHaveAttribute('data-path', '/dropq');
  await ferry.local.goTo(workDir);

  // A local file dropped on the queue uploads into the remote folder shown.
  await dragOnto(page, ferry.local.row('up.txt'), ferry.queue.root, {
    whileOver: async () => {
      await expect(ferry.queue.root).toHaveAttribute('data-drop-over', 'true');
      await ferry.screenshots('drag-onto-queue');
    },
  });
  await expect(ferry.queue.root).not.toHaveAttribute('data-drop-over', 'true');
  await ferry.queue.tab('Done').click();
  await expect(ferry.queue.item('up.txt')).toHaveAttribute('data-state', 'done');
  expect(await readFile(server.path('dropq/up.txt'), 'utf8')).toBe('from this computer\n');

  // A remote file dropped on the queue downloads into the local folder shown.
  await dragOnto(page, ferry.remote.row('down.txt'), ferry.queue.root);
  await expect(ferry.queue.item('down.txt')).toHaveAttribute('data-state', 'done');
  expect(await readFile(join(workDir, 'down.txt'), 'utf8')).toBe('from the server\n');

  // A drop that would overwrite goes through the file-exists decision.
  await dragOnto(page, ferry.local.row('clash.txt'), ferry.queue.root);
  const dialog = page.getByTestId('file-exists-dialog');
  await expect(dialog).toContainText('/dropq/clash.txt');
  await dialog.getByRole('button', { name: 'Skip', exact: true }).click();
  await expect(ferry.queue.item('clash.txt')).toHaveAttribute('data-state', 'done');
  expect(await readFile(server.path('dropq/clash.txt'), 'utf8')).toBe('server copy\n');

  // A file from the desktop dropped on the queue uploads too.
  const dataTransfer = await page.evaluateHandle(() => {
    // Runs in the page; the Node-side tsconfig has no DOM types.
    const dom = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
    };
    const transfer = new dom.DataTransfer();
    transfer.items.add(new dom.File(['desktop file\n'], 'desk.txt', { type: 'text/plain' }));
    return transfer;
  });
  await ferry.queue.root.dispatchEvent('dragover', { dataTransfer });
  await ferry.queue.root.dispatchEvent('drop', { dataTransfer });
  await expect(ferry.queue.item('desk.txt')).toHaveAttribute('data-state', 'done');
  expect(await readFile(server.path('dropq/desk.txt'), 'utf8')).toBe('desktop file\n');
});

test('a failed row says what happened and what to do; the raw error is under Details', async ({
  app,
}) => {
  const { ferry, page, workDir } = app;
  const locked = await server.mkdir('locked');
  await chmod(locked, 0o555);
  await writeFile(join(workDir, 'denied.txt'), 'no room for me\n');
  await ferry.connectTrustingOnce(server);
  await ferry.remote.row('locked').dblclick();
  await expect(ferry.remote.path()).toHaveAttribute('data-path', '/locked');
  await ferry.local.goTo(workDir);
  await dragOnto(page, ferry.local.row('denied.txt'), ferry.remote.list);

  await ferry.queue.tab('Failed').click();
  const row = ferry.queue.item('denied.txt');
  await expect(row).toHaveAttribute('data-state', 'failed');
  const error = row.getByTestId('queue-error');
  await expect(error).toContainText('The server would not create the file (STOR).');
  await expect(error).toContainText('Check that the folder exists and that you may write to it');
  // The raw reply is one click away, not in the sentence.
  await expect(error).not.toContainText('553');
  for (const size of [
    { width: 1440, height: 900 },
    { width: 1024, height: 640 },
  ]) {
    await page.setViewportSize(size);
    await ferry.screenshots(`queue-error-next-step-${size.width}`);
  }
  await row.getByRole('button', { name: 'Details of the error for denied.txt' }).click();
  const details = page.getByTestId('queue-error-details');
  await expect(details).toContainText('553 Could not create file.');
  await expect(details).toContainText('The server would not create the file (STOR).');
  await ferry.screenshots('queue-error-details-1024');
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();
});
