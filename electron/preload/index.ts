/**
 * The sandboxed preload (bundled as CommonJS). It exposes one small frozen object, `window.ferry`,
 * built from the shared contract: a named function per command and `on()` for events whose
 * listeners receive the payload only, never the IPC event.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  COMMAND_NAMES,
  commandChannel,
  eventChannel,
  isEventName,
  type CommandFunctions,
  type DroppedFile,
  type EventName,
  type Events,
  type FerryApi,
} from '../../shared/ipc';

function buildApi(): FerryApi {
  const commands: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of COMMAND_NAMES) {
    const channel = commandChannel(name);
    commands[name] = (...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
  }
  const api: FerryApi = {
    ...(commands as unknown as CommandFunctions),
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}`);
      if (typeof listener !== 'function') throw new Error('The listener must be a function');
      const channel = eventChannel(event);
      const wrapped = (_event: Electron.IpcRendererEvent, payload: Events[E]): void =>
        listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => {
        ipcRenderer.removeListener(channel, wrapped);
      };
    },
    pathForFile(file: DroppedFile): Promise<string> {
      // A DOM File crosses the context bridge intact; webUtils needs the real object.
      return Promise.resolve(webUtils.getPathForFile(file as unknown as File));
    },
  };
  return Object.freeze(api);
}

contextBridge.exposeInMainWorld('ferry', buildApi());
