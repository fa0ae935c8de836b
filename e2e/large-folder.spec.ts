import { chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../test/servers/servers';
import { expect, test } from './support/fixtures';

let server: RunningServer;
const COUNT = 20_000;
const name = (i: number) => `file-${String(i).padStart(5, '0')}.dat`;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  const dir = await server.mkdir('big');
  for (let i = 0; i < COUNT; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, COUNT - i) }, async (_, k) => {
        const file = join(dir, name(i + k));
        await writeFile(file, '');
        await chown(file, server.uid, server.gid);
      }),
    );
  }
  await mkdir(join(dir, 'sub'));
});

test.afterAll(async () => {
  await server?.stop();
});

test('a 20,000-entry folder renders virtualized and scrolls', async ({ app }) => {
  test.setTimeout(180_000);
  const { ferry, page } = app;
  await ferry.connectBar.fill({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
  });
  await ferry.connectBar.connect();
  await ferry.trust.answer('Trust once');
  await expect(ferry.remote.row('big')).toBeVisible();
  const opened = Date.now();
  await ferry.remote.row('big').dblclick();
  await expect(ferry.remote.footer()).toContainText(/20,?001 items/);
  await expect(ferry.remote.row(name(0))).toBeVisible();
  expect(Date.now() - opened).toBeLessThan(15_000);
  // Only a screenful of rows is in the DOM.
  expect(await ferry.remote.list.locator('[role=row]').count()).toBeLessThan(120);

  const started = Date.now();
  await ferry.remote.list.hover();
  for (let i = 0; i < 20; i++) await page.mouse.wheel(0, 4000);
  await expect(ferry.remote.row(name(0))).toHaveCount(0);
  await ferry.remote.list.focus();
  await ferry.remote.list.press('End');
  await expect(ferry.remote.row(name(COUNT - 1))).toBeVisible();
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(await ferry.remote.list.locator('[role=row]').count()).toBeLessThan(120);
  await ferry.screenshots('08-large-folder');
});
