/**
 * Renderer events that are not state: "focus the connect bar", "fill the connect bar with this
 * server". A component that owns the thing acted on listens; actions emit. (They used to be tick
 * counters in the store that components watched.)
 */
import type { RecentConnection } from '../../../shared/ipc';

export interface UiEvents {
  /** Ctrl+N, the menu's New connection: the connect bar takes focus. */
  focusConnect: undefined;
  /** A launch URL, a recent connection or the session's server goes into the connect bar. */
  prefillConnect: { connection: RecentConnection; focus: boolean };
}

type Listener<K extends keyof UiEvents> = (payload: UiEvents[K]) => void;

const listeners: { [K in keyof UiEvents]: Set<Listener<K>> } = {
  focusConnect: new Set(),
  prefillConnect: new Set(),
};

/** Subscribes; returns the unsubscribe function (fits `useEffect`'s cleanup). */
export function onUiEvent<K extends keyof UiEvents>(name: K, listener: Listener<K>): () => void {
  listeners[name].add(listener);
  return () => listeners[name].delete(listener);
}

export function emitUiEvent<K extends keyof UiEvents>(name: K, payload: UiEvents[K]): void {
  for (const listener of listeners[name]) listener(payload);
}
