/**
 * Drag and drop as in a file manager: the whole selection travels, a folder row is a highlighted
 * drop target that receives the files, and a drop onto existing files asks first.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../test/servers/servers';
import { expect, test } from './support/fixtures';
import { dragOnto } from './support/drag';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  await server.writeFile('inbox/keep.txt', 'already there\n');
  await server.writeFile('other/clash.txt', 'server copy\n');
});

test.afterAll(async () => {
  await server?.stop();
});

test('a multi-selection drags whole onto a folder row, which receives it', async ({ app }) => {
  const { ferry, page, workDir } = app;
  for (const name of ['one.txt', 'two.txt', 'three.txt', 'four.txt'])
    await writeFile(join(workDir, name), `${name} body\n`);
  await ferry.connectTrustingOnce(server);
  await expect(ferry.remote.row('inbox')).toBeVisible();
  await ferry.local.goTo(workDir);

  // Select three of the four (Ctrl+click), then press on one of them to drag.
  await ferry.local.row('one.txt').click();
  await ferry.local.row('three.txt').click({ modifiers: ['Control'] });
  await ferry.local.row('two.txt').click({ modifiers: ['Control'] });
  await expect(ferry.local.footer()).toContainText('3 selected');

  await dragOnto(page, ferry.local.row('two.txt'), ferry.remote.row('inbox'), {
    at: 'start',
    whileOver: async () => {
      // Pressing on a selected item kept the selection, and the folder row shows it is the target.
      await expect(ferry.local.footer()).toContainText('3 selected');
      await expect(ferry.remote.row('inbox')).toHaveAttribute('data-drop-target', 'true');
      await expect(ferry.remote.root).toHaveAttribute('data-drop-label', 'Drop into “inbox”');
      await ferry.screenshots('drag-multi-onto-folder');
    },
  });

  await ferry.queue.tab('Done').click();
  for (const name of ['one.txt', 'two.txt', 'three.txt'])
    await expect(ferry.queue.item(name)).toHaveAttribute('data-state', 'done');
  for (const name of ['one.txt', 'two.txt', 'three.txt'])
    expect(await readFile(server.path(`inbox/${name}`), 'utf8')).toBe(`${name} body\n`);
  // Into the folder, not the folder shown; the unselected file stayed home.
  await expect(ferry.remote.row('one.txt')).toHaveCount(0);
  await expect(ferry.queue.item('four.txt')).toHaveCount(0);
  await expect(ferry.local.row('..')).toHaveAttribute('draggable', 'false');
});

test('a drop that would overwrite asks the file-exists question first', async ({ app }) => {
  const { ferry, page, workDir } = app;
  await writeFile(join(workDir, 'clash.txt'), 'local copy\n');
  await ferry.connectTrustingOnce(server);
  await ferry.local.goTo(workDir);
  await dragOnto(page, ferry.local.row('clash.txt'), ferry.remote.row('other'), { at: 'start' });
  const dialog = page.getByTestId('file-exists-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('/other/clash.txt');
  await dialog.getByRole('button', { name: 'Skip', exact: true }).click();
  await ferry.queue.tab('Done').click();
  await expect(ferry.queue.item('clash.txt')).toHaveAttribute('data-state', 'done');
  expect(await readFile(server.path('other/clash.txt'), 'utf8')).toBe('server copy\n');
});
