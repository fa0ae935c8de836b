/** What the rows of a file pane do with the mouse and drags. */
import { useRef, type KeyboardEvent, type MouseEvent } from 'react';
import type { PaneSide } from '../../../shared/ipc';
import type { RemoteEntry } from '../../../shared/models';
import { useStore } from '../app/store';
import { PARENT } from './entries';
import type { RowHandlers } from './FileRow';
import type { PaneState } from './slice';
import type { usePaneDrop } from './usePaneDrop';

export function useRowHandlers({
  side,
  pane,
  drop,
  select,
  open,
  setMenu,
}: {
  side: PaneSide;
  pane: PaneState;
  drop: ReturnType<typeof usePaneDrop>;
  select: (event: MouseEvent | KeyboardEvent, name: string) => void;
  open: (entry: RemoteEntry) => void;
  setMenu: (menu: { x: number; y: number; entry?: RemoteEntry }) => void;
}): RowHandlers {
  const setSelection = useStore((s) => s.setSelection);
  /** A press on a selected row: the selection collapses on release unless a drag started. */
  const pendingClick = useRef<string | undefined>(undefined);
  return {
    onDragStart: (event, entry) => {
      pendingClick.current = undefined;
      drop.onDragStart(event, entry);
    },
    onFolderDragOver: (event, entry) => {
      if (!drop.fromElsewhere(event)) return;
      event.preventDefault();
      event.stopPropagation();
      event.dataTransfer.dropEffect = 'copy';
      if (drop.dropFolder !== entry.name) drop.setDropFolder(entry.name);
      if (!drop.dropping) drop.setDropping(true);
    },
    onFolderDragLeave: (entry) => drop.setDropFolder((f) => (f === entry.name ? undefined : f)),
    onFolderDrop: (event, entry) => void drop.onDrop(event, entry.name),
    onMouseDown: (event, entry, isSelected) => {
      const plain = !event.shiftKey && !event.ctrlKey && !event.metaKey;
      // Pressing on a selected row keeps the selection, so all of it can be dragged.
      if (event.button === 0 && plain && isSelected && pane.selected.length > 1) {
        pendingClick.current = entry.name;
        setSelection(side, pane.selected, entry.name);
      } else if (event.button === 0) select(event, entry.name);
      else if (event.button === 2 && !isSelected) select(event, entry.name);
    },
    onClick: (event, entry) => {
      if (pendingClick.current === entry.name) select(event, entry.name);
      pendingClick.current = undefined;
    },
    onOpen: open,
    onContextMenu: (event: MouseEvent, entry) => {
      event.preventDefault();
      event.stopPropagation();
      setMenu({ x: event.clientX, y: event.clientY, ...(entry.name === PARENT ? {} : { entry }) });
    },
  };
}
