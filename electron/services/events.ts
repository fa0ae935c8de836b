import type { EventName, Events } from '../../shared/ipc';

/** Sends an event to the renderer: the IPC binding in Electron, `page.evaluate` in the bridge. */
export type EmitEvent = <E extends EventName>(event: E, payload: Events[E]) => void;
