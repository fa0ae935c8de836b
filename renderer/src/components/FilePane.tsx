import { IconButton } from './IconButton';
import {
  useEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type DragEvent,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
} from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  AlertCircle,
  ArrowDown,
  ArrowUp,
  ArrowUpFromLine,
  CloudOff,
  Download,
  FolderOpen,
  FolderPlus,
  Loader2,
  Pencil,
  RefreshCw,
  Trash2,
  Upload,
} from 'lucide-react';
import type { PaneSide } from '../../../shared/ipc';
import { describeError } from '../../../shared/errors';
import type { RemoteEntry } from '../../../shared/models';
import { ferry } from '../api';
import {
  disconnect,
  deleteEntries,
  goUp,
  parentPath,
  joinPath,
  makeFolder,
  navigate,
  refresh,
  renameEntry,
  sep,
  transferEntries,
  uploadPaths,
} from '../actions';
import { formatBytes, formatDate, plural } from '../format';
import { useSites } from '../sites';
import { useStore, type SortKey } from '../store';
import { commitLayout, saveSort, setLayoutLive, useLayout } from '../layout';
import { LAYOUT_LIMITS, type ColumnKey } from '../../../shared/layout';
import { FileIcon } from './FileIcon';
import { PathBar } from './PathBar';
import { Splitter } from './Splitter';
import { DRAG_TYPE, parseDragPayload, type DragPayload } from '../transfers/drag-payload';

const ROW_HEIGHT = 28;
/** The row that opens the parent folder, as in FileZilla and most file managers. */
const PARENT = '..';
/** Typed letters within this time form one prefix for type-to-select. */
const TYPE_AHEAD_MS = 900;

const COLUMN_LABELS: Record<SortKey, string> = {
  name: 'Name',
  size: 'Size',
  modified: 'Modified',
  permissions: 'Permissions',
};

function parentRow(): RemoteEntry {
  return { name: PARENT, kind: 'dir' };
}

/**
 * Type-to-select: the next row (after the cursor when the same letter is repeated) whose name
 * starts with what was typed, ignoring case.
 */
export function typeAheadMatch(
  names: string[],
  typed: string,
  cursor: string | undefined,
): string | undefined {
  const prefix = typed.toLocaleLowerCase();
  const repeated = prefix.length > 1 && [...prefix].every((c) => c === prefix[0]);
  const wanted = repeated ? prefix.slice(0, 1) : prefix;
  const start = cursor === undefined ? -1 : names.indexOf(cursor);
  // A new prefix may match the cursor row itself; a repeated letter cycles on to the next one.
  const from = repeated || prefix.length === 1 ? start + 1 : Math.max(start, 0);
  for (let i = 0; i < names.length; i++) {
    const name = names[(from + i) % names.length];
    if (name !== undefined && name !== PARENT && name.toLocaleLowerCase().startsWith(wanted))
      return name;
  }
  return undefined;
}

/** Which pane a drag started in (the payload itself is readable only on drop). */
const dragSource: { side?: PaneSide; active: boolean } = { active: false };

function sortEntries(entries: RemoteEntry[], key: SortKey, descending: boolean): RemoteEntry[] {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const factor = descending ? -1 : 1;
  const compare = (a: RemoteEntry, b: RemoteEntry): number => {
    switch (key) {
      case 'size':
        return (a.size ?? -1) - (b.size ?? -1);
      case 'modified':
        return (Date.parse(a.modified ?? '') || 0) - (Date.parse(b.modified ?? '') || 0);
      case 'permissions':
        return collator.compare(a.permissions ?? '', b.permissions ?? '');
      case 'name':
        return collator.compare(a.name, b.name);
    }
  };
  return entries
    .filter((e) => e.name !== '.' && e.name !== '..')
    .sort((a, b) => {
      const dirA = a.kind === 'dir' ? 0 : 1;
      const dirB = b.kind === 'dir' ? 0 : 1;
      if (dirA !== dirB) return dirA - dirB;
      return compare(a, b) * factor || collator.compare(a.name, b.name);
    });
}

interface MenuState {
  x: number;
  y: number;
  entry?: RemoteEntry;
}

export function FilePane({ side }: { side: PaneSide }) {
  const pane = useStore((s) => s.panes[side]);
  const connected = useStore((s) => s.session.status === 'connected');
  // While reconnecting the remote pane keeps its folder and selection, greyed under a banner.
  const reconnecting = useStore((s) => s.session.status === 'reconnecting');
  const host = useStore((s) => s.session.target?.site?.name ?? s.session.target?.host);
  const active = useStore((s) => s.activePane === side);
  const setActive = useStore((s) => s.setActivePane);
  const setSort = useStore((s) => s.setSort);
  const setSelection = useStore((s) => s.setSelection);
  const [menu, setMenu] = useState<MenuState | undefined>();
  const [dropping, setDropping] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const anchor = useRef<string | undefined>(undefined);

  const showHidden = useSites((s) => s.settings.showHiddenFiles);
  const hasParent = pane.path !== '' && parentPath(side, pane.path) !== pane.path;
  const rows = useMemo(() => {
    const sorted = sortEntries(
      showHidden ? pane.entries : pane.entries.filter((e) => !e.name.startsWith('.')),
      pane.sort.key,
      pane.sort.descending,
    );
    return hasParent ? [parentRow(), ...sorted] : sorted;
  }, [pane.entries, pane.sort, showHidden, hasParent]);
  const columns = useLayout((s) => s.layout.columns[side]);
  const [dropFolder, setDropFolder] = useState<string | undefined>();
  const typed = useRef({ text: '', at: 0 });
  /** A press on a selected row: the selection collapses on release unless a drag started. */
  const pendingClick = useRef<string | undefined>(undefined);
  const selected = useMemo(() => new Set(pane.selected), [pane.selected]);
  // The virtualizer returns functions React Compiler cannot memoize; that is expected here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  const remoteOff = side === 'remote' && !connected && !reconnecting;
  // A grid of entries, or a message in its place (not connected, could not list).
  const listShown = !remoteOff && !pane.error;
  const showPermissions = side === 'remote';
  const selectedEntries = rows.filter((r) => r.name !== PARENT && selected.has(r.name));
  const itemCount = hasParent ? rows.length - 1 : rows.length;
  const otherSide: PaneSide = side === 'local' ? 'remote' : 'local';

  const open = (entry: RemoteEntry) => {
    if (entry.name === PARENT) {
      void goUp(side);
    } else if (entry.kind === 'dir' || (entry.kind === 'link' && side === 'remote')) {
      void navigate(side, joinPath(side, pane.path, entry.name));
    } else {
      void transferEntries(side, [entry]);
    }
  };

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
        if (cursorEntry && cursorEntry.name !== PARENT) void renameEntry(side, cursorEntry.name);
        break;
      case 'Delete':
        void deleteEntries(
          side,
          selectedEntries.length > 0
            ? selectedEntries
            : cursorEntry && cursorEntry.name !== PARENT
              ? [cursorEntry]
              : [],
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

  const onDragStart = (event: DragEvent, entry: RemoteEntry) => {
    pendingClick.current = undefined;
    const names = selected.has(entry.name)
      ? pane.selected.filter((n) => n !== PARENT)
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
    const target =
      folder === undefined
        ? undefined
        : folder === PARENT
          ? parentPath(side, pane.path)
          : joinPath(side, pane.path, folder);
    const internal = event.dataTransfer.getData(DRAG_TYPE);
    if (internal) {
      const payload = parseDragPayload(internal);
      if (!payload || payload.side === side) return;
      const source = useStore.getState().panes[payload.side];
      const entries = source.entries.filter((e) => payload.names.includes(e.name));
      await transferEntries(payload.side, entries, target);
      return;
    }
    if (side !== 'remote') return;
    const files = Array.from(event.dataTransfer.files);
    const paths = await Promise.all(files.map((file) => ferry.pathForFile(file)));
    await uploadPaths(paths.filter(Boolean), target);
  };

  const resizeColumn = (key: ColumnKey, width: number) => {
    const all = useLayout.getState().layout.columns;
    setLayoutLive({ columns: { ...all, [side]: { ...all[side], [key]: width } } });
  };

  const title =
    side === 'local' ? 'This computer' : connected || reconnecting ? (host ?? 'Server') : 'Server';

  return (
    <section
      className={`pane ${active ? 'active' : ''} ${dropping ? 'dropping' : ''} ${side === 'remote' && reconnecting ? 'reconnecting' : ''}`}
      aria-label={side === 'local' ? 'Local files' : 'Remote files'}
      data-testid={`${side}-pane`}
      data-drop-label={
        dropFolder === undefined
          ? 'Drop to transfer here'
          : dropFolder === PARENT
            ? 'Drop into the parent folder'
            : `Drop into “${dropFolder}”`
      }
      onFocusCapture={() => setActive(side)}
      onMouseDown={() => setActive(side)}
      onDragOver={(event) => {
        if (!fromElsewhere(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        if (!dropping) setDropping(true);
        if (dropFolder !== undefined) setDropFolder(undefined);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) {
          setDropping(false);
          setDropFolder(undefined);
        }
      }}
      onDrop={(event) => void onDrop(event)}
    >
      <header className="pane-header">
        <div className="pane-title">
          <span className="pane-label">{side === 'local' ? 'Local' : 'Remote'}</span>
          <span className="pane-host">{title}</span>
        </div>
        <div className="pane-tools">
          <IconButton
            title="Up one folder (Backspace)"
            label="Up"
            disabled={remoteOff || !pane.path}
            onClick={() => void goUp(side)}
          >
            <ArrowUpFromLine size={15} />
          </IconButton>
          <IconButton
            title="Refresh (F5)"
            label="Refresh"
            disabled={remoteOff}
            onClick={() => void refresh(side)}
          >
            <RefreshCw size={15} className={pane.loading ? 'spin' : ''} />
          </IconButton>
          <IconButton
            title="New folder"
            disabled={remoteOff || !pane.path}
            onClick={() => void makeFolder(side)}
          >
            <FolderPlus size={15} />
          </IconButton>
          <IconButton
            title="Rename (F2)"
            label="Rename"
            disabled={selectedEntries.length !== 1}
            onClick={() => selectedEntries[0] && void renameEntry(side, selectedEntries[0].name)}
          >
            <Pencil size={15} />
          </IconButton>
          <IconButton
            title="Delete (Del)"
            label="Delete"
            disabled={selectedEntries.length === 0}
            onClick={() => void deleteEntries(side, selectedEntries)}
          >
            <Trash2 size={15} />
          </IconButton>
        </div>
      </header>
      {side === 'remote' && reconnecting ? <ReconnectBanner /> : null}
      {remoteOff ? null : (
        <PathBar
          key={pane.path}
          side={side}
          path={pane.path}
          sep={side === 'remote' ? '/' : sep()}
        />
      )}
      <div
        className={`file-table ${showPermissions ? 'with-perms' : ''}`}
        {...(listShown
          ? {
              role: 'grid',
              'aria-label': `${side} entries`,
              'aria-multiselectable': true,
              'aria-rowcount': rows.length + 1,
            }
          : {})}
        style={
          {
            '--cols': `minmax(96px, 1fr) ${columns.size}px ${columns.modified}px${showPermissions ? ` ${columns.permissions}px` : ''}`,
          } as CSSProperties
        }
      >
        {listShown ? (
          <div className="file-head" role="row">
            {(
              ['name', 'size', 'modified', ...(showPermissions ? ['permissions'] : [])] as SortKey[]
            ).map((key) => (
              <div
                key={key}
                role="columnheader"
                aria-label={COLUMN_LABELS[key]}
                className={`col col-${key} ${pane.sort.key === key ? 'sorted' : ''}`}
                aria-sort={
                  pane.sort.key === key
                    ? pane.sort.descending
                      ? 'descending'
                      : 'ascending'
                    : 'none'
                }
              >
                {key === 'name' ? null : (
                  <Splitter
                    orientation="vertical"
                    className="column-resizer"
                    label={`Resize the ${COLUMN_LABELS[key]} column`}
                    testId={`${side}-resize-${key}`}
                    value={columns[key]}
                    min={LAYOUT_LIMITS.column[0]}
                    max={LAYOUT_LIMITS.column[1]}
                    step={8}
                    perPixel={-1}
                    onChange={(width) => resizeColumn(key, width)}
                    onCommit={() => void commitLayout()}
                  />
                )}
                <button
                  type="button"
                  className="col-sort"
                  onClick={() => {
                    setSort(side, key);
                    void saveSort(side);
                  }}
                >
                  {COLUMN_LABELS[key]}
                  {pane.sort.key === key ? (
                    pane.sort.descending ? (
                      <ArrowDown size={12} aria-hidden="true" />
                    ) : (
                      <ArrowUp size={12} aria-hidden="true" />
                    )
                  ) : null}
                </button>
              </div>
            ))}
          </div>
        ) : null}
        {remoteOff ? (
          <div className="empty-state">
            <CloudOff size={36} strokeWidth={1.4} />
            <h3>Not connected</h3>
            <p>
              Enter a host above and press Connect. Ferry checks the server’s certificate before it
              sends your password.
            </p>
          </div>
        ) : pane.error ? (
          <div className="empty-state error">
            <AlertCircle size={36} strokeWidth={1.4} />
            <h3>Could not open this folder</h3>
            <p>{pane.error}</p>
            <button type="button" className="button" onClick={() => void refresh(side)}>
              Try again
            </button>
          </div>
        ) : (
          <div
            ref={scrollRef}
            className="file-body"
            {...(rows.length > 0 ? { role: 'rowgroup' } : {})}
            aria-label={`${side} entries`}
            tabIndex={0}
            data-testid={`${side}-list`}
            onKeyDown={onKeyDown}
            onContextMenu={(event) => {
              event.preventDefault();
              setMenu({ x: event.clientX, y: event.clientY });
            }}
            onClick={(event) => {
              if (event.target === event.currentTarget) setSelection(side, []);
            }}
          >
            {itemCount === 0 && !pane.loading ? (
              <div className="empty-state small">
                <FolderOpen size={30} strokeWidth={1.4} />
                <p>
                  {pane.entries.length > itemCount
                    ? `Only hidden items here (${pane.entries.length}). Show them in Settings.`
                    : side === 'remote'
                      ? 'This folder is empty. Drop files here to upload them.'
                      : 'This folder is empty.'}
                </p>
              </div>
            ) : null}
            <div style={{ height: virtualizer.getTotalSize() }} className="file-rows">
              {virtualizer.getVirtualItems().map((item) => {
                const entry = rows[item.index];
                if (!entry) return null;
                const isSelected = selected.has(entry.name);
                const isParent = entry.name === PARENT;
                const folderTarget = entry.kind === 'dir';
                return (
                  <div
                    key={entry.name}
                    role="row"
                    aria-rowindex={item.index + 2}
                    aria-selected={isSelected}
                    data-name={entry.name}
                    data-drop-target={dropFolder === entry.name ? 'true' : undefined}
                    className={`file-row ${isSelected ? 'selected' : ''} ${pane.cursor === entry.name ? 'cursor' : ''} ${dropFolder === entry.name ? 'drop-target' : ''} ${isParent ? 'parent-row' : ''}`}
                    style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                    draggable={!isParent}
                    onDragStart={(event) => onDragStart(event, entry)}
                    onDragEnd={() => {
                      dragSource.active = false;
                    }}
                    onDragOver={(event) => {
                      if (!folderTarget || !fromElsewhere(event)) return;
                      event.preventDefault();
                      event.stopPropagation();
                      event.dataTransfer.dropEffect = 'copy';
                      if (dropFolder !== entry.name) setDropFolder(entry.name);
                      if (!dropping) setDropping(true);
                    }}
                    onDragLeave={(event) => {
                      if (!event.currentTarget.contains(event.relatedTarget as Node | null))
                        setDropFolder((f) => (f === entry.name ? undefined : f));
                    }}
                    onDrop={folderTarget ? (event) => void onDrop(event, entry.name) : undefined}
                    onMouseDown={(event) => {
                      const plain = !event.shiftKey && !event.ctrlKey && !event.metaKey;
                      // Pressing on a selected row keeps the selection, so all of it can be dragged.
                      if (event.button === 0 && plain && isSelected && pane.selected.length > 1) {
                        pendingClick.current = entry.name;
                        useStore.getState().setSelection(side, pane.selected, entry.name);
                      } else if (event.button === 0) select(event, entry.name);
                      else if (event.button === 2 && !isSelected) select(event, entry.name);
                    }}
                    onClick={(event) => {
                      if (pendingClick.current === entry.name) select(event, entry.name);
                      pendingClick.current = undefined;
                    }}
                    onDoubleClick={() => open(entry)}
                    onContextMenu={(event) => {
                      event.preventDefault();
                      event.stopPropagation();
                      setMenu({
                        x: event.clientX,
                        y: event.clientY,
                        ...(isParent ? {} : { entry }),
                      });
                    }}
                  >
                    <span role="gridcell" className="col col-name">
                      <FileIcon entry={entry} />
                      <span className="name-text">{entry.name}</span>
                      {entry.linkTarget ? (
                        <span className="muted small"> → {entry.linkTarget}</span>
                      ) : null}
                    </span>
                    <span role="gridcell" className="col col-size">
                      {entry.kind === 'dir' ? '' : formatBytes(entry.size)}
                    </span>
                    <span role="gridcell" className="col col-modified">
                      {formatDate(entry.modified, entry.modifiedPrecision)}
                    </span>
                    {showPermissions ? (
                      <span role="gridcell" className="col col-permissions mono">
                        {entry.permissions ?? ''}
                      </span>
                    ) : null}
                  </div>
                );
              })}
            </div>
            {pane.loading && rows.length === 0 ? (
              <div className="empty-state small">
                <Loader2 size={24} className="spin" />
              </div>
            ) : null}
          </div>
        )}
      </div>
      <footer className="pane-footer">
        {remoteOff ? '—' : plural(itemCount, 'item')}
        {selectedEntries.length > 0 ? ` · ${selectedEntries.length.toLocaleString()} selected` : ''}
        {selectedEntries.length > 0
          ? ` · ${formatBytes(selectedEntries.reduce((sum, e) => sum + (e.kind === 'file' ? (e.size ?? 0) : 0), 0))}`
          : ''}
      </footer>
      {menu ? (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          onClose={() => setMenu(undefined)}
          items={[
            ...(menu.entry
              ? [
                  ...(menu.entry.kind === 'dir'
                    ? [
                        {
                          label: 'Open',
                          icon: <FolderOpen size={14} />,
                          run: () => menu.entry && open(menu.entry),
                        },
                      ]
                    : []),
                  {
                    label: side === 'local' ? 'Upload' : 'Download',
                    icon: side === 'local' ? <Upload size={14} /> : <Download size={14} />,
                    disabled: !connected || !useStore.getState().panes[otherSide].path,
                    run: () =>
                      void transferEntries(
                        side,
                        selectedEntries.length > 0
                          ? selectedEntries
                          : menu.entry
                            ? [menu.entry]
                            : [],
                      ),
                  },
                  {
                    label: 'Rename',
                    icon: <Pencil size={14} />,
                    hint: 'F2',
                    run: () => menu.entry && void renameEntry(side, menu.entry.name),
                  },
                  {
                    label: 'Delete',
                    icon: <Trash2 size={14} />,
                    hint: 'Del',
                    danger: true,
                    run: () =>
                      void deleteEntries(
                        side,
                        selectedEntries.length > 0
                          ? selectedEntries
                          : menu.entry
                            ? [menu.entry]
                            : [],
                      ),
                  },
                  'separator' as const,
                ]
              : []),
            {
              label: 'New folder',
              icon: <FolderPlus size={14} />,
              run: () => void makeFolder(side),
            },
            {
              label: 'Refresh',
              icon: <RefreshCw size={14} />,
              hint: 'F5',
              run: () => void refresh(side),
            },
          ]}
        />
      ) : null}
    </section>
  );
}

/** "Connection lost · Reconnecting in 3 s (attempt 1 of 5)" with Reconnect now and Cancel. */
function ReconnectBanner() {
  const reconnect = useStore((s) => s.session.reconnect);
  const error = useStore((s) => s.session.error);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const seconds = reconnect?.at
    ? Math.max(0, Math.ceil((Date.parse(reconnect.at) - now) / 1000))
    : undefined;
  return (
    <div className="reconnect-banner" role="status" data-testid="reconnect-banner">
      <Loader2 size={15} className="spin" aria-hidden="true" />
      <div className="reconnect-text">
        <strong>Connection lost.</strong>{' '}
        <span data-testid="reconnect-countdown">
          {seconds === undefined ? 'Reconnecting now…' : `Reconnecting in ${seconds} s`}
          {reconnect ? ` (attempt ${reconnect.attempt} of ${reconnect.attempts})` : ''}
        </span>
        {error ? <span className="muted small"> · {describeError(error)}</span> : null}
      </div>
      <button type="button" className="button small-button" onClick={() => void disconnect()}>
        Cancel
      </button>
    </div>
  );
}

interface MenuItem {
  label: string;
  icon: ReactNode;
  hint?: string;
  danger?: boolean;
  disabled?: boolean;
  run: () => void;
}

function ContextMenu({
  x,
  y,
  items,
  onClose,
}: {
  x: number;
  y: number;
  items: Array<MenuItem | 'separator'>;
  onClose: () => void;
}) {
  const left = Math.min(x, window.innerWidth - 220);
  const top = Math.min(y, window.innerHeight - items.length * 32 - 16);
  return (
    <div
      className="context-backdrop"
      onMouseDown={onClose}
      onContextMenu={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div
        className="context-menu"
        role="menu"
        style={{ left, top }}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
      >
        {items.map((item, index) =>
          item === 'separator' ? (
            <div key={`sep-${index}`} className="menu-separator" role="separator" />
          ) : (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              autoFocus={index === 0}
              disabled={item.disabled}
              className={`menu-item ${item.danger ? 'danger' : ''}`}
              onClick={() => {
                onClose();
                item.run();
              }}
            >
              {item.icon}
              <span>{item.label}</span>
              {item.hint ? <kbd>{item.hint}</kbd> : null}
            </button>
          ),
        )}
      </div>
    </div>
  );
}
