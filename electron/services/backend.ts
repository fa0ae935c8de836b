import { join } from 'node:path';
import type { Result } from '../../shared/ipc';
import type { EmitEvent } from './events';
import { LocalFsService } from './local-fs';
import { LogFanout } from './log';
import type { PersistentPinStore } from './pins/pin-store';
import type { SecretStore, StringCipher } from './secrets/secret-store';
import type { SettingsStore } from './settings/settings-store';
import type { SiteStore } from './sites/site-store';
import type { ConnectClient } from './remote-client';
import { SessionService } from './session';
import { QueueTransferService, type TransferService } from './queue-transfers';
import { openStores } from './stores';
import type { CommandContext, CommandHandlers, HostOptions } from './commands/context';
import { createDispatch } from './commands/dispatch';
import { localCommands } from './commands/local-commands';
import { sessionCommands } from './commands/session-commands';
import { settingsCommands } from './commands/settings-commands';
import { siteCommands } from './commands/site-commands';
import { transferCommands } from './commands/transfer-commands';

export type { CommandHandlers } from './commands/context';
export { errorDetail } from './commands/dispatch';
export { expandHome } from './commands/site-commands';

export interface BackendOptions extends HostOptions {
  /** Where pins and recent connections are kept (Electron: userData). */
  dataDir: string;
  emit: EmitEvent;
  connectClient: ConnectClient;
  /** Replaces the queue-backed transfer service (tests). */
  createTransfers?: (deps: {
    session: SessionService;
    emit: EmitEvent;
    localFs: LocalFsService;
  }) => TransferService;
  /**
   * Encrypts saved passwords: Electron's `safeStorage` in the app, `aesGcmCipher()` in the bridge.
   * Without one, passwords are never saved and are asked for at connect time.
   */
  secretCipher?: StringCipher;
  /** Waits before reconnect attempts after a lost connection (tests); see RECONNECT_DELAYS_MS. */
  reconnectDelaysMs?: readonly number[];
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

/**
 * Builds the main-process services and wires them together; the work is in the stores, the
 * session, the queue and the command handlers (`commands/`). Plain Node: Electron and the
 * Playwright bridge both use it.
 */
export function createBackend(options: BackendOptions): Backend {
  const { emit } = options;
  const log = new LogFanout(emit);
  const localFs = new LocalFsService();
  const stores = openStores(options.dataDir, options.secretCipher);
  const { sites, pins, settings } = stores;
  sites.onChange(() => void sites.tree().then((tree) => emit('sites', tree)));
  pins.onChange((list) => emit('pins', list));

  const session = new SessionService({
    connectClient: options.connectClient,
    ...(options.reconnectDelaysMs ? { reconnectDelaysMs: options.reconnectDelaysMs } : {}),
    pinStore: pins,
    emit,
    log,
    recent: stores.recent,
  });
  const transfers =
    options.createTransfers?.({ session, emit, localFs }) ??
    new QueueTransferService({
      session,
      emit,
      localFs,
      log,
      pinStore: pins,
      statePath: join(options.dataDir, 'transfer-queue.json'),
    });
  // Transfers run while the session is connected and stop when it ends.
  session.onConnected(() => transfers.sessionStarted());
  session.onEnded(() => void transfers.reset('The session ended'));
  void settings
    .get()
    .then((current) => transfers.applySettings(current))
    .catch(() => undefined);

  const context: CommandContext = {
    ...stores,
    host: options,
    emit,
    session,
    transfers,
    localFs,
    log,
  };
  const handlers: CommandHandlers = {
    ...sessionCommands(context),
    ...localCommands(context),
    ...transferCommands(context),
    ...siteCommands(context),
    ...settingsCommands(context),
  };
  return {
    dispatch: createDispatch(handlers),
    handlers,
    session,
    transfers,
    localFs,
    log,
    sites,
    pins,
    settings,
    secrets: stores.secrets,
    async dispose() {
      await transfers.dispose();
      await session.disconnect().catch(() => undefined);
      log.flush();
      await localFs.dispose();
    },
  };
}
