/**
 * The renderer's start: loads the first state and turns every event from main (and every menu
 * command) into a store update or an action. The only subscriber to `window.ferry` events.
 */
import type { MenuCommand } from '../../../shared/ipc';
import { navigate, refresh } from '../browser/actions';
import { showSessionCertificate } from '../certificates/actions';
import {
  applyLaunchPrefill,
  disconnectAsked,
  focusConnect,
  sessionChanged,
  showSession,
} from '../connection/actions';
import { call, ferry } from '../lib/api';
import { openSettings } from '../settings/actions';
import { applyTheme } from '../settings/theme';
import { openSiteManager } from '../sites/actions';
import { toastFailure } from '../ui/toasts';
import { adoptLayout } from './layout';
import { state, useStore } from './store';

/** A menu command (Electron's menu, or the same shortcut in the renderer). */
export function runMenuCommand(command: MenuCommand): void {
  switch (command) {
    case 'new-connection':
      focusConnect();
      break;
    case 'site-manager':
      openSiteManager(true);
      break;
    case 'settings':
      openSettings(true);
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
      showSessionCertificate();
      break;
  }
}

function followEvents(): void {
  const s = state;
  ferry.on('session', sessionChanged);
  ferry.on('listing', (listing) => {
    if (s().panes[listing.side].path === listing.path) s().paneListing(listing);
  });
  ferry.on('transfers', (items) => s().upsertTransfers(items));
  ferry.on('transfersRemoved', (ids) => s().removeTransfers(ids));
  ferry.on('progress', (batch) => s().applyProgress(batch));
  ferry.on('fileExists', (question) => s().pushFileExists(question));
  ferry.on('trustPrompt', (prompt) => s().pushTrustPrompt(prompt));
  ferry.on('insecurePrompt', (prompt) => s().pushInsecurePrompt(prompt));
  ferry.on('log', (lines) => s().appendLog(lines));
  ferry.on('launchPrefill', applyLaunchPrefill);
  ferry.on('sites', (tree) => useStore.setState({ tree }));
  ferry.on('pins', (pins) => s().setPins(pins));
  ferry.on('settings', (settings) => {
    useStore.setState({ settings });
    applyTheme(settings);
  });
  ferry.on('menu', runMenuCommand);
  // The saved layout comes with the settings (at start, and after each change).
  useStore.subscribe((now, before) => {
    if (now.settings.layout !== before.settings.layout) adoptLayout(now.settings.layout);
  });
}

async function loadSitesAndSettings(): Promise<void> {
  try {
    const [snapshot, settings] = await Promise.all([
      call(ferry.getSites()),
      call(ferry.getSettings()),
    ]);
    useStore.setState({
      tree: snapshot.tree,
      secrets: snapshot.secrets,
      plainFallback: snapshot.plainFallback,
      settings: settings.settings,
      notices: settings.notices,
    });
    applyTheme(settings.settings);
  } catch (error) {
    toastFailure(error);
  }
}

async function loadSession(): Promise<void> {
  const s = state();
  try {
    const [app, session, recent, transfers, log] = await Promise.all([
      call(ferry.getAppInfo()),
      call(ferry.getSession()),
      call(ferry.listRecent()),
      call(ferry.getTransfers()),
      call(ferry.getLog()),
    ]);
    s.setApp(app);
    showSession(session);
    s.setRecent(recent);
    s.upsertTransfers(transfers);
    s.appendLog(log);
    const launch = await call(ferry.takeLaunchPrefill());
    if (launch) applyLaunchPrefill(launch);
    await navigate('local', app.homeDir);
    if (session.status === 'connected') await navigate('remote', session.cwd);
  } catch (error) {
    toastFailure(error);
  }
}

let started = false;

/** Loads the initial state and subscribes to every event (once). */
export async function start(): Promise<void> {
  if (started) return;
  started = true;
  followEvents();
  await Promise.all([loadSession(), loadSitesAndSettings()]);
}
