import { Download, FolderOpen, FolderPlus, Pencil, RefreshCw, Trash2, Upload } from 'lucide-react';
import type { PaneSide } from '../../../shared/ipc';
import type { RemoteEntry } from '../../../shared/models';
import { state } from '../app/store';
import type { MenuItem } from '../ui/ContextMenu';
import { deleteEntries, makeFolder, refresh, renameEntry, transferEntries } from './actions';

/** The right-click menu of a pane: on an entry (the selection, or that entry), or on the list. */
export function paneMenuItems(
  side: PaneSide,
  entry: RemoteEntry | undefined,
  selectedEntries: RemoteEntry[],
  open: (entry: RemoteEntry) => void,
): Array<MenuItem | 'separator'> {
  const general: MenuItem[] = [
    { label: 'New folder', icon: <FolderPlus size={14} />, run: () => void makeFolder(side) },
    { label: 'Refresh', icon: <RefreshCw size={14} />, hint: 'F5', run: () => void refresh(side) },
  ];
  if (!entry) return general;
  const targets = selectedEntries.length > 0 ? selectedEntries : [entry];
  const otherSide: PaneSide = side === 'local' ? 'remote' : 'local';
  const connected = state().session.status === 'connected';
  return [
    ...(entry.kind === 'dir'
      ? [{ label: 'Open', icon: <FolderOpen size={14} />, run: () => open(entry) }]
      : []),
    {
      label: side === 'local' ? 'Upload' : 'Download',
      icon: side === 'local' ? <Upload size={14} /> : <Download size={14} />,
      disabled: !connected || !state().panes[otherSide].path,
      run: () => void transferEntries(side, targets),
    },
    {
      label: 'Rename',
      icon: <Pencil size={14} />,
      hint: 'F2',
      run: () => void renameEntry(side, entry.name),
    },
    {
      label: 'Delete',
      icon: <Trash2 size={14} />,
      hint: 'Del',
      danger: true,
      run: () => void deleteEntries(side, targets),
    },
    'separator',
    ...general,
  ];
}
