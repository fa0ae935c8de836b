import {
  BrowserWindow,
  nativeTheme,
  type Session,
  type WebContents,
  type WebPreferences,
} from 'electron';

export { CONTENT_SECURITY_POLICY } from './app-protocol';

/** The Electron security checklist, applied to every window Ferry opens. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

/** Whether a URL belongs to the app: the same protocol and the same file as the loaded page. */
export function isAppUrl(candidate: string, appUrl: string): boolean {
  try {
    const url = new URL(candidate);
    const app = new URL(appUrl);
    if (url.protocol !== app.protocol || url.host !== app.host) return false;
    return url.protocol === 'file:' ? url.pathname === app.pathname : url.origin === app.origin;
  } catch {
    return false;
  }
}

/** Blocks navigation away from the app, new windows and webviews. */
export function hardenWebContents(contents: WebContents, appUrl: () => string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl())) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appUrl())) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Permissions the app uses: writing to the clipboard (copy fingerprint) only. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** Denies every permission request and check (camera, notifications, clipboard read, …) by default. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(ALLOWED_PERMISSIONS.has(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
  session.setDevicePermissionHandler(() => false);
}

export interface MainWindowOptions {
  preloadPath: string;
  /** The renderer's URL: `app://ferry/index.html` (served with its CSP header, see app-protocol). */
  rendererUrl: string;
  /** The window icon (Linux and Windows; macOS takes the bundle's). */
  iconPath?: string;
}

/** The smallest window the layout is tested at (e2e/layout.spec.ts); smaller would crowd it. */
export const MIN_WINDOW = { width: 1024, height: 640 } as const;

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    show: false,
    title: 'Ferry',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#15171c' : '#f6f7f9',
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  denyPermissions(window.webContents.session);
  // Navigation is checked against the app's fixed URL, not whatever the window shows now.
  hardenWebContents(window.webContents, () => options.rendererUrl);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.rendererUrl);
  return window;
}
