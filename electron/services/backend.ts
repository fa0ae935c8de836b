import { join } from 'node:path';
import { isFerryErrorDetail, type FerryErrorDetail } from '../../shared/errors';
import {
  isCommandName,
  type AppInfo,
  type CommandArgs,
  type CommandName,
  type CommandValue,
  type Result,
} from '../../shared/ipc';
import { validateCommandArgs, ValidationError } from '../../shared/ipc-validate';
import { FerryError, toErrorDetail } from '../engine/errors';
import type { EmitEvent } from './events';
import { LocalFsService } from './local-fs';
import { LogFanout } from './log';
import { JsonPinStore } from './pins';
import { RecentConnections } from './recent';
import type { ConnectClient } from './remote-client';
import { SessionService } from './session';
import { SequentialTransferService, type TransferService } from './transfers';

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
  /** Replaces the built-in sequential transfer service (the real queue plugs in here). */
  createTransfers?: (deps: {
    session: SessionService;
    emit: EmitEvent;
    localFs: LocalFsService;
  }) => TransferService;
}

export interface Backend {
  /** Validates a command's name and arguments, runs it, and turns failures into typed errors. */
  dispatch(name: unknown, args: unknown): Promise<Result<unknown>>;
  readonly handlers: CommandHandlers;
  readonly session: SessionService;
  readonly transfers: TransferService;
  readonly localFs: LocalFsService;
  readonly log: LogFanout;
  dispose(): Promise<void>;
}

/** Builds the main-process services. Plain Node: Electron and the Playwright bridge both use it. */
export function createBackend(options: BackendOptions): Backend {
  const { emit } = options;
  const log = new LogFanout(emit);
  const localFs = new LocalFsService();
  const recent = new RecentConnections(join(options.dataDir, 'recent-connections.json'));
  const pinStore = new JsonPinStore(join(options.dataDir, 'pinned-certificates.json'));
  // The session ends transfers when it ends; the queue is built after the session it depends on.
  const ended = { reset: (_reason: string): Promise<void> => Promise.resolve() };
  const session = new SessionService({
    connectClient: options.connectClient,
    pinStore,
    emit,
    log,
    recent,
    onEnded: () => void ended.reset('The session ended'),
  });
  let transferConnections = 0;
  const transfers =
    options.createTransfers?.({ session, emit, localFs }) ??
    new SequentialTransferService({
      emit,
      localFs,
      openClient: () =>
        options.connectClient(
          session.connectionOptionsForTransfers(`transfer-${++transferConnections}`),
        ),
      siteKey: () => {
        const target = session.snapshot().target;
        return target ? `${target.user}@${target.host}:${target.port}` : 'none';
      },
      onDataConnection: (record) => session.recordDataConnection(record),
    });
  const queue: TransferService = transfers;
  ended.reset = (reason) => queue.reset(reason);

  const handlers: CommandHandlers = {
    getAppInfo: () => ({
      version: options.version,
      platform: options.platform,
      homeDir: localFs.home(),
      runtime: options.runtime,
    }),
    getSession: () => session.snapshot(),
    connect: (request) => session.connect(request),
    disconnect: () => session.disconnect(),
    answerTrust: (promptId, decision) => session.answerTrust(promptId, decision),
    listRemote: (path) => session.list(path),
    makeRemoteDir: (path) => session.mkdir(path),
    renameRemote: (from, to) => session.rename(from, to),
    deleteRemote: (targets) => session.delete(targets),
    listLocal: (path) => localFs.list(path),
    makeLocalDir: (path) => localFs.mkdir(path),
    renameLocal: (from, to) => localFs.rename(from, to),
    deleteLocal: (paths) => localFs.delete(paths),
    listRecent: () => recent.list(),
    forgetRecent: (host, port, user) => recent.forget(host, port, user),
    addTransfers: (requests) => queue.add(requests),
    cancelTransfer: (id) => queue.cancel(id),
    retryTransfer: (id) => queue.retry(id),
    clearFinished: () => queue.clearFinished(),
    getTransfers: () => queue.list(),
    answerFileExists: (answer) => queue.answerFileExists(answer),
    getLog: () => log.snapshot(),
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
    async dispose() {
      await queue.dispose();
      await session.disconnect().catch(() => undefined);
      log.flush();
      await localFs.dispose();
    },
  };
}

export function errorDetail(error: unknown, step: string): FerryErrorDetail {
  if (error instanceof ValidationError) return error.detail;
  if (error instanceof FerryError) return error.detail;
  const detail = (error as { detail?: unknown } | undefined)?.detail;
  if (isFerryErrorDetail(detail)) return detail;
  return toErrorDetail(error, step);
}
