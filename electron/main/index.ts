/** The Electron entry: thin glue around the plain-Node services in electron/services. */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, safeStorage, shell } from 'electron';
import { createBackend, type Backend } from '../services/backend';
import { connectFtps } from '../services/engine-client';
import { bindCommands, createEmitter } from './ipc';
import { aboutInfo, aboutMessageBoxOptions, aboutPanelOptions, appIconPath } from './about';
import { menuTemplate } from './menu';
import { mayQuit } from './quit-guard';
import { claimSingleInstance, LaunchPrefillInbox } from './single-instance';
import { createMainWindow, denyPermissions, hardenWebContents } from './window';

let mainWindow: BrowserWindow | undefined;
let backend: Backend | undefined;
let closing = false;

const getWindow = (): BrowserWindow | undefined => mainWindow;
/** Launch URLs (own, second launch, macOS open-url) wait here until the renderer takes them. */
const launchInbox = new LaunchPrefillInbox();
let emitEvent: ReturnType<typeof createEmitter> | undefined;

const iconPath = (): string =>
  appIconPath({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
  });

function showAbout(): void {
  const options = aboutMessageBoxOptions(aboutInfo(), iconPath());
  const window = getWindow();
  void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
}

function openWindow(): void {
  const window = createMainWindow({
    preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
    rendererFile: join(import.meta.dirname, '../renderer/index.html'),
    iconPath: iconPath(),
  });
  mainWindow = window;
  window.on('close', (event) => {
    const current = backend;
    if (closing || !current?.transfers.hasPending()) return;
    event.preventDefault();
    void mayQuit({
      hasPending: () => current.transfers.hasPending(),
      settings: () => current.settings.get(),
      updateSettings: (patch) => current.dispatch('updateSettings', [patch]),
      ask: (question) => dialog.showMessageBox(window, question),
    }).then((ok) => {
      if (!ok) return;
      closing = true;
      window.close();
    });
  });
  window.on('closed', () => {
    mainWindow = undefined;
  });
}

const primary = claimSingleInstance(app, {
  getWindow,
  onUrl: (prefill) => {
    // Kept for the renderer to take when it starts; pushed at once when it is already running.
    launchInbox.offer(prefill);
    if (emitEvent && mainWindow && !mainWindow.webContents.isLoading()) {
      emitEvent('launchPrefill', launchInbox.take() ?? prefill);
    }
  },
});

if (primary) {
  app.setAboutPanelOptions(aboutPanelOptions(aboutInfo(), iconPath()));

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, () => mainWindow?.webContents.getURL() ?? 'file:///');
  });

  void app.whenReady().then(() => {
    const emit = createEmitter(getWindow);
    emitEvent = emit;
    backend = createBackend({
      dataDir: app.getPath('userData'),
      emit,
      connectClient: connectFtps,
      runtime: 'electron',
      version: app.getVersion(),
      platform: process.platform,
      secretCipher: safeStorage,
      trashItem: (path) => shell.trashItem(path),
      takeLaunchPrefill: () => launchInbox.take(),
      pickFile: async (options) => {
        const filters = options.extensions
          ? [{ name: options.extensions.join(', '), extensions: options.extensions }]
          : [];
        const window = getWindow();
        if (options.save) {
          const result = window
            ? await dialog.showSaveDialog(window, { title: options.title, filters })
            : await dialog.showSaveDialog({ title: options.title, filters });
          return result.canceled || !result.filePath ? null : result.filePath;
        }
        const open = { title: options.title, filters, properties: ['openFile' as const] };
        const result = window
          ? await dialog.showOpenDialog(window, open)
          : await dialog.showOpenDialog(open);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
    });
    bindCommands(backend, getWindow);
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate((command) => emit('menu', command), process.platform, showAbout),
      ),
    );
    openWindow();
    if (mainWindow) denyPermissions(mainWindow.webContents.session);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('before-quit', (event) => {
    if (!backend) return;
    const current = backend;
    backend = undefined;
    event.preventDefault();
    void current.dispose().finally(() => app.quit());
  });
}
