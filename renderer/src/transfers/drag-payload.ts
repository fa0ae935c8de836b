import type { PaneSide } from '../../../shared/ipc';

/** The data type of entries dragged from a pane (to the other pane, a folder row or the queue). */
export const DRAG_TYPE = 'application/x-ferry-entries';

export interface DragPayload {
  side: PaneSide;
  names: string[];
}

/** Reads a drag payload; anything malformed (another app's data) is no payload. */
export function parseDragPayload(text: string): DragPayload | undefined {
  try {
    const value = JSON.parse(text) as Partial<DragPayload>;
    if (
      (value.side === 'local' || value.side === 'remote') &&
      Array.isArray(value.names) &&
      value.names.every((n) => typeof n === 'string')
    )
      return { side: value.side, names: value.names };
  } catch {
    // Not ours.
  }
  return undefined;
}
