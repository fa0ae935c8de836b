/**
 * Losing the browsing connection is an event, not a reset: "Connection lost", a reconnect with a
 * visible countdown and Cancel, and back to the same folder and selection.
 */
import { startServer, type RunningServer } from '../test/servers/servers';
import { expect, test } from './support/fixtures';
import { startForwarder } from './support/tcp-forward';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  await server.writeFile('docs/readme.txt', 'Read me\n');
  await server.writeFile('docs/report.csv', 'a,b\n');
});

test.afterAll(async () => {
  await server?.stop();
});

test('a lost connection reconnects to the same folder and selection', async ({ app }) => {
  const { ferry, page } = app;
  // Control connections go through the forwarder (data connections go to the server directly),
  // so dropping the forwarder's sockets is the server dropping the session.
  const forward = await startForwarder({ host: server.host, port: server.port });
  try {
    await ferry.connectTrustingOnce({ ...server, host: forward.host, port: forward.port });
    await ferry.remote.row('docs').dblclick();
    await ferry.remote.row('report.csv').click();
    await expect(ferry.remote.row('report.csv')).toHaveAttribute('aria-selected', 'true');

    forward.retarget({ host: server.host, port: server.port });
    const banner = page.getByTestId('reconnect-banner');
    await expect(banner).toContainText('Connection lost.');
    await expect(banner.getByTestId('reconnect-countdown')).toHaveText(
      /Reconnecting in \d s \(attempt 1 of 5\)/,
    );
    await expect(ferry.statusBar).toContainText('Connection lost · reconnecting');
    // The folder stays on screen meanwhile.
    await expect(ferry.remote.row('report.csv')).toBeVisible();
    await ferry.screenshots('reconnect-countdown-1360');

    await expect(banner).toBeHidden({ timeout: 20_000 });
    // Trusted once (the test server's self-signed certificate): amber, as before the loss.
    await expect(ferry.statusBar).toHaveAttribute('data-tone', 'warning');
    await expect(ferry.remote.path()).toHaveAttribute('data-path', '/docs');
    await expect(ferry.remote.row('report.csv')).toHaveAttribute('aria-selected', 'true');
    await expect(ferry.log).toContainText('Reconnected');
  } finally {
    await forward.stop();
  }
});

test.describe('with a long wait before the first attempt', () => {
  test.use({ reconnectDelaysMs: [60_000, 60_000] });

  test('Cancel stops reconnecting', async ({ app }) => {
    const { ferry, page } = app;
    await page.setViewportSize({ width: 1024, height: 640 });
    const forward = await startForwarder({ host: server.host, port: server.port });
    try {
      await ferry.connectTrustingOnce({ ...server, host: forward.host, port: forward.port });
      await expect(ferry.remote.row('docs')).toBeVisible();
      forward.retarget({ host: server.host, port: server.port });
      const banner = page.getByTestId('reconnect-banner');
      await expect(banner.getByTestId('reconnect-countdown')).toHaveText(
        /Reconnecting in (60|59|58) s \(attempt 1 of 2\)/,
      );
      await ferry.screenshots('reconnect-countdown-1024');
      await banner.getByRole('button', { name: 'Cancel' }).click();
      await expect(banner).toBeHidden();
      await expect(ferry.statusBar).toContainText('Not connected');
      await page.waitForTimeout(3_000);
      await expect(ferry.statusBar).toContainText('Not connected');
      await expect(ferry.log).not.toContainText('Reconnecting (attempt 1');
    } finally {
      await forward.stop();
    }
  });
});
