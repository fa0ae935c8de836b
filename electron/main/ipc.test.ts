/**
 * The IPC binding under Node with a stand-in ipcMain: every contract command is bound, only the
 * app's own window and main frame on the app's URL get through to dispatch, and events go only
 * to a live window.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, commandChannel, eventChannel } from '../../shared/ipc';
import type { Backend } from '../services/backend';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
const handlers = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const APP_URL = 'app://ferry/index.html';

function fakeWindow(url = APP_URL) {
  const mainFrame = { url };
  const sent: Array<[string, unknown]> = [];
  let destroyed = false;
  const webContents = {
    mainFrame,
    getURL: () => url,
    send: (channel: string, payload: unknown) => void sent.push([channel, payload]),
  };
  return {
    window: { isDestroyed: () => destroyed, webContents },
    sent,
    destroy: () => {
      destroyed = true;
    },
  };
}

function fakeBackend() {
  const calls: Array<[unknown, unknown]> = [];
  const backend = {
    dispatch: (name: unknown, args: unknown) => {
      calls.push([name, args]);
      return Promise.resolve({ ok: true, value: 'dispatched' });
    },
  } as unknown as Backend;
  return { backend, calls };
}

beforeEach(() => {
  handlers.clear();
});

describe('bindCommands', () => {
  it('binds exactly the contract commands, and unbinds them', async () => {
    const { bindCommands } = await import('./ipc');
    const { backend } = fakeBackend();
    const unbind = bindCommands(backend, () => undefined);
    expect([...handlers.keys()].sort()).toEqual(COMMAND_NAMES.map(commandChannel).sort());
    unbind();
    expect(handlers.size).toBe(0);
  });

  it('passes a call from the app window main frame to dispatch with its arguments', async () => {
    const { bindCommands } = await import('./ipc');
    const { backend, calls } = fakeBackend();
    const { window } = fakeWindow();
    bindCommands(backend, () => window as never);
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    const result = await handlers.get(commandChannel('listRemote'))?.(event, '/pub');
    expect(result).toEqual({ ok: true, value: 'dispatched' });
    expect(calls).toEqual([['listRemote', ['/pub']]]);
  });

  it('refuses other senders before anything is dispatched', async () => {
    const { bindCommands } = await import('./ipc');
    const { backend, calls } = fakeBackend();
    const app = fakeWindow();
    const other = fakeWindow();
    let current: ReturnType<typeof fakeWindow>['window'] | undefined = app.window;
    bindCommands(backend, () => current as never);
    const subframe = { url: APP_URL };
    const cases: Array<[string, unknown]> = [
      [
        'another window',
        { sender: other.window.webContents, senderFrame: other.window.webContents.mainFrame },
      ],
      ['a subframe of the app window', { sender: app.window.webContents, senderFrame: subframe }],
      ['no frame', { sender: app.window.webContents, senderFrame: null }],
    ];
    const exportSites = handlers.get(commandChannel('exportSites'));
    for (const [what, event] of cases) {
      expect(await exportSites?.(event, null, true), what).toMatchObject({
        ok: false,
        error: { kind: 'usage', reason: 'untrusted sender' },
      });
    }
    // The app window's main frame, navigated away from the app.
    const away = fakeWindow('https://evil.example/');
    current = away.window;
    expect(
      await exportSites?.(
        { sender: away.window.webContents, senderFrame: away.window.webContents.mainFrame },
        null,
        true,
      ),
    ).toMatchObject({ ok: false });
    // A destroyed window, and none at all.
    current = app.window;
    app.destroy();
    const appEvent = {
      sender: app.window.webContents,
      senderFrame: app.window.webContents.mainFrame,
    };
    expect(await exportSites?.(appEvent, null, true)).toMatchObject({ ok: false });
    current = undefined;
    expect(await exportSites?.(appEvent, null, true)).toMatchObject({ ok: false });
    expect(calls).toEqual([]);
  });
});

describe('isTrustedSender', () => {
  it('accepts only the app URL in the main frame of the app window', async () => {
    const { isTrustedSender } = await import('./ipc');
    const { window } = fakeWindow();
    const frame = window.webContents.mainFrame;
    const event = (url: string) =>
      ({ sender: window.webContents, senderFrame: { ...frame, url } }) as never;
    expect(
      isTrustedSender({ sender: window.webContents, senderFrame: frame } as never, window as never),
    ).toBe(true);
    // A look-alike frame object with the app URL is not the main frame.
    expect(isTrustedSender(event(APP_URL), window as never)).toBe(false);
  });
});

describe('createEmitter', () => {
  it('sends on the event channel while the window lives, and drops events after', async () => {
    const { createEmitter } = await import('./ipc');
    const { window, sent, destroy } = fakeWindow();
    const emit = createEmitter(() => window as never);
    emit('log', []);
    destroy();
    emit('log', []);
    expect(sent).toEqual([[eventChannel('log'), []]]);
  });
});
