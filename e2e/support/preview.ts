/**
 * The preview: launches Chromium with the built renderer and the real services behind the bridge.
 * Headed with a display (close the window to quit); headless without one (saves a screenshot).
 */
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { APP_URL, CHROMIUM_ARGS, installBridge, routeRenderer } from './bridge';
import { chromiumPath } from './browser';

const headed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const dataDir = process.env.FERRY_PREVIEW_DATA ?? join(homedir(), '.config', 'ferry-preview');
await mkdir(dataDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: chromiumPath(),
  headless: !headed,
  args: [...CHROMIUM_ARGS, ...(headed ? ['--app=about:blank'] : [])],
});
const context = await browser.newContext({
  viewport: headed ? null : { width: 1360, height: 860 },
});
await routeRenderer(context);
const page = await context.newPage();
const bridge = await installBridge(page, {
  dataDir,
  // Stands in for main's native save dialog (an export with passwords needs one): a fixed file.
  pickFile: (options) => {
    if (!options.save) return Promise.resolve(null);
    const file = join(dataDir, 'exports', `ferry-sites-${Date.now()}.json`);
    console.log(`Save dialog stand-in (${options.title}): ${file}`);
    return mkdir(join(dataDir, 'exports'), { recursive: true }).then(() => file);
  },
});
const pageErrors: string[] = [];
page.on('pageerror', (error) => pageErrors.push(error.message));
await page.goto(APP_URL);
await page.getByRole('form', { name: 'Connection' }).waitFor();

if (headed) {
  console.log(
    'Ferry preview is running: the real renderer in Chromium, the real services in this process.',
  );
  console.log('Close the window (or press Ctrl+C) to quit.');
  await new Promise<void>((done) => {
    page.on('close', () => done());
    process.once('SIGINT', () => done());
  });
} else {
  const shot = resolve(import.meta.dirname, '..', 'screenshots', 'preview.png');
  await mkdir(resolve(shot, '..'), { recursive: true });
  // The local pane lists the home folder right after start: show it, not the loading state.
  await page
    .getByTestId('local-pane')
    .getByRole('navigation', { name: 'local path' })
    .getByRole('button')
    .first()
    .waitFor({ timeout: 10_000 })
    .catch(() => undefined);
  await page.screenshot({ path: shot });
  console.log('No display found, so the preview ran headless and saved a screenshot:');
  console.log(`  ${shot}`);
  console.log(
    'To click through it, run it under a display, e.g.: xvfb-run -a npm run preview (with VNC), or on a desktop.',
  );
}
await bridge.dispose();
await browser.close();
if (pageErrors.length > 0) {
  console.error(`The app failed in the page:\n  ${pageErrors.join('\n  ')}`);
  process.exitCode = 1;
}
