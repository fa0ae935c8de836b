/** Site manager actions: saved sites and folders, connecting to a site, import and export. */
import type { PickFileOptions } from '../../../shared/ipc';
import {
  defaultSiteInput,
  type ConnectSecrets,
  type FieldError,
  type DuplicateChoice,
  type ImportReport,
  type Site,
  type SiteInput,
  type SiteSecrets,
  type StoreNotice,
} from '../../../shared/sites';
import { state, useStore } from '../app/store';
import { navigate } from '../browser/actions';
import { confirmEndingTransfers, showSession } from '../connection/actions';
import { call, ferry } from '../lib/api';
import { toastError, toastFailure, toastInfo } from '../ui/toasts';

export async function loadSites(): Promise<void> {
  const snapshot = await call(ferry.getSites());
  useStore.setState({
    tree: snapshot.tree,
    secrets: snapshot.secrets,
    plainFallback: snapshot.plainFallback,
  });
}

export function openSiteManager(open = true): void {
  state().setSiteManagerOpen(open);
}

/** The site manager opened on this site once: forget it. */
export function clearFocusSite(): void {
  useStore.setState({ focusSiteId: undefined });
}

/** "Ask again" for a site that was allowed to go on without TLS. */
export async function forgetPlainFallback(siteId: string): Promise<void> {
  try {
    useStore.setState({ plainFallback: await call(ferry.forgetPlainFallback(siteId)) });
  } catch (error) {
    toastFailure(error);
  }
}

export function dismissNotice(notice: StoreNotice): void {
  useStore.setState((s) => ({ notices: s.notices.filter((n) => n !== notice) }));
}

/**
 * Connects to a saved site. When a password or passphrase is missing (ask each time, no keychain),
 * the credential prompt opens and the connection continues with what the user types.
 */
export async function connectToSite(site: Site, provided: ConnectSecrets = {}): Promise<void> {
  if (state().session.status === 'connected' && !(await confirmEndingTransfers('new-connection')))
    return;
  state().setSiteManagerOpen(false);
  useStore.setState({ credentials: undefined, saveOffer: undefined });
  state().paneReset('remote');
  try {
    const result = await call(ferry.connectSite(site.id, provided));
    if (result.status === 'needs-secrets') {
      useStore.setState({ credentials: { site, prompt: result.prompt } });
      return;
    }
    showSession(result.session);
    state().setRecent(await call(ferry.listRecent()));
    if (site.localDir) void navigate('local', site.localDir);
    await navigate('remote', site.remoteDir || result.session.cwd);
  } catch (error) {
    toastError(error, site);
  }
}

export function cancelCredentials(): void {
  useStore.setState({ credentials: undefined });
}

export function dismissSaveOffer(): void {
  useStore.setState({ saveOffer: undefined });
}

/**
 * A new site's starting values, not saved: a free name in its folder, the default TLS minimum,
 * and no host or user (the form shows examples as placeholders).
 */
export function newSiteDraft(parentId: string | null): SiteInput {
  const siblings = new Set(
    state()
      .tree.sites.filter((s) => s.parentId === parentId)
      .map((s) => s.name),
  );
  let name = 'New site';
  for (let n = 2; siblings.has(name); n++) name = `New site ${n}`;
  return { ...defaultSiteInput(parentId), name, tlsMin: state().settings.defaultTlsMin };
}

/** What saving a site answered: the site, or the fields to fix. */
export type SaveOutcome = { ok: true; site: Site } | { ok: false; errors: FieldError[] };

/** Creates (no `siteId`) or updates a site; a keychain warning becomes a toast. */
export async function saveSite(
  siteId: string | undefined,
  input: SiteInput,
  secrets: SiteSecrets,
): Promise<SaveOutcome> {
  const result = await call(
    siteId === undefined
      ? ferry.createSite(input, secrets)
      : ferry.updateSite(siteId, input, secrets),
  );
  if (!result.ok) return result;
  if (result.secretsWarning) toastInfo(`Password ${result.secretsWarning}`);
  return { ok: true, site: result.site };
}

/** Main's checks of the files a site names (client certificate, key, CA). */
export function checkSiteFiles(input: SiteInput): Promise<FieldError[]> {
  return call(ferry.checkSiteFiles(input));
}

/** Main's file dialog (Electron only); undefined when cancelled or when it fails. */
export async function pickFile(options: PickFileOptions): Promise<string | undefined> {
  try {
    return (await call(ferry.pickFile(options))) ?? undefined;
  } catch (error) {
    toastFailure(error);
    return undefined;
  }
}

/** Asks for a folder name and creates it; returns its id. */
export async function createFolder(parentId: string | null): Promise<string | undefined> {
  const name = await state().askInput({
    title: 'New folder',
    label: 'Folder name',
    initial: '',
    confirmLabel: 'Create',
  });
  if (!name) return undefined;
  try {
    return (await call(ferry.createFolder(name, parentId))).id;
  } catch (error) {
    toastFailure(error);
    return undefined;
  }
}

/** Duplicates a site; returns the copy's id. */
export async function duplicateSite(site: Site): Promise<string | undefined> {
  try {
    return (await call(ferry.duplicateSite(site.id))).id;
  } catch (error) {
    toastFailure(error);
    return undefined;
  }
}

export type TreeItem = { kind: 'site' | 'folder'; id: string; name: string };

export async function renameItem(item: TreeItem): Promise<void> {
  const name = await state().askInput({
    title: item.kind === 'site' ? 'Rename site' : 'Rename folder',
    label: 'Name',
    initial: item.name,
    confirmLabel: 'Rename',
  });
  if (!name || name === item.name) return;
  try {
    if (item.kind === 'site') await call(ferry.renameSite(item.id, name));
    else await call(ferry.renameFolder(item.id, name));
  } catch (error) {
    toastFailure(error);
  }
}

/** Asks, then deletes a site or a folder with everything in it; true when it is gone. */
export async function deleteItem(item: TreeItem): Promise<boolean> {
  const { tree } = state();
  const contents =
    item.kind === 'folder'
      ? tree.sites.filter((s) => s.parentId === item.id).length +
        tree.folders.filter((f) => f.parentId === item.id).length
      : 0;
  const ok = await state().askConfirm({
    title: `Delete “${item.name}”?`,
    message:
      item.kind === 'site'
        ? 'The site and its saved password are deleted. This cannot be undone.'
        : contents > 0
          ? 'The folder is deleted with every site and folder in it, and their saved passwords.'
          : 'The empty folder is deleted.',
    confirmLabel: 'Delete',
    danger: true,
  });
  if (!ok) return false;
  try {
    if (item.kind === 'site') await call(ferry.deleteSite(item.id));
    else await call(ferry.deleteFolder(item.id));
    return true;
  } catch (error) {
    toastFailure(error);
    return false;
  }
}

export async function moveItem(id: string, parentId: string | null): Promise<void> {
  try {
    await call(ferry.moveSiteItem(id, parentId));
  } catch (error) {
    toastFailure(error);
  }
}

/** Saves the quick-connect server as a site (with its password where the keychain allows). */
export async function saveOfferedSite(): Promise<void> {
  const offer = state().saveOffer;
  if (!offer) return;
  const { request } = offer;
  const anonymous = request.user === '' || request.user === 'anonymous';
  try {
    const result = await call(
      ferry.createSite(
        {
          ...defaultSiteInput(),
          name: request.host,
          host: request.host,
          port: request.port,
          mode: request.mode,
          logonType: anonymous ? 'anonymous' : 'normal',
          user: anonymous ? '' : request.user,
          tlsMin: state().settings.defaultTlsMin,
        },
        anonymous ? {} : { password: request.password },
      ),
    );
    useStore.setState({ saveOffer: undefined });
    if (!result.ok) {
      state().toast('error', result.errors.map((e) => e.message).join(' '));
      return;
    }
    if (result.secretsWarning) toastInfo(`Password ${result.secretsWarning}`);
    useStore.setState({ focusSiteId: result.site.id });
    state().setSiteManagerOpen(true);
  } catch (error) {
    toastFailure(error);
  }
}

/** What an import would bring in (nothing is written yet). */
export function previewImport(path: string): Promise<ImportReport> {
  return call(ferry.previewImport(path));
}

/** Imports the file: sites (with passwords where the keychain allows) and pinned certificates. */
export function applyImport(path: string, duplicates?: DuplicateChoice): Promise<ImportReport> {
  return call(ferry.applyImport(path, duplicates));
}

/** Writes every site to a Ferry JSON file; null when main's save dialog was cancelled. */
export function exportSites(path: string | null, includeSecrets: boolean): Promise<string | null> {
  return call(ferry.exportSites(path, includeSecrets));
}
