import type { DragEvent, MouseEvent } from 'react';
import type { RemoteEntry } from '../../../shared/models';
import { formatBytes, formatDate } from '../lib/format';
import { dragSource, PARENT, ROW_HEIGHT } from './entries';
import { FileIcon } from './FileIcon';

export interface RowHandlers {
  onDragStart: (event: DragEvent, entry: RemoteEntry) => void;
  /** A drag over a folder row: whether it is a drop target here. */
  onFolderDragOver: (event: DragEvent, entry: RemoteEntry) => void;
  onFolderDragLeave: (entry: RemoteEntry) => void;
  onFolderDrop: (event: DragEvent, entry: RemoteEntry) => void;
  onMouseDown: (event: MouseEvent, entry: RemoteEntry, isSelected: boolean) => void;
  onClick: (event: MouseEvent, entry: RemoteEntry) => void;
  onOpen: (entry: RemoteEntry) => void;
  onContextMenu: (event: MouseEvent, entry: RemoteEntry) => void;
}

/** One row of a file pane (virtualized: placed at `top`). */
export function FileRow({
  entry,
  index,
  top,
  isSelected,
  isCursor,
  isDropTarget,
  showPermissions,
  handlers,
}: {
  entry: RemoteEntry;
  index: number;
  top: number;
  isSelected: boolean;
  isCursor: boolean;
  isDropTarget: boolean;
  showPermissions: boolean;
  handlers: RowHandlers;
}) {
  const isParent = entry.name === PARENT;
  const folderTarget = entry.kind === 'dir';
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={isSelected}
      data-name={entry.name}
      data-drop-target={isDropTarget ? 'true' : undefined}
      className={`file-row ${isSelected ? 'selected' : ''} ${isCursor ? 'cursor' : ''} ${isDropTarget ? 'drop-target' : ''} ${isParent ? 'parent-row' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      draggable={!isParent}
      onDragStart={(event) => handlers.onDragStart(event, entry)}
      onDragEnd={() => {
        dragSource.active = false;
      }}
      onDragOver={(event) => {
        if (folderTarget) handlers.onFolderDragOver(event, entry);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null))
          handlers.onFolderDragLeave(entry);
      }}
      onDrop={folderTarget ? (event) => handlers.onFolderDrop(event, entry) : undefined}
      onMouseDown={(event) => handlers.onMouseDown(event, entry, isSelected)}
      onClick={(event) => handlers.onClick(event, entry)}
      onDoubleClick={() => handlers.onOpen(entry)}
      onContextMenu={(event) => handlers.onContextMenu(event, entry)}
    >
      <span role="gridcell" className="col col-name">
        <FileIcon entry={entry} />
        <span className="name-text">{entry.name}</span>
        {entry.linkTarget ? <span className="muted small"> → {entry.linkTarget}</span> : null}
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
}
