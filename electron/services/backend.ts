import { existsSync, renameSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isFerryErrorDetail, type FerryErrorDetail } from '../../shared/errors';
import {
  isCommandName,
  type AppInfo,
  type CommandArgs,
  type CommandName,
  type CommandValue,
  type ConnectPrefill,
  type PickFileOptions,
  type Result,
} from '../../shared/ipc';
import type { SecretsStatus, Settings, StoreNotice } from '../../shared/sites';
import { validateCommandArgs, ValidationError } from '../../shared/ipc-validate';
import { FerryError, toErrorDetail } from '../engine/errors';
import { localFsError } from '../files/local-fs-error';
import type { EmitEvent } from './events';
import { LocalFsService } from './local-fs';
import { LogFanout } from './log';
import { exportSites } from './filezilla/ferry-json';
import { markDuplicates } from './filezilla/duplicates';
import { applyImport, readImport } from './filezilla/import';
import { PersistentPinStore } from './pins/pin-store';
import {
  EncryptedFileSecretStore,
  UnavailableSecretStore,
  type SecretStore,
  type StringCipher,
} from './secrets/secret-store';
import { engineTimings, SettingsStore } from './settings/settings-store';
import { checkSiteFiles, resolveSecrets, toConnectOptions } from './sites/connect-options';
import { SiteStore } from './sites/site-store';
import { PlainFallbackStore } from './sites/plain-fallback';
import { RecentConnections } from './recent';
import type { ConnectClient } from './remote-client';
import { SessionService } from './session';
import { QueueTransferService, type TransferService } from './queue-transfers';

export type CommandHandlers = {
  [K in CommandName]: (...args: CommandArgs<K>) => Promise<CommandValue<K>> | CommandValue<K>;
};

export interface BackendOptions {
  /** Where pins and recent connections are kept (Electron: userData). */
  dataDir: string;
  emit: EmitEvent;
  connectClient: ConnectClient;
  runtime: AppInfo['runtime'];
  version: string;
  platform: string;
  /** Replaces the queue-backed transfer service (tests). */
  createTransfers?: (deps: {
    session: SessionService;
    emit: EmitEvent;
    localFs: LocalFsService;
  }) => TransferService;
  /** The connect-bar prefill of the URL Ferry was opened with (taken once by the renderer). */
  takeLaunchPrefill?: () => ConnectPrefill | null;
  /**
   * Encrypts saved passwords: Electron's `safeStorage` in the app, `aesGcmCipher()` in the bridge.
   * Without one, passwords are never saved and are asked for at connect time.
   */
  secretCipher?: StringCipher;
  /** A native file dialog (Electron); the bridge has none and the UI falls back to a text field. */
  pickFile?: (options: PickFileOptions) => Promise<string | null>;
  /** Waits before reconnect attempts after a lost connection (tests); see RECONNECT_DELAYS_MS. */
  reconnectDelaysMs?: readonly number[];
  /**
   * Moves a local item to the Trash / Recycle Bin (Electron: `shell.trashItem`). Without one,
   * local delete is permanent and the renderer says so.
   */
  trashItem?: (path: string) => Promise<void>;
}

export interface Backend {
  /** Validates a command's name and arguments, runs it, and turns failures into typed errors. */
  dispatch(name: unknown, args: unknown): Promise<Result<unknown>>;
  readonly handlers: CommandHandlers;
  readonly session: SessionService;
  readonly transfers: TransferService;
  readonly localFs: LocalFsService;
  readonly log: LogFanout;
  readonly sites: SiteStore;
  readonly pins: PersistentPinStore;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  dispose(): Promise<void>;
}

/** Builds the main-process services. Plain Node: Electron and the Playwright bridge both use it. */
export function createBackend(options: BackendOptions): Backend {
  const { emit } = options;
  const log = new LogFanout(emit);
  const localFs = new LocalFsService();
  const recent = new RecentConnections(join(options.dataDir, 'recent-connections.json'));
  const pinFile = join(options.dataDir, 'pins.json');
  const legacyPinFile = join(options.dataDir, 'pinned-certificates.json');
  // Pins of earlier versions: the pin store reads the old format and rewrites it versioned.
  if (!existsSync(pinFile) && existsSync(legacyPinFile)) renameSync(legacyPinFile, pinFile);
  const pinStore = new PersistentPinStore(pinFile);
  const secrets: SecretStore = options.secretCipher
    ? new EncryptedFileSecretStore(join(options.dataDir, 'secrets.json'), options.secretCipher)
    : new UnavailableSecretStore();
  const sites = new SiteStore({ file: join(options.dataDir, 'sites.json'), secrets });
  const settings = new SettingsStore(join(options.dataDir, 'settings.json'));
  const plainFallback = new PlainFallbackStore(join(options.dataDir, 'plain-fallback.json'));
  sites.onChange(() => void sites.tree().then((tree) => emit('sites', tree)));
  pinStore.onChange((pins) => emit('pins', pins));
  const secretsStatus = (): SecretsStatus => {
    const reason = secrets.unavailableReason();
    return reason === undefined ? { available: true } : { available: false, reason };
  };
  const storeNotices = async (): Promise<StoreNotice[]> => {
    const notices = [
      await sites.notice(),
      secrets instanceof EncryptedFileSecretStore ? secrets.notice() : undefined,
      await pinStore.notice(),
      (await settings.load()).notice,
    ];
    return notices.filter((notice): notice is StoreNotice => notice !== undefined);
  };
  const timings = async () => engineTimings(await settings.get());
  /** Quick connect: the settings' timeouts, keepalive and default minimum TLS version. */
  const quickConnectOptions = async (mode: string) => {
    const current = await settings.get();
    return {
      ...engineTimings(current),
      ...(mode === 'plain' ? {} : { tls: { minVersion: current.defaultTlsMin } }),
    };
  };
  // The session ends transfers when it ends; the queue is built after the session it depends on.
  const ended = {
    reset: (_reason: string): Promise<void> => Promise.resolve(),
    started: (): void => undefined,
  };
  const session = new SessionService({
    connectClient: options.connectClient,
    ...(options.reconnectDelaysMs ? { reconnectDelaysMs: options.reconnectDelaysMs } : {}),
    pinStore,
    emit,
    log,
    recent,
    onEnded: () => void ended.reset('The session ended'),
    onConnected: () => ended.started(),
  });
  const transfers =
    options.createTransfers?.({ session, emit, localFs }) ??
    new QueueTransferService({
      session,
      emit,
      localFs,
      log,
      pinStore,
      statePath: join(options.dataDir, 'transfer-queue.json'),
    });
  const queue: TransferService = transfers;
  const limitTransfers = (limit: number | null | undefined): void => {
    if (transfers instanceof QueueTransferService) transfers.useSessionConnectionLimit(limit);
  };
  const applyTransferSettings = async (current: Settings): Promise<void> => {
    if (transfers instanceof QueueTransferService) await transfers.applySettings(current);
  };
  void settings
    .get()
    .then(applyTransferSettings)
    .catch(() => undefined);
  ended.reset = (reason) => queue.reset(reason);
  ended.started = () => queue.sessionStarted();

  const handlers: CommandHandlers = {
    getAppInfo: () => ({
      version: options.version,
      platform: options.platform,
      homeDir: localFs.home(),
      runtime: options.runtime,
      localTrash: options.trashItem !== undefined,
    }),
    getSession: () => session.snapshot(),
    connect: async (request) => {
      limitTransfers(undefined);
      return session.connect(request, await quickConnectOptions(request.mode));
    },
    disconnect: () => session.disconnect(),
    answerTrust: (promptId, decision) => {
      if (!queue.answerTrust(promptId, decision)) session.answerTrust(promptId, decision);
    },
    answerInsecure: (promptId, decision) => session.answerInsecure(promptId, decision),
    listRemote: (path) => session.list(path),
    makeRemoteDir: (path) => session.mkdir(path),
    renameRemote: (from, to) => session.rename(from, to),
    deleteRemote: (targets) => session.delete(targets),
    listLocal: (path) => localFs.list(path),
    makeLocalDir: (path) => localFs.mkdir(path),
    renameLocal: (from, to) => localFs.rename(from, to),
    deleteLocal: async (paths) => {
      const trash = options.trashItem;
      if (!trash) return localFs.delete(paths);
      for (const path of paths) {
        try {
          await trash(path);
        } catch (error) {
          throw localFsError('Move to the Trash', path, error);
        }
      }
    },
    listRecent: () => recent.list(),
    forgetRecent: (host, port, user) => recent.forget(host, port, user),
    addTransfers: (requests) => queue.add(requests),
    cancelTransfer: (id) => queue.cancel(id),
    retryTransfer: (id) => queue.retry(id),
    pauseTransfer: (id) => queue.pause(id),
    resumeTransfer: (id) => queue.resume(id),
    moveTransferToTop: (id) => queue.moveToTop(id),
    clearFinished: () => queue.clearFinished(),
    getTransfers: () => queue.list(),
    answerFileExists: (answer) => queue.answerFileExists(answer),
    getLog: () => log.snapshot(),
    takeLaunchPrefill: () => options.takeLaunchPrefill?.() ?? null,
    getSites: async () => {
      const tree = await sites.tree();
      return {
        tree,
        secrets: secretsStatus(),
        plainFallback: await plainFallback.rememberedIds(tree.sites),
      };
    },
    forgetPlainFallback: async (id) => {
      await sites.getSite(id);
      await plainFallback.forget(id);
      return plainFallback.rememberedIds((await sites.tree()).sites);
    },
    createSite: (input, siteSecrets) => sites.createSite(input, siteSecrets),
    updateSite: (id, input, siteSecrets) => sites.updateSite(id, input, siteSecrets),
    renameSite: (id, name) => sites.renameSite(id, name),
    duplicateSite: (id) => sites.duplicateSite(id),
    deleteSite: async (id) => {
      await sites.deleteSite(id);
      await plainFallback.forget(id);
    },
    createFolder: (name, parentId) => sites.createFolder(name, parentId),
    renameFolder: (id, name) => sites.renameFolder(id, name),
    deleteFolder: (id) => sites.deleteFolder(id),
    moveSiteItem: (id, parentId) => sites.move(id, parentId),
    checkSiteFiles: (input) => checkSiteFiles(input),
    connectSite: async (id, provided) => {
      const site = await sites.getSite(id);
      const resolved = await resolveSecrets(site, secrets, provided);
      if (!resolved.ok) return { status: 'needs-secrets', prompt: resolved.prompt };
      const connectOptions = await toConnectOptions(site, resolved.secrets, await timings());
      limitTransfers(site.maxConnections);
      const plainContext = {
        siteName: site.name,
        remembered: await plainFallback.allowed(site),
        remember: () => plainFallback.remember(site),
      };
      return {
        status: 'session',
        session: await session.connectWith(connectOptions, plainContext, {
          id: site.id,
          name: site.name,
        }),
      };
    },
    previewImport: async (path) => {
      const { report } = await readImport(expandHome(path));
      return { ...report, sites: markDuplicates(report.sites, await sites.tree()) };
    },
    applyImport: async (path, duplicates) =>
      applyImport(await readImport(expandHome(path)), {
        sites,
        pins: pinStore,
        ...(duplicates ? { duplicates } : {}),
      }),
    exportSites: async (path, includeSecrets) => {
      if (includeSecrets && path !== null) {
        // A compromised renderer must not be able to drop every password where it can read it.
        throw new FerryError({
          kind: 'usage',
          step: 'Export sites',
          reason: 'passwords are exported only to a file chosen in Ferry’s own save dialog',
        });
      }
      const target =
        path ??
        (await options.pickFile?.({
          title: includeSecrets ? 'Export sites WITH passwords (clear text)' : 'Export sites',
          save: true,
          extensions: ['json'],
        })) ??
        null;
      if (target === null) return null;
      const data = await exportSites(await sites.tree(), { includeSecrets, secrets });
      await writeFile(target, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
      return target;
    },
    listPins: () => pinStore.summaries(),
    getPinnedCertificate: async (host, port) => {
      const pin = await pinStore.get(host, port);
      if (!pin) {
        throw new FerryError({
          kind: 'usage',
          step: 'Show pinned certificate',
          reason: `no certificate is pinned for ${host}:${port}`,
        });
      }
      return {
        host: pin.host,
        port: pin.port,
        chain: [pin.certificate],
        session: { protocol: 'Not connected', cipher: '—' },
        verdict: { status: 'pinned' },
      };
    },
    removePin: async (host, port) => {
      await pinStore.remove(host, port);
      return pinStore.summaries();
    },
    getSettings: async () => ({
      settings: await settings.get(),
      notices: await storeNotices(),
      secrets: secretsStatus(),
    }),
    updateSettings: async (patch) => {
      const next = await settings.update(patch);
      await applyTransferSettings(next);
      emit('settings', next);
      return next;
    },
    pickFile: (pickOptions) => options.pickFile?.(pickOptions) ?? null,
  };

  async function dispatch(name: unknown, args: unknown): Promise<Result<unknown>> {
    if (!isCommandName(name)) {
      return {
        ok: false,
        error: { kind: 'usage', step: 'IPC', reason: `unknown command ${String(name)}` },
      };
    }
    try {
      const valid = validateCommandArgs(name, args);
      const handler = handlers[name] as (...a: unknown[]) => unknown;
      const value = await handler(...(valid as unknown[]));
      return { ok: true, value: value ?? null };
    } catch (error) {
      return { ok: false, error: errorDetail(error, name) };
    }
  }

  return {
    dispatch,
    handlers,
    session,
    transfers: queue,
    localFs,
    log,
    sites,
    pins: pinStore,
    settings,
    secrets,
    async dispose() {
      await queue.dispose();
      await session.disconnect().catch(() => undefined);
      log.flush();
      await localFs.dispose();
    },
  };
}

/** `~/x` as a shell reads it (the import field's placeholder suggests one). */
export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homedir(), path.slice(2));
  return path;
}

export function errorDetail(error: unknown, step: string): FerryErrorDetail {
  if (error instanceof ValidationError) return error.detail;
  if (error instanceof FerryError) return error.detail;
  const detail = (error as { detail?: unknown } | undefined)?.detail;
  if (isFerryErrorDetail(detail)) return detail;
  return toErrorDetail(error, step);
}
