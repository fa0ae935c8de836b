/** Connect, disconnect, and keep the connect bar showing the session's server. */
import type {
  ConnectPrefill,
  ConnectRequest,
  InsecureDecision,
  RecentConnection,
  SessionState,
} from '../../../shared/ipc';
import { state, useStore } from '../app/store';
import { navigate } from '../browser/actions';
import { call, ferry } from '../lib/api';
import { emitUiEvent } from '../lib/events';
import { updateSettings } from '../settings/actions';
import { unfinishedTransfers } from '../transfers/actions';
import { toastError, toastFailure } from '../ui/toasts';

/** The server the connect bar shows (host, port, mode, user), to tell a new session from it. */
let barIdentity = '';

export function connectIdentity(target: {
  host: string;
  port: number;
  mode: string;
  user: string;
}): string {
  return `${target.host.toLowerCase()}|${target.port}|${target.mode}|${target.user}`;
}

/** Puts a server into the connect bar; with `focus`, the bar takes focus (and the site manager closes). */
export function prefillConnect(connection: RecentConnection, focus = true): void {
  if (focus) state().setSiteManagerOpen(false);
  emitUiEvent('prefillConnect', { connection, focus });
}

/** Ctrl+N, the menu's New connection. */
export function focusConnect(): void {
  emitUiEvent('focusConnect', undefined);
}

/**
 * One source of truth: a session started elsewhere (a saved site, a launch URL) puts its server
 * and mode into the connect bar, so Disconnect then Connect reuses them.
 */
export function showSession(session: SessionState): void {
  state().setSession(session);
  const target = session.target;
  if (target && (session.status === 'connecting' || session.status === 'connected')) {
    const identity = connectIdentity(target);
    if (identity !== barIdentity) {
      barIdentity = identity;
      prefillConnect({ ...target, lastUsed: '' }, false);
    }
  }
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

/** After a quick connect that worked: offers to save a server that is not saved yet. */
function offerToSave(request: ConnectRequest): void {
  const known = state().tree.sites.some(
    (s) =>
      s.host.toLowerCase() === request.host.toLowerCase() &&
      s.port === request.port &&
      s.user === request.user,
  );
  if (!known) useStore.setState({ saveOffer: { request } });
}

export async function connect(request: ConnectRequest): Promise<void> {
  // The connect bar starts a session with what it shows: nothing to copy back into it.
  barIdentity = connectIdentity({ ...request, user: request.user || 'anonymous' });
  state().paneReset('remote');
  try {
    const session = await call(ferry.connect(request));
    showSession(session);
    state().setRecent(await call(ferry.listRecent()));
    await navigate('remote', folderAfterLogin(request, session.cwd));
    if (session.status === 'connected') offerToSave(request);
  } catch (error) {
    toastError(error, request);
  }
}

/**
 * Asks before ending a session with transfers unfinished, unless Settings say not to; the dialog's
 * "Don't ask again" turns that setting off.
 */
export async function confirmEndingTransfers(
  why: 'disconnect' | 'new-connection',
): Promise<boolean> {
  const count = unfinishedTransfers();
  if (count === 0 || !state().settings.confirm.disconnectWithTransfers) return true;
  return state().askConfirm({
    title: why === 'disconnect' ? 'Disconnect while transfers run?' : 'Start a new connection?',
    message: `${count === 1 ? 'One transfer is' : `${count} transfers are`} not finished. ${
      why === 'disconnect' ? 'Disconnecting' : 'Connecting to another server'
    } stops ${count === 1 ? 'it' : 'them'}; files being transferred stay incomplete and can be resumed later.`,
    confirmLabel: why === 'disconnect' ? 'Disconnect' : 'Connect',
    danger: true,
    dontAskAgain: () => void updateSettings({ confirm: { disconnectWithTransfers: false } }),
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
    showSession(await call(ferry.disconnect()));
  } catch (error) {
    toastFailure(error);
  }
  state().paneReset('remote');
}

export async function answerInsecure(promptId: string, decision: InsecureDecision): Promise<void> {
  state().shiftInsecurePrompt(promptId);
  try {
    await call(ferry.answerInsecure(promptId, decision));
  } catch (error) {
    toastFailure(error);
  }
}

export async function forgetRecent(host: string, port: number, user: string): Promise<void> {
  try {
    state().setRecent(await call(ferry.forgetRecent(host, port, user)));
  } catch (error) {
    toastFailure(error);
  }
}

/** Fills the connect bar from a launch URL (`ftpes://user@host:port/path`); never connects. */
export function applyLaunchPrefill(prefill: ConnectPrefill): void {
  launchFolder = prefill.path
    ? { host: prefill.host, port: prefill.port, path: prefill.path }
    : undefined;
  prefillConnect({
    host: prefill.host,
    port: prefill.port,
    mode: prefill.mode,
    user: prefill.user,
    lastUsed: '',
  });
}

/** Main reports a session change: a lost session clears the remote pane; a reconnect goes back. */
export function sessionChanged(session: SessionState): void {
  const before = state().session.status;
  showSession(session);
  const wasUp = before === 'connected' || before === 'reconnecting';
  if ((session.status === 'disconnected' || session.status === 'failed') && wasUp) {
    state().paneReset('remote');
    if (session.lost) state().toast('error', 'Connection lost, and Ferry could not reconnect.');
  } else if (session.status === 'connected' && before === 'reconnecting') {
    // Back where the user was: the same folder (the selection survives a same-folder listing).
    const path = state().panes.remote.path;
    void navigate('remote', path || session.cwd);
  }
}
