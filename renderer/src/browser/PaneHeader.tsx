import { ArrowUpFromLine, FolderPlus, Pencil, RefreshCw, Trash2 } from 'lucide-react';
import type { PaneSide } from '../../../shared/ipc';
import type { RemoteEntry } from '../../../shared/models';
import { useStore } from '../app/store';
import { IconButton } from '../ui/IconButton';
import { deleteEntries, goUp, makeFolder, refresh, renameEntry } from './actions';

/** A pane's title (Local / the server) and its tools. */
export function PaneHeader({
  side,
  remoteOff,
  selectedEntries,
}: {
  side: PaneSide;
  remoteOff: boolean;
  selectedEntries: RemoteEntry[];
}) {
  const path = useStore((s) => s.panes[side].path);
  const loading = useStore((s) => s.panes[side].loading);
  const online = useStore(
    (s) => s.session.status === 'connected' || s.session.status === 'reconnecting',
  );
  const host = useStore((s) => s.session.target?.site?.name ?? s.session.target?.host);
  const title = side === 'local' ? 'This computer' : online ? (host ?? 'Server') : 'Server';
  return (
    <header className="pane-header">
      <div className="pane-title">
        <span className="pane-label">{side === 'local' ? 'Local' : 'Remote'}</span>
        <span className="pane-host">{title}</span>
      </div>
      <div className="pane-tools">
        <IconButton
          title="Up one folder (Backspace)"
          label="Up"
          disabled={remoteOff || !path}
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
          <RefreshCw size={15} className={loading ? 'spin' : ''} />
        </IconButton>
        <IconButton
          title="New folder"
          disabled={remoteOff || !path}
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
  );
}
