/**
 * The sandboxed preload under Node with a stand-in contextBridge and ipcRenderer: it exposes one
 * frozen object with a function per contract command and `on`/`pathForFile`, never ipcRenderer
 * itself, and event listeners receive the payload only.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, commandChannel, eventChannel, type FerryApi } from '../../shared/ipc';

const exposed = new Map<string, unknown>();
const invoked: unknown[][] = [];
const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
const pathsAsked: unknown[] = [];

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      invoked.push(args);
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) =>
      listeners.get(channel)?.delete(listener),
  },
  webUtils: {
    getPathForFile: (file: unknown) => {
      pathsAsked.push(file);
      return '/home/u/dropped.txt';
    },
  },
}));

let api: FerryApi;

beforeAll(async () => {
  await import('./index');
  api = exposed.get('ferry') as FerryApi;
});

describe('preload', () => {
  it('exposes one frozen object: the commands, on and pathForFile, nothing else', () => {
    expect([...exposed.keys()]).toEqual(['ferry']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual([...COMMAND_NAMES, 'on', 'pathForFile'].sort());
    for (const leak of ['invoke', 'send', 'sendSync', 'ipcRenderer', 'removeListener']) {
      expect(leak in api, leak).toBe(false);
    }
  });

  it('turns a command call into an invoke on that command channel only', async () => {
    await api.listRemote('/pub');
    await api.exportSites(null, true);
    expect(invoked).toEqual([
      [commandChannel('listRemote'), '/pub'],
      [commandChannel('exportSites'), null, true],
    ]);
  });

  it('hands event listeners the payload only, and unsubscribes the same listener', () => {
    const received: unknown[][] = [];
    const off = api.on('log', (...args: unknown[]) => void received.push(args));
    const channel = eventChannel('log');
    expect(listeners.get(channel)?.size).toBe(1);
    const ipcEvent = { sender: { send() {} }, ports: [] };
    for (const listener of listeners.get(channel) ?? []) listener(ipcEvent, [{ text: 'x' }]);
    expect(received).toEqual([[[{ text: 'x' }]]]);
    off();
    expect(listeners.get(channel)?.size).toBe(0);
  });

  it('refuses unknown events and listeners that are not functions', () => {
    expect(() => api.on('bogus' as never, () => undefined)).toThrow(/Unknown event/);
    expect(() => api.on('log', 'nope' as never)).toThrow(/must be a function/);
  });

  it('asks webUtils for a dropped file path', async () => {
    const file = {
      name: 'dropped.txt',
      size: 1,
      arrayBuffer: () => Promise.resolve(new ArrayBuffer(1)),
    };
    expect(await api.pathForFile(file)).toBe('/home/u/dropped.txt');
    expect(pathsAsked).toEqual([file]);
  });
});
