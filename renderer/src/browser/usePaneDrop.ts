/**
 * Drag and drop for a file pane: the whole selection drags; the pane and its folder rows take
 * drops from the other pane, and the remote pane takes files from the OS.
 */
import { useState, type DragEvent } from 'react';
import type { PaneSide } from '../../../shared/ipc';
import type { RemoteEntry } from '../../../shared/models';
import { state, useStore } from '../app/store';
import { joinPath, parentPath, pathsOfDroppedFiles, transferEntries, uploadPaths } from './actions';
import { DRAG_TYPE, parseDragPayload, type DragPayload } from '../transfers/drag-payload';
import { dragSource, PARENT } from './entries';

export function usePaneDrop(side: PaneSide, selected: Set<string>, remoteOff: boolean) {
  const setSelection = useStore((s) => s.setSelection);
  const [dropping, setDropping] = useState(false);
  const [dropFolder, setDropFolder] = useState<string | undefined>();

  const onDragStart = (event: DragEvent, entry: RemoteEntry) => {
    const names = selected.has(entry.name)
      ? state().panes[side].selected.filter((n) => n !== PARENT)
      : [entry.name];
    if (!selected.has(entry.name)) setSelection(side, [entry.name], entry.name);
    const payload: DragPayload = { side, names };
    event.dataTransfer.setData(DRAG_TYPE, JSON.stringify(payload));
    dragSource.side = side;
    dragSource.active = true;
    if (names.length > 1) {
      // The drag image says how many items travel (the browser shows only the pressed row).
      const ghost = document.createElement('div');
      ghost.className = 'drag-ghost';
      ghost.textContent = `${names.length} items`;
      document.body.appendChild(ghost);
      event.dataTransfer.setDragImage(ghost, 12, 12);
      setTimeout(() => ghost.remove(), 0);
    }
    event.dataTransfer.effectAllowed = 'copy';
  };

  const accepts = (event: DragEvent): boolean => {
    const types = Array.from(event.dataTransfer.types);
    if (types.includes(DRAG_TYPE)) return true;
    return side === 'remote' && types.includes('Files');
  };

  /** Whether a drag from the other pane (or the OS, onto the server) is over this pane. */
  const fromElsewhere = (event: DragEvent): boolean => {
    if (remoteOff || !accepts(event)) return false;
    // The drag source is only readable on drop; dragging within one pane shows no target.
    return !(dragSource.side === side && dragSource.active);
  };

  /** Drops into the folder shown, or into `folder` (a folder row) of it. */
  const onDrop = async (event: DragEvent, folder?: string) => {
    event.preventDefault();
    event.stopPropagation();
    setDropping(false);
    setDropFolder(undefined);
    const path = state().panes[side].path;
    const target =
      folder === undefined
        ? undefined
        : folder === PARENT
          ? parentPath(side, path)
          : joinPath(side, path, folder);
    const internal = event.dataTransfer.getData(DRAG_TYPE);
    if (internal) {
      const payload = parseDragPayload(internal);
      if (!payload || payload.side === side) return;
      const source = state().panes[payload.side];
      const entries = source.entries.filter((e) => payload.names.includes(e.name));
      await transferEntries(payload.side, entries, target);
      return;
    }
    if (side !== 'remote') return;
    const paths = await pathsOfDroppedFiles(Array.from(event.dataTransfer.files));
    await uploadPaths(paths.filter(Boolean), target);
  };

  /** The pane itself: a drop target for the folder it shows. */
  const paneProps = {
    onDragOver: (event: DragEvent) => {
      if (!fromElsewhere(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      if (!dropping) setDropping(true);
      if (dropFolder !== undefined) setDropFolder(undefined);
    },
    onDragLeave: (event: DragEvent) => {
      if (!event.currentTarget.contains(event.relatedTarget as Node | null)) {
        setDropping(false);
        setDropFolder(undefined);
      }
    },
    onDrop: (event: DragEvent) => void onDrop(event),
  };

  return {
    paneProps,
    dropping,
    setDropping,
    dropFolder,
    setDropFolder,
    onDragStart,
    fromElsewhere,
    onDrop,
  };
}
