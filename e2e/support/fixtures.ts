/**
 * The e2e fixture: a page running the real renderer, backed by the real services. By default the
 * renderer runs in Chromium through the Playwright bridge; with FERRY_E2E_ELECTRON=<electron
 * binary> it runs in the packaged app through Playwright's Electron launcher instead.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { APP_URL, installBridge, routeRenderer, type Bridge } from './bridge';
import { FerryApp } from '../pages/ferry-app';
import type { PickFileOptions } from '../../shared/ipc';
import { aesGcmCipher } from '../../electron/services/secrets/aes-cipher';

export interface AppFixture {
  page: Page;
  ferry: FerryApp;
  /** A scratch folder for local files. */
  workDir: string;
  /** Pins and recent connections of this run. */
  dataDir: string;
  bridge?: Bridge;
  /** Main's file dialog stand-in (bridge only): what it answers next, and what it was asked. */
  fileDialog: { answer: string | null; asked: PickFileOptions[] };
  /** Page errors a test provokes on purpose (e.g. CSP refusals); others still fail the test. */
  expectedErrors: RegExp[];
}

export const test = base.extend<{
  app: AppFixture;
  launchUrl: string | undefined;
  keychainBackend: string | undefined;
  reconnectDelaysMs: readonly number[] | undefined;
}>({
  /** Opens Ferry with this URL (as the OS does for a clicked ftps:// link). */
  launchUrl: [undefined, { option: true }],
  /** What the safeStorage stand-in reports as its Linux backend (e.g. 'basic_text'). */
  keychainBackend: [undefined, { option: true }],
  /** The backoff before reconnect attempts (bridge only). */
  reconnectDelaysMs: [undefined, { option: true }],
  app: async ({ browser, colorScheme, launchUrl, keychainBackend, reconnectDelaysMs }, use) => {
    const fileDialog: AppFixture['fileDialog'] = { answer: null, asked: [] };
    const expectedErrors: RegExp[] = [];
    const workDir = await mkdtemp(join(tmpdir(), 'ferry-e2e-work-'));
    const dataDir = await mkdtemp(join(tmpdir(), 'ferry-e2e-data-'));
    const electronPath = process.env.FERRY_E2E_ELECTRON;
    let electronApp: ElectronApplication | undefined;
    let bridge: Bridge | undefined;
    let page: Page;
    if (electronPath) {
      electronApp = await _electron.launch({
        executablePath: electronPath,
        args: [
          resolve(import.meta.dirname, '..', '..'),
          `--user-data-dir=${dataDir}`,
          ...(launchUrl ? [launchUrl] : []),
        ],
        colorScheme: colorScheme ?? 'light',
      });
      page = await electronApp.firstWindow();
    } else {
      const context = await browser.newContext({
        colorScheme,
        viewport: { width: 1360, height: 860 },
      });
      await routeRenderer(context);
      page = await context.newPage();
      bridge = await installBridge(page, {
        dataDir,
        ...(launchUrl ? { launchUrl } : {}),
        pickFile: (options) => {
          fileDialog.asked.push(options);
          return Promise.resolve(fileDialog.answer);
        },
        ...(keychainBackend
          ? {
              secretCipher: { ...aesGcmCipher(), getSelectedStorageBackend: () => keychainBackend },
            }
          : {}),
        ...(reconnectDelaysMs ? { reconnectDelaysMs } : {}),
      });
      await page.goto(APP_URL);
    }
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const ferry = new FerryApp(page);
    await ferry.ready();
    await use({
      page,
      ferry,
      workDir,
      dataDir,
      fileDialog,
      expectedErrors,
      ...(bridge ? { bridge } : {}),
    });
    await bridge?.dispose();
    await page
      .context()
      .close()
      .catch(() => undefined);
    await electronApp?.close();
    await rm(workDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
    const unexpected = errors.filter((text) => !expectedErrors.some((re) => re.test(text)));
    if (unexpected.length > 0) {
      throw new Error(`The page reported errors:\n${unexpected.join('\n')}`);
    }
  },
});

export { expect } from '@playwright/test';
