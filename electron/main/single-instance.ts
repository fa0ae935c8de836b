/**
 * One Ferry at a time: a second launch (a clicked `ftps://` link, the command line) focuses the
 * running window and hands its URL over. Also the macOS `open-url` event and the registration as
 * the OS handler for `ftps://` and `ftpes://`.
 *
 * Only types come from Electron, so this runs in plain Node under test with a fake `app`.
 */
import type { App, BrowserWindow } from 'electron';
import {
  findLaunchUrl,
  LAUNCH_URL_SCHEMES,
  parseLaunchUrl,
  type ConnectPrefill,
} from './launch-url';

/** The parts of Electron's `app` used here. */
export type SingleInstanceApp = Pick<
  App,
  | 'requestSingleInstanceLock'
  | 'quit'
  | 'on'
  | 'isPackaged'
  | 'isDefaultProtocolClient'
  | 'setAsDefaultProtocolClient'
>;

/** The parts of a window used to bring it to the front. */
export type FocusableWindow = Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus'>;

export interface SingleInstanceOptions {
  /** The main window, when there is one. */
  getWindow: () => FocusableWindow | undefined;
  /** Receives every launch URL: this process's own, a second launch's and macOS `open-url`'s. */
  onUrl: (prefill: ConnectPrefill) => void;
  /** This process's arguments (default `process.argv`). */
  argv?: readonly string[];
  /**
   * Register as the OS handler for ftps:// and ftpes:// (default: only when packaged; a development
   * build would register the bare Electron binary).
   */
  registerProtocols?: boolean;
}

/** Brings a window to the front, restoring it when minimized. */
export function focusWindow(window: FocusableWindow | undefined): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/**
 * Takes the single-instance lock. Returns false when another Ferry holds it: this process has then
 * handed its arguments over and asked to quit, and the caller should set nothing else up.
 *
 * Call it before `app.whenReady()`: macOS sends `open-url` for the URL Ferry was launched with
 * before the app is ready.
 */
export function claimSingleInstance(
  app: SingleInstanceApp,
  options: SingleInstanceOptions,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv) => {
    focusWindow(options.getWindow());
    const prefill = findLaunchUrl(argv);
    if (prefill) options.onUrl(prefill);
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    focusWindow(options.getWindow());
    const prefill = parseLaunchUrl(url);
    if (prefill) options.onUrl(prefill);
  });
  if (options.registerProtocols ?? app.isPackaged) {
    for (const scheme of LAUNCH_URL_SCHEMES) {
      if (!app.isDefaultProtocolClient(scheme)) app.setAsDefaultProtocolClient(scheme);
    }
  }
  const own = findLaunchUrl(options.argv ?? process.argv);
  if (own) options.onUrl(own);
  return true;
}

/**
 * Holds the latest launch URL until the renderer takes it: the first one arrives before the
 * window has loaded, so the renderer asks for it once it is listening, and later ones are both
 * pushed as an event and kept here (a reload still finds the last one not yet taken).
 */
export class LaunchPrefillInbox {
  private pending: ConnectPrefill | undefined;

  offer(prefill: ConnectPrefill): void {
    this.pending = prefill;
  }

  /** The pending prefill, once; null when there is none. */
  take(): ConnectPrefill | null {
    const prefill = this.pending ?? null;
    this.pending = undefined;
    return prefill;
  }
}
