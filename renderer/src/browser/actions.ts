/** File pane actions: list a folder, make, rename and delete entries, queue what is dropped. */
import type { PaneSide, TransferRequest } from '../../../shared/ipc';
import type { RemoteEntry } from '../../../shared/models';
import { state } from '../app/store';
import { call, errorAdvice, ferry } from '../lib/api';
import { remoteJoin, remoteParent } from '../../../shared/remote-path';
import { localJoin, localParent, localSeparator } from '../lib/format';
import { addTransfers } from '../transfers/actions';
import { PARENT } from './entries';
import { toastFailure, toastInfo } from '../ui/toasts';

export function sep(): string {
  return localSeparator(state().app?.platform ?? 'linux');
}

export function joinPath(side: PaneSide, dir: string, name: string): string {
  return side === 'remote' ? remoteJoin(dir, name) : localJoin(dir, name, sep());
}

export function parentPath(side: PaneSide, path: string): string {
  return side === 'remote' ? remoteParent(path) : localParent(path, sep());
}

const listSeq: Record<PaneSide, number> = { local: 0, remote: 0 };

export async function navigate(side: PaneSide, path?: string): Promise<void> {
  const seq = ++listSeq[side];
  state().paneLoading(side);
  try {
    const listing = await call(side === 'remote' ? ferry.listRemote(path) : ferry.listLocal(path));
    if (seq === listSeq[side]) state().paneListing(listing);
  } catch (error) {
    if (seq !== listSeq[side]) return;
    const advice = errorAdvice(error, side === 'remote' ? (state().session.target ?? {}) : {});
    state().paneError(side, advice.action ? `${advice.summary} ${advice.action}` : advice.summary);
  }
}

export function refresh(side: PaneSide): Promise<void> {
  const path = state().panes[side].path;
  return navigate(side, path || undefined);
}

export function goUp(side: PaneSide): Promise<void> {
  const path = state().panes[side].path;
  if (!path) return Promise.resolve();
  return navigate(side, parentPath(side, path));
}

/** Double-click or Enter: a folder (or a server link) opens, `..` goes up, a file transfers. */
export function openEntry(side: PaneSide, dir: string, entry: RemoteEntry): void {
  if (entry.name === PARENT) {
    void goUp(side);
  } else if (entry.kind === 'dir' || (entry.kind === 'link' && side === 'remote')) {
    void navigate(side, joinPath(side, dir, entry.name));
  } else {
    void transferEntries(side, [entry]);
  }
}

export async function makeFolder(side: PaneSide): Promise<void> {
  const dir = state().panes[side].path;
  if (!dir) return;
  const name = await state().askInput({
    title: 'New folder',
    label: 'Folder name',
    initial: '',
    confirmLabel: 'Create',
  });
  if (!name) return;
  try {
    const path = joinPath(side, dir, name);
    await call(side === 'remote' ? ferry.makeRemoteDir(path) : ferry.makeLocalDir(path));
    await refresh(side);
    state().setSelection(side, [name], name);
  } catch (error) {
    toastFailure(error);
  }
}

export async function renameEntry(side: PaneSide, name: string): Promise<void> {
  const dir = state().panes[side].path;
  const next = await state().askInput({
    title: 'Rename',
    label: 'New name',
    initial: name,
    confirmLabel: 'Rename',
  });
  if (!next || next === name) return;
  try {
    const from = joinPath(side, dir, name);
    const to = joinPath(side, dir, next);
    await call(side === 'remote' ? ferry.renameRemote(from, to) : ferry.renameLocal(from, to));
    await refresh(side);
    state().setSelection(side, [next], next);
  } catch (error) {
    toastFailure(error);
  }
}

/** The question before a delete: what goes, where, and whether it can come back. */
function deleteQuestion(side: PaneSide, entries: RemoteEntry[], trash: boolean) {
  const folders = entries.filter((e) => e.kind === 'dir').length;
  const one = entries.length === 1;
  const what = one ? `“${entries[0]?.name ?? ''}”` : `${entries.length} items`;
  const them = one ? 'it' : 'them';
  const inside =
    folders === 0
      ? ''
      : one
        ? ' The folder goes with everything inside it.'
        : ' Folders go with everything inside them.';
  const message =
    side === 'remote'
      ? `This deletes ${them} on the server and cannot be undone.`
      : trash
        ? `This moves ${them} to the Trash; you can restore ${them} from there.`
        : `This deletes ${them} from this computer permanently (this preview has no Trash); it cannot be undone.`;
  return {
    title: trash ? `Move ${what} to the Trash?` : `Delete ${what}?`,
    message: message + inside,
    confirmLabel: trash ? 'Move to Trash' : 'Delete',
    danger: !trash,
  };
}

export async function deleteEntries(side: PaneSide, entries: RemoteEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const dir = state().panes[side].path;
  const confirm = state().settings.confirm;
  const ask = side === 'remote' ? confirm.deleteRemote : confirm.deleteLocal;
  const trash = side === 'local' && state().app?.localTrash === true;
  const ok = !ask || (await state().askConfirm(deleteQuestion(side, entries, trash)));
  if (!ok) return;
  try {
    if (side === 'remote') {
      await call(
        ferry.deleteRemote(
          entries.map((e) => ({ path: joinPath(side, dir, e.name), kind: e.kind })),
        ),
      );
    } else {
      await call(ferry.deleteLocal(entries.map((e) => joinPath(side, dir, e.name))));
    }
  } catch (error) {
    toastFailure(error);
  }
  await refresh(side);
}

/**
 * Transfers entries of one pane into the folder shown by the other pane, or into `into` (a
 * folder of the other side, e.g. the folder row they were dropped on).
 */
export function transferEntries(
  from: PaneSide,
  entries: RemoteEntry[],
  into?: string,
): Promise<void> {
  const { panes, session } = state();
  if (session.status !== 'connected') {
    toastInfo('Connect to a server first.');
    return Promise.resolve();
  }
  const source = panes[from].path;
  const target = into ?? panes[from === 'local' ? 'remote' : 'local'].path;
  if (!source || !target) return Promise.resolve();
  const requests = entries
    .filter((e) => e.kind === 'file' || e.kind === 'dir' || e.kind === 'link')
    .map((e): TransferRequest =>
      from === 'local'
        ? {
            direction: 'upload',
            localPath: localJoin(source, e.name, sep()),
            remotePath: remoteJoin(target, e.name),
            isDirectory: e.kind === 'dir',
          }
        : {
            direction: 'download',
            remotePath: remoteJoin(source, e.name),
            localPath: localJoin(target, e.name, sep()),
            isDirectory: e.kind === 'dir',
          },
    );
  return addTransfers(requests);
}

/** Uploads OS files (by local path) into the remote folder shown, or into `into`. */
export function uploadPaths(paths: string[], into?: string): Promise<void> {
  const { panes, session } = state();
  if (session.status !== 'connected' || !panes.remote.path) {
    toastInfo('Connect to a server first.');
    return Promise.resolve();
  }
  const folder = into ?? panes.remote.path;
  return addTransfers(
    paths.map((localPath) => {
      const name = localPath.split(/[\\/]/).filter(Boolean).pop() ?? localPath;
      return { direction: 'upload', localPath, remotePath: remoteJoin(folder, name) };
    }),
  );
}

/** The local paths of files dropped from the OS (the preload asks Electron's webUtils). */
export function pathsOfDroppedFiles(files: File[]): Promise<string[]> {
  return Promise.all(files.map((file) => ferry.pathForFile(file)));
}
