/**
 * The only main-process code that touches ipcMain: binds every contract command to the backend's
 * validating dispatcher, after checking that the sender is the app's own window and page.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import {
  COMMAND_NAMES,
  commandChannel,
  eventChannel,
  type EventName,
  type Events,
  type Result,
} from '../../shared/ipc';
import type { Backend } from '../services/backend';
import { APP_INDEX_URL } from './app-protocol';
import { isAppUrl } from './window';

/**
 * The app's window, its main frame, showing the app's own URL. The URL is compared with the fixed
 * app URL, not with what the window shows now: a window that got navigated elsewhere is not the app.
 */
export function isTrustedSender(
  event: IpcMainInvokeEvent,
  window: BrowserWindow | undefined,
  appUrl: string = APP_INDEX_URL,
): boolean {
  if (!window || window.isDestroyed()) return false;
  if (event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  return isAppUrl(frame.url, appUrl);
}

export function bindCommands(
  backend: Backend,
  getWindow: () => BrowserWindow | undefined,
): () => void {
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(commandChannel(name), (event, ...args: unknown[]): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, getWindow())) {
        return Promise.resolve({
          ok: false,
          error: { kind: 'usage', step: name, reason: 'untrusted sender' },
        });
      }
      return backend.dispatch(name, args);
    });
  }
  return () => {
    for (const name of COMMAND_NAMES) ipcMain.removeHandler(commandChannel(name));
  };
}

/** Sends an event to the window, if it is still there. */
export function createEmitter(getWindow: () => BrowserWindow | undefined) {
  return <E extends EventName>(event: E, payload: Events[E]): void => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(eventChannel(event), payload);
  };
}
