/** Selection in a file pane: click, Shift/Ctrl-click, arrow keys, type-to-select, shortcuts. */
import { useRef, type KeyboardEvent, type MouseEvent, type RefObject } from 'react';
import type { Virtualizer } from '@tanstack/react-virtual';
import type { PaneSide } from '../../../shared/ipc';
import type { RemoteEntry } from '../../../shared/models';
import { useStore } from '../app/store';
import { deleteEntries, goUp, refresh, renameEntry } from './actions';
import { PARENT, ROW_HEIGHT, typeAheadMatch } from './entries';
import type { PaneState } from './slice';

/** Typed letters within this time form one prefix for type-to-select. */
const TYPE_AHEAD_MS = 900;

interface PaneKeysOptions {
  side: PaneSide;
  pane: PaneState;
  rows: RemoteEntry[];
  selected: Set<string>;
  selectedEntries: RemoteEntry[];
  open: (entry: RemoteEntry) => void;
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  scrollRef: RefObject<HTMLDivElement | null>;
}

export function usePaneKeys(options: PaneKeysOptions) {
  const { side, pane, rows, selected, selectedEntries, open, virtualizer, scrollRef } = options;
  const setSelection = useStore((s) => s.setSelection);
  const anchor = useRef<string | undefined>(undefined);
  const typed = useRef({ text: '', at: 0 });

  const select = (event: MouseEvent | KeyboardEvent, name: string) => {
    const index = rows.findIndex((r) => r.name === name);
    if (event.shiftKey && anchor.current !== undefined) {
      const from = rows.findIndex((r) => r.name === anchor.current);
      const [a, b] = from < index ? [from, index] : [index, from];
      setSelection(
        side,
        rows
          .slice(Math.max(a, 0), b + 1)
          .map((r) => r.name)
          .filter((n) => n !== PARENT),
        name,
      );
      return;
    }
    if (event.ctrlKey || event.metaKey) {
      anchor.current = name;
      setSelection(
        side,
        selected.has(name) ? pane.selected.filter((n) => n !== name) : [...pane.selected, name],
        name,
      );
      return;
    }
    anchor.current = name;
    setSelection(side, [name], name);
  };

  const moveCursor = (event: KeyboardEvent, delta: number, absolute?: number) => {
    if (rows.length === 0) return;
    const current = rows.findIndex((r) => r.name === pane.cursor);
    const wanted = absolute ?? (current < 0 ? 0 : current + delta);
    const next = Math.min(rows.length - 1, Math.max(0, wanted));
    const entry = rows[next];
    if (!entry) return;
    select(event, entry.name);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  /** Moves the cursor to the first row starting with the letters typed; false for other keys. */
  const typeAhead = (event: KeyboardEvent): boolean => {
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return false;
    if (event.key === ' ' && typed.current.text === '') return false;
    const now = Date.now();
    const text = (now - typed.current.at < TYPE_AHEAD_MS ? typed.current.text : '') + event.key;
    typed.current = { text, at: now };
    const names = rows.map((r) => r.name);
    const match = typeAheadMatch(names, text, pane.cursor);
    if (match !== undefined) {
      setSelection(side, [match], match);
      anchor.current = match;
      virtualizer.scrollToIndex(names.indexOf(match), { align: 'auto' });
    }
    return true;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const cursorEntry = rows.find((r) => r.name === pane.cursor);
    const cursorItem = cursorEntry && cursorEntry.name !== PARENT ? cursorEntry : undefined;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    switch (event.key) {
      case 'ArrowDown':
        moveCursor(event, 1);
        break;
      case 'ArrowUp':
        moveCursor(event, -1);
        break;
      case 'PageDown':
        moveCursor(event, page);
        break;
      case 'PageUp':
        moveCursor(event, -page);
        break;
      case 'Home':
        moveCursor(event, 0, 0);
        break;
      case 'End':
        moveCursor(event, 0, rows.length - 1);
        break;
      case 'Enter':
        if (cursorEntry) open(cursorEntry);
        break;
      case 'Backspace':
        void goUp(side);
        break;
      case 'F2':
        if (cursorItem) void renameEntry(side, cursorItem.name);
        break;
      case 'Delete':
        void deleteEntries(
          side,
          selectedEntries.length > 0 ? selectedEntries : cursorItem ? [cursorItem] : [],
        );
        break;
      case 'F5':
        void refresh(side);
        break;
      case 'a':
        if (event.ctrlKey || event.metaKey)
          setSelection(
            side,
            rows.map((r) => r.name).filter((n) => n !== PARENT),
          );
        else if (!typeAhead(event)) return;
        break;
      default:
        if (!typeAhead(event)) return;
    }
    event.preventDefault();
  };

  return { select, onKeyDown };
}
