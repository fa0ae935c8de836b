import { beforeEach, describe, expect, it, vi } from 'vitest';

// Electron cannot load in plain Node: mock the few pieces window.ts uses.
const created: Array<{ options: Record<string, unknown>; contents: FakeContents }> = [];
const loaded: string[] = [];

class FakeContents {
  handlers = new Map<string, (...args: unknown[]) => void>();
  openHandler: (() => { action: string }) | undefined;
  session = {
    request: undefined as undefined | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
    check: undefined as undefined | ((c: unknown, p: string) => boolean),
    setPermissionRequestHandler(fn: (c: unknown, p: string, cb: (ok: boolean) => void) => void) {
      this.request = fn;
    },
    setPermissionCheckHandler(fn: (c: unknown, p: string) => boolean) {
      this.check = fn;
    },
    setDevicePermissionHandler() {},
  };
  on(event: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(event, handler);
    return this;
  }
  setWindowOpenHandler(fn: () => { action: string }) {
    this.openHandler = fn;
  }
  getURL() {
    return 'app://ferry/index.html';
  }
}

vi.mock('electron', () => ({
  nativeTheme: { shouldUseDarkColors: false },
  BrowserWindow: class {
    webContents = new FakeContents();
    constructor(options: Record<string, unknown>) {
      created.push({ options, contents: this.webContents });
    }
    once() {}
    loadURL(url: string) {
      loaded.push(url);
      return Promise.resolve();
    }
  },
}));

describe('main window security', () => {
  beforeEach(() => {
    created.length = 0;
    loaded.length = 0;
  });

  it('follows the Electron security checklist', async () => {
    const { createMainWindow, CONTENT_SECURITY_POLICY } = await import('./window');
    createMainWindow({
      preloadPath: '/app/out/preload/index.cjs',
      rendererUrl: 'app://ferry/index.html',
    });
    // Loaded through the app:// protocol (CSP as a header), never from file://.
    expect(loaded).toEqual(['app://ferry/index.html']);
    const prefs = created[0]?.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(String(prefs.preload)).toMatch(/\.cjs$/);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });

  it('blocks navigation, new windows, webviews and permissions', async () => {
    const { createMainWindow } = await import('./window');
    createMainWindow({ preloadPath: '/p.cjs', rendererUrl: 'app://ferry/index.html' });
    const contents = created[0]?.contents;
    if (!contents) throw new Error('no window');
    const event = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    contents.handlers.get('will-navigate')?.(event, 'https://evil.example/');
    expect(event.prevented).toBe(true);
    const same = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    contents.handlers.get('will-navigate')?.(same, contents.getURL());
    expect(same.prevented).toBe(false);
    const tricky = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    contents.handlers.get('will-navigate')?.(tricky, 'app://ferry.evil/index.html');
    expect(tricky.prevented).toBe(true);
    const file = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    contents.handlers.get('will-navigate')?.(file, 'file:///etc/passwd');
    expect(file.prevented).toBe(true);
    expect(contents.openHandler?.()).toEqual({ action: 'deny' });
    const webview = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    contents.handlers.get('will-attach-webview')?.(webview);
    expect(webview.prevented).toBe(true);
    let granted: boolean | undefined;
    contents.session.request?.(undefined, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect(contents.session.check?.(undefined, 'notifications')).toBe(false);
  });
});

describe('main window size', () => {
  it('cannot shrink below 1024x640, the smallest size the layout is tested at', async () => {
    created.length = 0;
    const { createMainWindow, MIN_WINDOW } = await import('./window');
    createMainWindow({ preloadPath: '/p.cjs', rendererUrl: 'app://ferry/index.html' });
    expect(created[0]?.options).toMatchObject({ minWidth: 1024, minHeight: 640 });
    expect(MIN_WINDOW).toEqual({ width: 1024, height: 640 });
  });
});
