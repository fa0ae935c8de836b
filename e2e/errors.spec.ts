/** Errors with a next step: a sentence and an action, the raw text behind "Details". */
import { startServer, type RunningServer } from '../test/servers/servers';
import { expect, test } from './support/fixtures';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
});

test.afterAll(async () => {
  await server?.stop();
});

for (const size of [
  { width: 1440, height: 900 },
  { width: 1024, height: 640 },
]) {
  test(`a wrong password says so and what to do (${size.width}x${size.height})`, async ({
    app,
  }) => {
    const { ferry, page } = app;
    await page.setViewportSize(size);
    await ferry.connectBar.fill({ ...server, password: 'not-the-password' });
    await ferry.connectBar.connect();
    await ferry.trust.answer('Trust once');
    const toast = page.getByRole('alert').filter({ hasText: 'refused the user name' });
    await expect(toast).toContainText('The server refused the user name or password.');
    await expect(toast).toContainText('Check both (they are case-sensitive) and connect again.');
    // The raw server reply is one click away, not in the sentence.
    const details = toast.getByText('Details');
    await expect(toast.getByText(/530 Login incorrect/)).toBeHidden();
    await details.click();
    await expect(toast.getByText(/530 Login incorrect/)).toBeVisible();
    // The toast and its close button stay inside the window.
    const box = await toast.boundingBox();
    const close = await toast.getByRole('button', { name: 'Dismiss' }).boundingBox();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(size.width);
    expect((close?.x ?? 0) + (close?.width ?? 0)).toBeLessThanOrEqual(size.width);
    await ferry.screenshots(`error-next-step-${size.width}`);
    await toast.getByRole('button', { name: 'Dismiss' }).click();
    await expect(toast).toHaveCount(0);
  });
}
