import { IconButton } from './IconButton';
import {
  useMemo,
  useRef,
  useState,
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
import type { RemoteEntry } from '../../../shared/models';
import { ferry } from '../api';
import {
  deleteEntries,
  goUp,
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
import { FileIcon } from './FileIcon';
import { PathBar } from './PathBar';

const ROW_HEIGHT = 28;
const DRAG_TYPE = 'application/x-ferry-entries';

interface DragPayload {
  side: PaneSide;
  names: string[];
}

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
  const host = useStore((s) => s.session.target?.host);
  const active = useStore((s) => s.activePane === side);
  const setActive = useStore((s) => s.setActivePane);
  const setSort = useStore((s) => s.setSort);
  const setSelection = useStore((s) => s.setSelection);
  const [menu, setMenu] = useState<MenuState | undefined>();
  const [dropping, setDropping] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const anchor = useRef<string | undefined>(undefined);

  const showHidden = useSites((s) => s.settings.showHiddenFiles);
  const rows = useMemo(
    () =>
      sortEntries(
        showHidden ? pane.entries : pane.entries.filter((e) => !e.name.startsWith('.')),
        pane.sort.key,
        pane.sort.descending,
      ),
    [pane.entries, pane.sort, showHidden],
  );
  const selected = useMemo(() => new Set(pane.selected), [pane.selected]);
  // The virtualizer returns functions React Compiler cannot memoize; that is expected here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  const remoteOff = side === 'remote' && !connected;
  const showPermissions = side === 'remote';
  const selectedEntries = rows.filter((r) => selected.has(r.name));
  const otherSide: PaneSide = side === 'local' ? 'remote' : 'local';

  const open = (entry: RemoteEntry) => {
    if (entry.kind === 'dir' || (entry.kind === 'link' && side === 'remote')) {
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
        rows.slice(Math.max(a, 0), b + 1).map((r) => r.name),
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
        if (cursorEntry) void renameEntry(side, cursorEntry.name);
        break;
      case 'Delete':
        void deleteEntries(
          side,
          selectedEntries.length > 0 ? selectedEntries : cursorEntry ? [cursorEntry] : [],
        );
        break;
      case 'F5':
        void refresh(side);
        break;
      case 'a':
        if (event.ctrlKey || event.metaKey)
          setSelection(
            side,
            rows.map((r) => r.name),
          );
        else return;
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const onDragStart = (event: DragEvent, entry: RemoteEntry) => {
    const names = selected.has(entry.name) ? pane.selected : [entry.name];
    if (!selected.has(entry.name)) setSelection(side, [entry.name], entry.name);
    const payload: DragPayload = { side, names };
    event.dataTransfer.setData(DRAG_TYPE, JSON.stringify(payload));
    event.dataTransfer.effectAllowed = 'copy';
  };

  const accepts = (event: DragEvent): boolean => {
    const types = Array.from(event.dataTransfer.types);
    if (types.includes(DRAG_TYPE)) return true;
    return side === 'remote' && types.includes('Files');
  };

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDropping(false);
    const internal = event.dataTransfer.getData(DRAG_TYPE);
    if (internal) {
      const payload = JSON.parse(internal) as DragPayload;
      if (payload.side === side) return;
      const source = useStore.getState().panes[payload.side];
      const entries = source.entries.filter((e) => payload.names.includes(e.name));
      await transferEntries(payload.side, entries);
      return;
    }
    if (side !== 'remote') return;
    const files = Array.from(event.dataTransfer.files);
    const paths = await Promise.all(files.map((file) => ferry.pathForFile(file)));
    await uploadPaths(paths.filter(Boolean));
  };

  const title = side === 'local' ? 'This computer' : connected ? (host ?? 'Server') : 'Server';

  return (
    <section
      className={`pane ${active ? 'active' : ''} ${dropping ? 'dropping' : ''}`}
      aria-label={side === 'local' ? 'Local files' : 'Remote files'}
      data-testid={`${side}-pane`}
      onFocusCapture={() => setActive(side)}
      onMouseDown={() => setActive(side)}
      onDragOver={(event) => {
        if (remoteOff || !accepts(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        if (!dropping) setDropping(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropping(false);
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
      {remoteOff ? null : (
        <PathBar
          key={pane.path}
          side={side}
          path={pane.path}
          sep={side === 'remote' ? '/' : sep()}
        />
      )}
      <div className={`file-table ${showPermissions ? 'with-perms' : ''}`}>
        <div className="file-head" role="row">
          {(
            ['name', 'size', 'modified', ...(showPermissions ? ['permissions'] : [])] as SortKey[]
          ).map((key) => (
            <button
              key={key}
              type="button"
              role="columnheader"
              className={`col col-${key} ${pane.sort.key === key ? 'sorted' : ''}`}
              aria-sort={
                pane.sort.key === key ? (pane.sort.descending ? 'descending' : 'ascending') : 'none'
              }
              onClick={() => setSort(side, key)}
            >
              {key === 'name'
                ? 'Name'
                : key === 'size'
                  ? 'Size'
                  : key === 'modified'
                    ? 'Modified'
                    : 'Permissions'}
              {pane.sort.key === key ? (
                pane.sort.descending ? (
                  <ArrowDown size={12} />
                ) : (
                  <ArrowUp size={12} />
                )
              ) : null}
            </button>
          ))}
        </div>
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
            role="grid"
            aria-label={`${side} entries`}
            aria-multiselectable="true"
            aria-rowcount={rows.length}
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
            {rows.length === 0 && !pane.loading ? (
              <div className="empty-state small">
                <FolderOpen size={30} strokeWidth={1.4} />
                <p>
                  {pane.entries.length > rows.length
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
                return (
                  <div
                    key={entry.name}
                    role="row"
                    aria-rowindex={item.index + 1}
                    aria-selected={isSelected}
                    data-name={entry.name}
                    className={`file-row ${isSelected ? 'selected' : ''} ${pane.cursor === entry.name ? 'cursor' : ''}`}
                    style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                    draggable
                    onDragStart={(event) => onDragStart(event, entry)}
                    onMouseDown={(event) => {
                      if (event.button === 0) select(event, entry.name);
                      else if (event.button === 2 && !isSelected) select(event, entry.name);
                    }}
                    onDoubleClick={() => open(entry)}
                    onContextMenu={(event) => {
                      event.preventDefault();
                      event.stopPropagation();
                      setMenu({ x: event.clientX, y: event.clientY, entry });
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
        {remoteOff ? '—' : plural(rows.length, 'item')}
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
