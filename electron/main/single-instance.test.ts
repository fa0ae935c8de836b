import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { ConnectPrefill } from './launch-url';
import {
  claimSingleInstance,
  focusWindow,
  LaunchPrefillInbox,
  type SingleInstanceApp,
} from './single-instance';

type Listener = (...args: unknown[]) => void;

/** A fake Electron `app`: an EventEmitter with the lock and protocol calls recorded. */
function fakeApp(options: { lock?: boolean; isPackaged?: boolean; defaults?: string[] } = {}) {
  const emitter = new EventEmitter();
  const registered: string[] = [];
  const defaults = new Set(options.defaults ?? []);
  const app = {
    requestSingleInstanceLock: vi.fn(() => options.lock ?? true),
    quit: vi.fn(),
    on: (event: string, listener: Listener) => {
      emitter.on(event, listener);
      return app;
    },
    isPackaged: options.isPackaged ?? false,
    isDefaultProtocolClient: (scheme: string) => defaults.has(scheme),
    setAsDefaultProtocolClient: (scheme: string) => {
      registered.push(scheme);
      return true;
    },
  };
  return { app: app as unknown as SingleInstanceApp, emitter, registered, raw: app };
}

function fakeWindow(minimized = false) {
  return {
    isMinimized: vi.fn(() => minimized),
    restore: vi.fn(),
    show: vi.fn(),
    focus: vi.fn(),
  };
}

describe('claimSingleInstance', () => {
  it('quits and sets nothing up when another instance holds the lock', () => {
    const { app, emitter, raw } = fakeApp({ lock: false });
    const onUrl = vi.fn();
    expect(
      claimSingleInstance(app, { getWindow: () => undefined, onUrl, argv: ['ferry', 'ftps://h'] }),
    ).toBe(false);
    expect(raw.quit).toHaveBeenCalledOnce();
    expect(emitter.eventNames()).toEqual([]);
    expect(onUrl).not.toHaveBeenCalled();
  });

  it("hands this process's own URL over", () => {
    const { app } = fakeApp();
    const onUrl = vi.fn<(prefill: ConnectPrefill) => void>();
    expect(
      claimSingleInstance(app, {
        getWindow: () => undefined,
        onUrl,
        argv: ['ferry', 'ftpes://a@h/x'],
      }),
    ).toBe(true);
    expect(onUrl).toHaveBeenCalledWith({
      host: 'h',
      port: 21,
      mode: 'explicit',
      user: 'a',
      path: 'x',
    });
  });

  it('focuses the window on a second launch and passes its URL on', () => {
    const { app, emitter } = fakeApp();
    const window = fakeWindow(true);
    const onUrl = vi.fn();
    claimSingleInstance(app, {
      getWindow: () => window,
      onUrl,
      argv: ['ferry'],
    });
    expect(onUrl).not.toHaveBeenCalled();
    emitter.emit(
      'second-instance',
      {},
      ['/opt/Ferry/ferry', '--flag', 'ftps://u:pw@h2:2990/'],
      '/',
    );
    expect(window.restore).toHaveBeenCalledOnce();
    expect(window.focus).toHaveBeenCalledOnce();
    expect(onUrl).toHaveBeenCalledWith({
      host: 'h2',
      port: 2990,
      mode: 'implicit',
      user: 'u',
      path: '',
    });
    emitter.emit('second-instance', {}, ['/opt/Ferry/ferry'], '/');
    expect(window.focus).toHaveBeenCalledTimes(2);
    expect(onUrl).toHaveBeenCalledOnce();
  });

  it('handles macOS open-url and prevents the default', () => {
    const { app, emitter } = fakeApp();
    const onUrl = vi.fn();
    claimSingleInstance(app, { getWindow: () => undefined, onUrl, argv: [] });
    const event = { preventDefault: vi.fn() };
    emitter.emit('open-url', event, 'ftpes://mac.example/');
    expect(event.preventDefault).toHaveBeenCalledOnce();
    expect(onUrl).toHaveBeenCalledWith(expect.objectContaining({ host: 'mac.example' }));
    emitter.emit('open-url', { preventDefault: vi.fn() }, 'javascript:alert(1)');
    expect(onUrl).toHaveBeenCalledOnce();
  });

  it('registers the protocol handlers only when packaged, and only where not yet the default', () => {
    const dev = fakeApp({ isPackaged: false });
    claimSingleInstance(dev.app, { getWindow: () => undefined, onUrl: vi.fn(), argv: [] });
    expect(dev.registered).toEqual([]);
    const packaged = fakeApp({ isPackaged: true, defaults: ['ftps'] });
    claimSingleInstance(packaged.app, { getWindow: () => undefined, onUrl: vi.fn(), argv: [] });
    expect(packaged.registered).toEqual(['ftpes']);
    const forced = fakeApp({ isPackaged: false });
    claimSingleInstance(forced.app, {
      getWindow: () => undefined,
      onUrl: vi.fn(),
      argv: [],
      registerProtocols: true,
    });
    expect(forced.registered).toEqual(['ftps', 'ftpes']);
  });
});

describe('focusWindow', () => {
  it('shows and focuses without restoring a window that is not minimized', () => {
    const window = fakeWindow(false);
    focusWindow(window);
    expect(window.restore).not.toHaveBeenCalled();
    expect(window.show).toHaveBeenCalledOnce();
    expect(window.focus).toHaveBeenCalledOnce();
    expect(() => focusWindow(undefined)).not.toThrow();
  });
});

describe('LaunchPrefillInbox', () => {
  it('keeps the latest prefill until taken, once', () => {
    const inbox = new LaunchPrefillInbox();
    expect(inbox.take()).toBeNull();
    inbox.offer({ host: 'a', port: 21, mode: 'explicit', user: '', path: '' });
    inbox.offer({ host: 'b', port: 990, mode: 'implicit', user: '', path: '' });
    expect(inbox.take()).toMatchObject({ host: 'b' });
    expect(inbox.take()).toBeNull();
  });
});
