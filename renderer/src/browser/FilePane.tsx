import { useMemo, useRef, useState, type CSSProperties } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { AlertCircle, CloudOff, FolderOpen, Loader2 } from 'lucide-react';
import type { PaneSide } from '../../../shared/ipc';
import type { RemoteEntry } from '../../../shared/models';
import { useStore } from '../app/store';
import { ReconnectBanner } from '../connection/ReconnectBanner';
import { formatBytes, plural } from '../lib/format';
import { ContextMenu } from '../ui/ContextMenu';
import { openEntry, parentPath, refresh, sep } from './actions';
import { PARENT, parentRow, ROW_HEIGHT, sortEntries } from './entries';
import { FileColumns } from './FileColumns';
import { FileRow } from './FileRow';
import { PaneHeader } from './PaneHeader';
import { paneMenuItems } from './paneMenu';
import { PathBar } from './PathBar';
import type { SortKey } from './slice';
import { usePaneDrop } from './usePaneDrop';
import { usePaneKeys } from './usePaneKeys';
import { useRowHandlers } from './useRowHandlers';

interface MenuState {
  x: number;
  y: number;
  entry?: RemoteEntry;
}

/** The rows a pane shows: hidden files per the setting, sorted, `..` first where there is one. */
function useRows(side: PaneSide) {
  const pane = useStore((s) => s.panes[side]);
  const showHidden = useStore((s) => s.settings.showHiddenFiles);
  const hasParent = pane.path !== '' && parentPath(side, pane.path) !== pane.path;
  const rows = useMemo(() => {
    const sorted = sortEntries(
      showHidden ? pane.entries : pane.entries.filter((e) => !e.name.startsWith('.')),
      pane.sort.key,
      pane.sort.descending,
    );
    return hasParent ? [parentRow(), ...sorted] : sorted;
  }, [pane.entries, pane.sort, showHidden, hasParent]);
  return { pane, rows, itemCount: hasParent ? rows.length - 1 : rows.length };
}

/** One file pane (local or remote): header, path, a virtualized grid of entries, a footer. */
export function FilePane({ side }: { side: PaneSide }) {
  const { pane, rows, itemCount } = useRows(side);
  const connected = useStore((s) => s.session.status === 'connected');
  // While reconnecting the remote pane keeps its folder and selection, greyed under a banner.
  const reconnecting = useStore((s) => s.session.status === 'reconnecting');
  const active = useStore((s) => s.activePane === side);
  const setActive = useStore((s) => s.setActivePane);
  const setSelection = useStore((s) => s.setSelection);
  const [menu, setMenu] = useState<MenuState | undefined>();
  const scrollRef = useRef<HTMLDivElement>(null);
  const columns = useStore((s) => s.layout.columns[side]);
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
  const drop = usePaneDrop(side, selected, remoteOff);

  const open = (entry: RemoteEntry) => openEntry(side, pane.path, entry);
  const keys = usePaneKeys({
    side,
    pane,
    rows,
    selected,
    selectedEntries,
    open,
    virtualizer,
    scrollRef,
  });
  const rowHandlers = useRowHandlers({ side, pane, drop, select: keys.select, open, setMenu });

  return (
    <section
      className={`pane ${active ? 'active' : ''} ${drop.dropping ? 'dropping' : ''} ${side === 'remote' && reconnecting ? 'reconnecting' : ''}`}
      aria-label={side === 'local' ? 'Local files' : 'Remote files'}
      data-testid={`${side}-pane`}
      data-drop-label={dropLabel(drop.dropFolder)}
      onFocusCapture={() => setActive(side)}
      onMouseDown={() => setActive(side)}
      {...drop.paneProps}
    >
      <PaneHeader side={side} remoteOff={remoteOff} selectedEntries={selectedEntries} />
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
          <FileColumns
            side={side}
            keys={
              ['name', 'size', 'modified', ...(showPermissions ? ['permissions'] : [])] as SortKey[]
            }
          />
        ) : null}
        {remoteOff ? (
          <NotConnected />
        ) : pane.error ? (
          <ListError side={side} error={pane.error} />
        ) : (
          <div
            ref={scrollRef}
            className="file-body"
            {...(rows.length > 0 ? { role: 'rowgroup' } : {})}
            aria-label={`${side} entries`}
            tabIndex={0}
            data-testid={`${side}-list`}
            onKeyDown={keys.onKeyDown}
            onContextMenu={(event) => {
              event.preventDefault();
              setMenu({ x: event.clientX, y: event.clientY });
            }}
            onClick={(event) => {
              if (event.target === event.currentTarget) setSelection(side, []);
            }}
          >
            {itemCount === 0 && !pane.loading ? (
              <EmptyFolder side={side} total={pane.entries.length} shown={itemCount} />
            ) : null}
            <div style={{ height: virtualizer.getTotalSize() }} className="file-rows">
              {virtualizer.getVirtualItems().map((item) => {
                const entry = rows[item.index];
                if (!entry) return null;
                return (
                  <FileRow
                    key={entry.name}
                    entry={entry}
                    index={item.index}
                    top={item.start}
                    isSelected={selected.has(entry.name)}
                    isCursor={pane.cursor === entry.name}
                    isDropTarget={drop.dropFolder === entry.name}
                    showPermissions={showPermissions}
                    handlers={rowHandlers}
                  />
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
      <PaneFooter remoteOff={remoteOff} itemCount={itemCount} selectedEntries={selectedEntries} />
      {menu ? (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          onClose={() => setMenu(undefined)}
          items={paneMenuItems(side, menu.entry, selectedEntries, open)}
        />
      ) : null}
    </section>
  );
}

function NotConnected() {
  return (
    <div className="empty-state">
      <CloudOff size={36} strokeWidth={1.4} />
      <h3>Not connected</h3>
      <p>
        Enter a host above and press Connect. Ferry checks the server’s certificate before it sends
        your password.
      </p>
    </div>
  );
}

function ListError({ side, error }: { side: PaneSide; error: string }) {
  return (
    <div className="empty-state error">
      <AlertCircle size={36} strokeWidth={1.4} />
      <h3>Could not open this folder</h3>
      <p>{error}</p>
      <button type="button" className="button" onClick={() => void refresh(side)}>
        Try again
      </button>
    </div>
  );
}

function EmptyFolder({ side, total, shown }: { side: PaneSide; total: number; shown: number }) {
  return (
    <div className="empty-state small">
      <FolderOpen size={30} strokeWidth={1.4} />
      <p>
        {total > shown
          ? `Only hidden items here (${total}). Show them in Settings.`
          : side === 'remote'
            ? 'This folder is empty. Drop files here to upload them.'
            : 'This folder is empty.'}
      </p>
    </div>
  );
}

function dropLabel(dropFolder: string | undefined): string {
  if (dropFolder === undefined) return 'Drop to transfer here';
  return dropFolder === PARENT ? 'Drop into the parent folder' : `Drop into “${dropFolder}”`;
}

/** Items shown, and the count and size of the selection. */
function PaneFooter({
  remoteOff,
  itemCount,
  selectedEntries,
}: {
  remoteOff: boolean;
  itemCount: number;
  selectedEntries: RemoteEntry[];
}) {
  return (
    <footer className="pane-footer">
      {remoteOff ? '—' : plural(itemCount, 'item')}
      {selectedEntries.length > 0 ? ` · ${selectedEntries.length.toLocaleString()} selected` : ''}
      {selectedEntries.length > 0
        ? ` · ${formatBytes(selectedEntries.reduce((sum, e) => sum + (e.kind === 'file' ? (e.size ?? 0) : 0), 0))}`
        : ''}
    </footer>
  );
}
