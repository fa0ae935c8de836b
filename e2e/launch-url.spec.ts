import { startServer, type RunningServer } from '../test/servers/servers';
import { expect, test } from './support/fixtures';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
});

test.afterAll(async () => {
  await server?.stop();
});

test.describe('opened with an ftpes:// URL', () => {
  // The server's port is known only once it runs: the URL is built when the test starts.
  test.use({
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures from this pattern
    launchUrl: async ({}, use) => {
      await use(`ftpes://${server.user}:secret@${server.host}:${server.port}/docs`);
    },
  });

  test('pre-fills the connect bar (never the password) and connects nowhere', async ({ app }) => {
    const { ferry } = app;
    await expect(ferry.connectBar.host()).toHaveValue(server.host);
    await expect(ferry.connectBar.port()).toHaveValue(String(server.port));
    await expect(ferry.connectBar.user()).toHaveValue(server.user);
    await expect(ferry.connectBar.mode()).toHaveValue('explicit');
    await expect(ferry.connectBar.password()).toHaveValue('');
  });

  test('opens the folder the URL names after login', async ({ app }) => {
    const { ferry } = app;
    await server.writeFile('docs/from-url.txt', 'hello\n');
    await ferry.connectBar.fill({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
    });
    await ferry.connectBar.connect();
    await ferry.trust.answer('Trust once');
    await expect(ferry.remote.row('from-url.txt')).toBeVisible();
  });
});
