/**
 * The site manager, settings and pinned certificates in the renderer: a small store of its own
 * (so it does not crowd the session store) and the actions that call the matching commands.
 */
import { create } from 'zustand';
import type { ConnectRequest } from '../../../shared/ipc';
import type { CertificateReport } from '../../../shared/models';
import {
  DEFAULT_SETTINGS,
  defaultSiteInput,
  type ConnectSecrets,
  type CredentialPrompt,
  type PinSummary,
  type SecretsStatus,
  type Settings,
  type SettingsPatch,
  type Site,
  type SiteTree,
  type StoreNotice,
} from '../../../shared/sites';
import { call, errorText, ferry } from '../lib/api';
import { useStore } from '../app/store';
import { confirmEndingTransfers, navigate, toastError } from '../browser/actions';
import './sites.css';

export interface SaveOffer {
  request: ConnectRequest;
}

export interface SitesState {
  tree: SiteTree;
  secrets: SecretsStatus;
  /** Sites that go on without TLS when the server refuses it, as the user chose. */
  plainFallback: string[];
  settings: Settings;
  settingsOpen: boolean;
  pins: PinSummary[];
  notices: StoreNotice[];
  /** Asking for a password (or passphrase) before connecting to a saved site. */
  credentials?: { site: Site; prompt: CredentialPrompt };
  /** The certificate shown from the pinned-certificates list. */
  inspect?: CertificateReport;
  /** After a successful quick connect to a server that is not saved yet. */
  saveOffer?: SaveOffer;
  /** The site to select when the site manager opens. */
  focusSiteId?: string;
}

export const useSites = create<SitesState>()(() => ({
  tree: { folders: [], sites: [] },
  secrets: { available: true },
  plainFallback: [],
  settings: structuredClone(DEFAULT_SETTINGS),
  settingsOpen: false,
  pins: [],
  notices: [],
}));

const sites = () => useSites.getState();
const app = () => useStore.getState();

const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
let chosenTheme: Settings['theme'] = 'system';

/** One place decides the theme: the setting, or the OS while the setting says "system". */
function showTheme(): void {
  const dark = chosenTheme === 'dark' || (chosenTheme === 'system' && systemDark.matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}
systemDark.addEventListener('change', showTheme);
showTheme();

function applyTheme(settings: Settings): void {
  chosenTheme = settings.theme;
  showTheme();
}

export function openSettings(open = true): void {
  useSites.setState({ settingsOpen: open });
  if (open) void loadPins();
}

export async function loadSites(): Promise<void> {
  const snapshot = await call(ferry.getSites());
  useSites.setState({
    tree: snapshot.tree,
    secrets: snapshot.secrets,
    plainFallback: snapshot.plainFallback,
  });
}

/** "Ask again" for a site that was allowed to go on without TLS. */
export async function forgetPlainFallback(siteId: string): Promise<void> {
  try {
    useSites.setState({ plainFallback: await call(ferry.forgetPlainFallback(siteId)) });
  } catch (error) {
    app().toast('error', errorText(error));
  }
}

export async function loadPins(): Promise<void> {
  try {
    useSites.setState({ pins: await call(ferry.listPins()) });
  } catch (error) {
    app().toast('error', errorText(error));
  }
}

let started = false;

/** Loads sites, settings and notices, and follows their events (once). */
export async function startSites(): Promise<void> {
  if (started) return;
  started = true;
  ferry.on('sites', (tree) => useSites.setState({ tree }));
  ferry.on('pins', (pins) => useSites.setState({ pins }));
  ferry.on('settings', (settings) => {
    useSites.setState({ settings });
    applyTheme(settings);
  });
  ferry.on('menu', (command) => {
    if (command === 'settings') openSettings(true);
  });
  try {
    const [snapshot, settings] = await Promise.all([
      call(ferry.getSites()),
      call(ferry.getSettings()),
    ]);
    useSites.setState({
      tree: snapshot.tree,
      secrets: snapshot.secrets,
      plainFallback: snapshot.plainFallback,
      settings: settings.settings,
      notices: settings.notices,
    });
    applyTheme(settings.settings);
  } catch (error) {
    app().toast('error', errorText(error));
  }
}

export function dismissNotice(notice: StoreNotice): void {
  useSites.setState((s) => ({ notices: s.notices.filter((n) => n !== notice) }));
}

export async function updateSettings(patch: SettingsPatch): Promise<void> {
  try {
    const settings = await call(ferry.updateSettings(patch));
    useSites.setState({ settings });
    applyTheme(settings);
  } catch (error) {
    app().toast('error', errorText(error));
  }
}

export async function removePin(pin: PinSummary): Promise<void> {
  const ok = await app().askConfirm({
    title: `Forget the certificate of ${pin.host}:${pin.port}?`,
    message: 'Ferry will ask again whether to trust this server the next time you connect to it.',
    confirmLabel: 'Remove',
    danger: true,
  });
  if (!ok) return;
  try {
    useSites.setState({ pins: await call(ferry.removePin(pin.host, pin.port)) });
  } catch (error) {
    app().toast('error', errorText(error));
  }
}

export async function inspectPin(pin: PinSummary): Promise<void> {
  try {
    useSites.setState({ inspect: await call(ferry.getPinnedCertificate(pin.host, pin.port)) });
  } catch (error) {
    app().toast('error', errorText(error));
  }
}

export function closeInspect(): void {
  useSites.setState({ inspect: undefined });
}

/**
 * Connects to a saved site. When a password or passphrase is missing (ask each time, no keychain),
 * the credential prompt opens and the connection continues with what the user types.
 */
export async function connectToSite(site: Site, provided: ConnectSecrets = {}): Promise<void> {
  if (app().session.status === 'connected' && !(await confirmEndingTransfers('new-connection')))
    return;
  app().setSiteManagerOpen(false);
  useSites.setState({ credentials: undefined, saveOffer: undefined });
  app().paneReset('remote');
  try {
    const result = await call(ferry.connectSite(site.id, provided));
    if (result.status === 'needs-secrets') {
      useSites.setState({ credentials: { site, prompt: result.prompt } });
      return;
    }
    app().setSession(result.session);
    app().setRecent(await call(ferry.listRecent()));
    if (site.localDir) void navigate('local', site.localDir);
    await navigate('remote', site.remoteDir || result.session.cwd);
  } catch (error) {
    toastError(error, site);
  }
}

export function cancelCredentials(): void {
  useSites.setState({ credentials: undefined });
}

/** Called by quick connect: offers to save the server once the login worked. */
export function offerToSave(request: ConnectRequest): void {
  const known = sites().tree.sites.some(
    (s) =>
      s.host.toLowerCase() === request.host.toLowerCase() &&
      s.port === request.port &&
      s.user === request.user,
  );
  if (!known) useSites.setState({ saveOffer: { request } });
}

export function dismissSaveOffer(): void {
  useSites.setState({ saveOffer: undefined });
}

/** Saves the quick-connect server as a site (with its password where the keychain allows). */
export async function saveOfferedSite(): Promise<void> {
  const offer = sites().saveOffer;
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
          tlsMin: sites().settings.defaultTlsMin,
        },
        anonymous ? {} : { password: request.password },
      ),
    );
    useSites.setState({ saveOffer: undefined });
    if (!result.ok) {
      app().toast('error', result.errors.map((e) => e.message).join(' '));
      return;
    }
    if (result.secretsWarning) app().toast('info', `Password ${result.secretsWarning}`);
    useSites.setState({ focusSiteId: result.site.id });
    app().setSiteManagerOpen(true);
  } catch (error) {
    app().toast('error', errorText(error));
  }
}
