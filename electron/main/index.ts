/** The Electron entry: thin glue around the plain-Node services in electron/services. */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, protocol, safeStorage, shell } from 'electron';
import { createBackend, type Backend } from '../services/backend';
import type { StringCipher } from '../services/secrets/secret-store';
import { connectFtps } from '../services/engine-client';
import { bindCommands, createEmitter } from './ipc';
import { aboutInfo, aboutMessageBoxOptions, aboutPanelOptions, appIconPath } from './about';
import { menuTemplate } from './menu';
import { mayQuit } from './quit-guard';
import { claimSingleInstance, LaunchPrefillInbox } from './single-instance';
import { createMainWindow, denyPermissions, hardenWebContents } from './window';
import {
  APP_INDEX_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
} from './app-protocol';

let mainWindow: BrowserWindow | undefined;
let backend: Backend | undefined;
let closing = false;

const getWindow = (): BrowserWindow | undefined => mainWindow;

/**
 * safeStorage for the secret store. On Linux the backend is passed along, so a `basic_text`
 * fallback (a key built into Electron) counts as no keychain; elsewhere the OS keychain is it.
 */
function keychainCipher(): StringCipher {
  const cipher: StringCipher = {
    isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
    encryptString: (text) => safeStorage.encryptString(text),
    decryptString: (data) => safeStorage.decryptString(data),
  };
  if (process.platform === 'linux') {
    cipher.getSelectedStorageBackend = () => safeStorage.getSelectedStorageBackend();
  }
  return cipher;
}
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
    rendererUrl: APP_INDEX_URL,
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
  // Must happen before 'ready': app:// is a standard, secure scheme like https.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.setAboutPanelOptions(aboutPanelOptions(aboutInfo(), iconPath()));

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, () => APP_INDEX_URL);
  });

  void app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, createAppProtocolHandler(join(import.meta.dirname, '../renderer')));
    const emit = createEmitter(getWindow);
    emitEvent = emit;
    backend = createBackend({
      dataDir: app.getPath('userData'),
      emit,
      connectClient: connectFtps,
      runtime: 'electron',
      version: app.getVersion(),
      platform: process.platform,
      secretCipher: keychainCipher(),
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
