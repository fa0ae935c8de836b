/** The Electron entry: thin glue around the plain-Node services in electron/services. */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Menu, safeStorage } from 'electron';
import { createBackend, type Backend } from '../services/backend';
import { connectFtps } from '../services/engine-client';
import { bindCommands, createEmitter } from './ipc';
import { menuTemplate } from './menu';
import { createMainWindow, denyPermissions, hardenWebContents } from './window';

let mainWindow: BrowserWindow | undefined;
let backend: Backend | undefined;
let closing = false;

const getWindow = (): BrowserWindow | undefined => mainWindow;

function openWindow(): void {
  const window = createMainWindow({
    preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
    rendererFile: join(import.meta.dirname, '../renderer/index.html'),
  });
  mainWindow = window;
  window.on('close', (event) => {
    if (closing || !backend?.transfers.hasPending()) return;
    event.preventDefault();
    const choice = dialog.showMessageBoxSync(window, {
      type: 'warning',
      buttons: ['Keep Transferring', 'Stop Transfers and Close'],
      defaultId: 0,
      cancelId: 0,
      title: 'Transfers are running',
      message: 'Transfers are still running.',
      detail:
        'Closing Ferry stops them. Files being transferred stay incomplete (.part) and can be resumed later.',
    });
    if (choice === 1) {
      closing = true;
      window.close();
    }
  });
  window.on('closed', () => {
    mainWindow = undefined;
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, () => mainWindow?.webContents.getURL() ?? 'file:///');
  });

  void app.whenReady().then(() => {
    const emit = createEmitter(getWindow);
    backend = createBackend({
      dataDir: app.getPath('userData'),
      emit,
      connectClient: connectFtps,
      runtime: 'electron',
      version: app.getVersion(),
      platform: process.platform,
      secretCipher: safeStorage,
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
      Menu.buildFromTemplate(menuTemplate((command) => emit('menu', command), process.platform)),
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
