/**
 * Runs the real renderer in a browser page against the real main-process services in this Node
 * process. The page gets the same frozen `window.ferry` object the preload exposes; calls travel
 * through `page.exposeBinding`, events come back through `page.evaluate`. The built renderer is
 * served by Playwright routing from out/renderer: no network server.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { COMMAND_NAMES, EVENT_NAMES, type EventName, type Events } from '../../shared/ipc';
import { createBackend, type Backend, type BackendOptions } from '../../electron/services/backend';
import { connectFtps } from '../../electron/services/engine-client';
import { parseLaunchUrl } from '../../electron/main/launch-url';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/app-protocol';
import { aesGcmCipher } from '../../electron/services/secrets/aes-cipher';
import type { ConnectClient } from '../../electron/services/remote-client';
import type { StringCipher } from '../../electron/services/secrets/secret-store';

export const APP_ORIGIN = 'https://ferry.invalid';
export const APP_URL = `${APP_ORIGIN}/index.html`;
export const RENDERER_DIR = resolve(import.meta.dirname, '..', '..', 'out', 'renderer');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Serves out/renderer at APP_ORIGIN and refuses every other request the page makes. */
export async function routeRenderer(
  context: BrowserContext,
  rendererDir = RENDERER_DIR,
): Promise<void> {
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== APP_ORIGIN) return route.abort('blockedbyclient');
    const file = normalize(join(rendererDir, decodeURIComponent(url.pathname)));
    if (!file.startsWith(rendererDir + sep))
      return route.fulfill({ status: 403, body: 'forbidden' });
    try {
      const body = await readFile(file);
      return await route.fulfill({
        status: 200,
        body,
        headers: {
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
          // The same header the app:// protocol sends in Electron: the app must run under it.
          'content-security-policy': CONTENT_SECURITY_POLICY,
        },
      });
    } catch {
      return route.fulfill({ status: 404, body: 'not found' });
    }
  });
}

/** The init script: defines `window.ferry` (frozen) before any app script runs. */
function defineFerryApi(names: { commands: string[]; events: string[] }): void {
  type Listener = (payload: unknown) => void;
  // Runs in the page, where globalThis is window (the Node-side tsconfig has no DOM types).
  const w = globalThis as unknown as Record<string, unknown>;
  // Values cross as JSON text: Playwright's structured serializer is slow for 20,000-entry listings.
  const invoke = async (name: string, args: unknown[]): Promise<unknown> =>
    JSON.parse(
      await (w.__ferryInvoke as (name: string, args: string) => Promise<string>)(
        name,
        JSON.stringify(args),
      ),
    ) as unknown;
  const stage = (name: string, base64: string): Promise<string> =>
    (w.__ferryStage as (name: string, base64: string) => Promise<string>)(name, base64);
  const listeners = new Map<string, Set<Listener>>();
  const api: Record<string, unknown> = {};
  for (const name of names.commands) api[name] = (...args: unknown[]) => invoke(name, args);
  api.on = (event: string, listener: Listener) => {
    if (!names.events.includes(event)) throw new Error(`Unknown event ${event}`);
    if (typeof listener !== 'function') throw new Error('The listener must be a function');
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener);
    return () => void set.delete(listener);
  };
  api.pathForFile = async (file: { name: string; arrayBuffer(): Promise<ArrayBuffer> }) => {
    // A file dropped into a browser has no path: stage its bytes to a temporary file in Node.
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return stage(file.name, btoa(binary));
  };
  Object.defineProperty(globalThis, 'ferry', {
    value: Object.freeze(api),
    enumerable: true,
    configurable: false,
    writable: false,
  });
  Object.defineProperty(globalThis, '__ferryEmit', {
    value: (event: string, json: string) => {
      const payload = JSON.parse(json) as unknown;
      for (const listener of listeners.get(event) ?? []) {
        try {
          listener(payload);
        } catch (error) {
          console.error(error);
        }
      }
    },
    enumerable: false,
    configurable: false,
    writable: false,
  });
}

export interface BridgeOptions {
  /** Where pins and recent connections live for this run. */
  dataDir: string;
  connectClient?: ConnectClient;
  secretCipher?: StringCipher;
  /** The URL Ferry is "opened with" (as on its command line): pre-fills the connect bar. */
  launchUrl?: string;
  /**
   * Stands in for main's native file dialogs (Electron's `dialog`): tests answer it. Without it
   * the bridge has none, and an export with passwords cannot choose a file.
   */
  pickFile?: BackendOptions['pickFile'];
  /** The backoff before reconnect attempts. */
  reconnectDelaysMs?: readonly number[];
}

export interface Bridge {
  backend: Backend;
  /** Resolves once every event sent so far has reached the page. */
  flush(): Promise<void>;
  dispose(): Promise<void>;
}

/** Connects a page to a fresh backend. Call before `page.goto(APP_URL)`. */
export async function installBridge(page: Page, options: BridgeOptions): Promise<Bridge> {
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  let launchPrefill = (options.launchUrl && parseLaunchUrl(options.launchUrl)) || null;
  const emit = <E extends EventName>(event: E, payload: Events[E]): void => {
    if (closed) return;
    chain = chain.then(() =>
      page
        .evaluate(
          ([name, json]) =>
            (
              globalThis as unknown as { __ferryEmit?: (n: string, p: string) => void }
            ).__ferryEmit?.(name, json),
          [event, JSON.stringify(payload)] as const,
        )
        .catch(() => undefined),
    );
  };
  const backend = createBackend({
    dataDir: options.dataDir,
    emit,
    connectClient: options.connectClient ?? connectFtps,
    ...(options.reconnectDelaysMs ? { reconnectDelaysMs: options.reconnectDelaysMs } : {}),
    runtime: 'bridge',
    version: process.env.npm_package_version ?? '0.0.0',
    platform: process.platform,
    // Stands in for Electron's safeStorage: the key lives as long as this backend (page reloads).
    secretCipher: options.secretCipher ?? aesGcmCipher(),
    ...(options.pickFile ? { pickFile: options.pickFile } : {}),
    takeLaunchPrefill: () => {
      const prefill = launchPrefill;
      launchPrefill = null;
      return prefill;
    },
  });
  const trusted = (frame: { url(): string }): boolean => {
    try {
      return new URL(frame.url()).origin === APP_ORIGIN;
    } catch {
      return false;
    }
  };
  await page.exposeBinding(
    '__ferryInvoke',
    async (source, name: unknown, json: unknown): Promise<string> => {
      if (source.frame !== page.mainFrame() || !trusted(source.frame)) {
        return JSON.stringify({
          ok: false,
          error: { kind: 'usage', step: String(name), reason: 'untrusted sender' },
        });
      }
      let args: unknown;
      try {
        args = typeof json === 'string' ? (JSON.parse(json) as unknown) : undefined;
      } catch {
        args = undefined;
      }
      return JSON.stringify(await backend.dispatch(name, args));
    },
  );
  await page.exposeBinding('__ferryStage', async (source, name: unknown, base64: unknown) => {
    if (source.frame !== page.mainFrame() || !trusted(source.frame))
      throw new Error('untrusted sender');
    if (typeof name !== 'string' || typeof base64 !== 'string') throw new Error('bad arguments');
    return backend.localFs.stage(name, Buffer.from(base64, 'base64'));
  });
  // `npm run preview` runs this file through tsx, whose esbuild keepNames wraps nested functions
  // in `__name(…)`; functions serialized into the page need that helper there too.
  await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  await page.addInitScript(defineFerryApi, {
    commands: [...COMMAND_NAMES],
    events: [...EVENT_NAMES],
  });
  page.on('close', () => {
    closed = true;
  });
  return {
    backend,
    flush: () => chain,
    async dispose() {
      await backend.dispose();
      closed = true;
      await chain;
    },
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
