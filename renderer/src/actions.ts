/** Renderer actions: each calls a named command on `window.ferry` and updates the store. */
import type {
  ConnectPrefill,
  ConnectRequest,
  InsecureDecision,
  PaneSide,
  TransferRequest,
} from '../../shared/ipc';
import type { RemoteEntry, TrustDecision } from '../../shared/models';
import type { FileExistsAnswer } from '../../shared/transfers';
import { call, errorAdvice, errorText, ferry } from './api';
import type { ErrorContext } from '../../shared/error-advice';
import { remoteJoin, remoteParent } from '../../shared/remote-path';
import { localJoin, localParent, localSeparator } from './format';
import { offerToSave, useSites } from './sites';
import { noteBarConnect, useStore } from './store';

const state = () => useStore.getState();

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

/** The folder a launch URL named, opened after the first login to that server. */
let launchFolder: { host: string; port: number; path: string } | undefined;

function folderAfterLogin(request: ConnectRequest, cwd: string | undefined): string | undefined {
  const wanted = launchFolder;
  if (!wanted || wanted.host !== request.host || wanted.port !== request.port) return cwd;
  launchFolder = undefined;
  // As in the CLI: a path is relative to the login folder unless it starts with `/`.
  if (wanted.path.startsWith('/')) return wanted.path;
  return `${(cwd ?? '').replace(/\/+$/, '')}/${wanted.path}`;
}

export async function connect(request: ConnectRequest): Promise<void> {
  noteBarConnect({ ...request, user: request.user || 'anonymous' });
  state().paneReset('remote');
  try {
    const session = await call(ferry.connect(request));
    state().setSession(session);
    state().setRecent(await call(ferry.listRecent()));
    await navigate('remote', folderAfterLogin(request, session.cwd));
    if (session.status === 'connected') offerToSave(request);
  } catch (error) {
    toastError(error, request);
  }
}

/** An error toast with a sentence, the next step and the raw detail behind "Details". */
export function toastError(error: unknown, context: ErrorContext = {}): void {
  const advice = errorAdvice(error, context);
  state().toast('error', advice.summary, {
    ...(advice.action ? { action: advice.action } : {}),
    ...(advice.detail !== advice.summary ? { detail: advice.detail } : {}),
  });
}

/** Transfers that ending the session would stop (running or waiting their turn). */
export function unfinishedTransfers(): number {
  const { transfers } = state();
  return Object.values(transfers).filter(
    (t) => t.state !== 'done' && t.state !== 'failed' && t.state !== 'cancelled',
  ).length;
}

/**
 * Asks before ending a session with transfers unfinished, unless Settings say not to; the dialog's
 * "Don't ask again" turns that setting off.
 */
export async function confirmEndingTransfers(
  why: 'disconnect' | 'new-connection',
): Promise<boolean> {
  const count = unfinishedTransfers();
  if (count === 0 || !useSites.getState().settings.confirm.disconnectWithTransfers) return true;
  return state().askConfirm({
    title: why === 'disconnect' ? 'Disconnect while transfers run?' : 'Start a new connection?',
    message: `${count === 1 ? 'One transfer is' : `${count} transfers are`} not finished. ${
      why === 'disconnect' ? 'Disconnecting' : 'Connecting to another server'
    } stops ${count === 1 ? 'it' : 'them'}; files being transferred stay incomplete and can be resumed later.`,
    confirmLabel: why === 'disconnect' ? 'Disconnect' : 'Connect',
    danger: true,
    dontAskAgain: 'disconnectWithTransfers',
  });
}

/** Disconnect from the button, menu or shortcut: asks first when transfers would stop. */
export async function disconnectAsked(): Promise<void> {
  const status = state().session.status;
  if (
    (status === 'connected' || status === 'reconnecting') &&
    !(await confirmEndingTransfers('disconnect'))
  )
    return;
  await disconnect();
}

/** Connect from the connect bar: while connected, that is a new session and asks first. */
export async function connectFromBar(request: ConnectRequest): Promise<void> {
  if (state().session.status === 'connected' && !(await confirmEndingTransfers('new-connection')))
    return;
  await connect(request);
}

export async function disconnect(): Promise<void> {
  try {
    state().setSession(await call(ferry.disconnect()));
  } catch (error) {
    state().toast('error', errorText(error));
  }
  state().paneReset('remote');
}

export async function answerTrust(promptId: string, decision: TrustDecision): Promise<void> {
  state().shiftTrustPrompt(promptId);
  try {
    await call(ferry.answerTrust(promptId, decision));
  } catch (error) {
    state().toast('error', errorText(error));
  }
}

export async function answerInsecure(promptId: string, decision: InsecureDecision): Promise<void> {
  state().shiftInsecurePrompt(promptId);
  try {
    await call(ferry.answerInsecure(promptId, decision));
  } catch (error) {
    state().toast('error', errorText(error));
  }
}

export async function answerFileExists(answer: FileExistsAnswer): Promise<void> {
  state().shiftFileExists(answer.questionId);
  try {
    await call(ferry.answerFileExists(answer));
  } catch (error) {
    state().toast('error', errorText(error));
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
    state().toast('error', errorText(error));
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
    state().toast('error', errorText(error));
  }
}

export async function deleteEntries(side: PaneSide, entries: RemoteEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const dir = state().panes[side].path;
  const folders = entries.filter((e) => e.kind === 'dir').length;
  const one = entries.length === 1;
  const what = one ? `“${entries[0]?.name ?? ''}”` : `${entries.length} items`;
  const them = one ? 'it' : 'them';
  const confirm = useSites.getState().settings.confirm;
  const ask = side === 'remote' ? confirm.deleteRemote : confirm.deleteLocal;
  const trash = side === 'local' && state().app?.localTrash === true;
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
  const ok =
    !ask ||
    (await state().askConfirm({
      title: trash ? `Move ${what} to the Trash?` : `Delete ${what}?`,
      message: message + inside,
      confirmLabel: trash ? 'Move to Trash' : 'Delete',
      danger: !trash,
    }));
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
    state().toast('error', errorText(error));
  }
  await refresh(side);
}

async function queue(requests: TransferRequest[]): Promise<void> {
  if (requests.length === 0) return;
  try {
    await call(ferry.addTransfers(requests));
  } catch (error) {
    state().toast('error', errorText(error));
  }
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
    state().toast('info', 'Connect to a server first.');
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
  return queue(requests);
}

/** Uploads OS files (by local path) into the remote folder shown, or into `into`. */
export function uploadPaths(paths: string[], into?: string): Promise<void> {
  const { panes, session } = state();
  if (session.status !== 'connected' || !panes.remote.path) {
    state().toast('info', 'Connect to a server first.');
    return Promise.resolve();
  }
  const folder = into ?? panes.remote.path;
  return queue(
    paths.map((localPath) => {
      const name = localPath.split(/[\\/]/).filter(Boolean).pop() ?? localPath;
      return { direction: 'upload', localPath, remotePath: remoteJoin(folder, name) };
    }),
  );
}

export async function cancelTransfer(id: string): Promise<void> {
  await call(ferry.cancelTransfer(id)).catch((error: unknown) =>
    state().toast('error', errorText(error)),
  );
}

export async function retryTransfer(id: string): Promise<void> {
  await call(ferry.retryTransfer(id)).catch((error: unknown) =>
    state().toast('error', errorText(error)),
  );
}

export async function pauseTransfer(id: string): Promise<void> {
  await call(ferry.pauseTransfer(id)).catch((error: unknown) =>
    state().toast('error', errorText(error)),
  );
}

export async function resumeTransfer(id: string): Promise<void> {
  await call(ferry.resumeTransfer(id)).catch((error: unknown) =>
    state().toast('error', errorText(error)),
  );
}

export async function moveTransferToTop(id: string): Promise<void> {
  await call(ferry.moveTransferToTop(id)).catch((error: unknown) =>
    state().toast('error', errorText(error)),
  );
}

/** Fills the connect bar from a launch URL (`ftpes://user@host:port/path`); never connects. */
export function applyLaunchPrefill(prefill: ConnectPrefill): void {
  launchFolder = prefill.path
    ? { host: prefill.host, port: prefill.port, path: prefill.path }
    : undefined;
  state().prefillConnect({
    host: prefill.host,
    port: prefill.port,
    mode: prefill.mode,
    user: prefill.user,
    lastUsed: '',
  });
}

export async function clearFinished(): Promise<void> {
  await call(ferry.clearFinished()).catch((error: unknown) =>
    state().toast('error', errorText(error)),
  );
}

export async function forgetRecent(host: string, port: number, user: string): Promise<void> {
  try {
    state().setRecent(await call(ferry.forgetRecent(host, port, user)));
  } catch (error) {
    state().toast('error', errorText(error));
  }
}

let started = false;

/** Loads the initial state and subscribes to every event (once). */
export async function start(): Promise<void> {
  if (started) return;
  started = true;
  const s = state();
  ferry.on('session', (session) => {
    const before = state().session.status;
    state().setSession(session);
    const wasUp = before === 'connected' || before === 'reconnecting';
    if ((session.status === 'disconnected' || session.status === 'failed') && wasUp) {
      state().paneReset('remote');
      if (session.lost) state().toast('error', 'Connection lost, and Ferry could not reconnect.');
    } else if (session.status === 'connected' && before === 'reconnecting') {
      // Back where the user was: the same folder (the selection survives a same-folder listing).
      const path = state().panes.remote.path;
      void navigate('remote', path || session.cwd);
    }
  });
  ferry.on('listing', (listing) => {
    if (state().panes[listing.side].path === listing.path) state().paneListing(listing);
  });
  ferry.on('transfers', (items) => state().upsertTransfers(items));
  ferry.on('transfersRemoved', (ids) => state().removeTransfers(ids));
  ferry.on('progress', (batch) => state().applyProgress(batch));
  ferry.on('fileExists', (question) => state().pushFileExists(question));
  ferry.on('trustPrompt', (prompt) => state().pushTrustPrompt(prompt));
  ferry.on('insecurePrompt', (prompt) => state().pushInsecurePrompt(prompt));
  ferry.on('log', (lines) => state().appendLog(lines));
  ferry.on('launchPrefill', (prefill) => applyLaunchPrefill(prefill));
  ferry.on('menu', (command) => {
    switch (command) {
      case 'new-connection':
        state().focusConnect();
        break;
      case 'site-manager':
        state().setSiteManagerOpen(true);
        break;
      case 'refresh':
        void refresh(state().activePane);
        break;
      case 'disconnect':
        void disconnectAsked();
        break;
      case 'toggle-log':
        state().setLogOpen(!state().logOpen);
        break;
      case 'show-certificate':
        if (state().session.report) state().setCertificateOpen(true);
        break;
    }
  });
  try {
    const [app, session, recent, transfers, log] = await Promise.all([
      call(ferry.getAppInfo()),
      call(ferry.getSession()),
      call(ferry.listRecent()),
      call(ferry.getTransfers()),
      call(ferry.getLog()),
    ]);
    s.setApp(app);
    s.setSession(session);
    s.setRecent(recent);
    s.upsertTransfers(transfers);
    s.appendLog(log);
    const launch = await call(ferry.takeLaunchPrefill());
    if (launch) applyLaunchPrefill(launch);
    await navigate('local', app.homeDir);
    if (session.status === 'connected') await navigate('remote', session.cwd);
  } catch (error) {
    s.toast('error', errorText(error));
  }
}
