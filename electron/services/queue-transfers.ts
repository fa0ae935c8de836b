import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TransferRequest, TrustPrompt } from '../../shared/ipc';
import type {
  CertificateReport,
  DataConnectionRecord,
  TrustDecision,
  UntrustedReason,
} from '../../shared/models';
import {
  ACTIVE_TRANSFER_STATES,
  type FileExistsAction,
  type FileExistsAnswer,
  type TransferItem,
} from '../../shared/transfers';
import { FerryError } from '../engine/errors';
import { localFsError } from '../files/local-fs-error';
import type { PinStore } from '../engine/types';
import { clampConnections, DEFAULT_CONNECTIONS, TransferQueue } from '../queue';
import type { CertificateChange, Connector, SiteConfig } from '../queue';
import type { EmitEvent } from './events';
import type { LocalFsService } from './local-fs';
import type { LogFanout } from './log';
import { remoteParent } from '../../shared/remote-path';
import type { ConnectionLimit } from '../../shared/settings-limits';
import type { SessionService } from './session';

/** What the app needs from a transfer queue: the IPC commands and the session's life cycle. */
/** The part of the settings the queue follows. */
export interface TransferSettings {
  transferConcurrency: ConnectionLimit;
  preserveTimes: boolean;
  fileExists: { upload: FileExistsAction; download: FileExistsAction };
}

export interface TransferService {
  add(requests: TransferRequest[]): Promise<string[]>;
  cancel(id: string): Promise<void>;
  retry(id: string): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** Runs the item next (before everything else queued). */
  moveToTop(id: string): Promise<void>;
  clearFinished(): Promise<void>;
  list(): Promise<TransferItem[]>;
  answerFileExists(answer: FileExistsAnswer): Promise<void>;
  /** Answers a trust prompt the transfers raised; false when the prompt is not theirs. */
  answerTrust(promptId: string, decision: TrustDecision): boolean;
  /** Whether anything is queued or running for the current server (the window asks before closing). */
  hasPending(): boolean;
  /** The session connected: its server's items run (again). */
  sessionStarted(): void;
  /** The session ended: its transfers stop and wait in the queue for the next connection. */
  reset(reason: string): Promise<void>;
  /** A saved site's own connection limit for the session that starts (none: the settings'). */
  useSessionConnectionLimit(limit: number | null | undefined, segmented?: boolean): void;
  /** Connections per server, keeping times and the file-exists defaults, from the settings. */
  applySettings(settings: TransferSettings): Promise<void>;
  dispose(): Promise<void>;
}

export interface QueueTransferOptions {
  session: SessionService;
  emit: EmitEvent;
  localFs: LocalFsService;
  log: LogFanout;
  /** Pins a certificate the user chose to "always trust" after it changed. */
  pinStore?: PinStore;
  /** Where the queue is kept between runs (JSON); in memory only without it. */
  statePath?: string;
  /** Connections per server (1–10 or "auto"). */
  maxConnections?: ConnectionLimit;
  /** Replaces FtpsClient.connect (tests). */
  connect?: Connector;
  /** Progress batch interval (≥ 100 ms). */
  progressIntervalMs?: number;
}

const ACTIVE = ACTIVE_TRANSFER_STATES;

/**
 * The app's transfer service on the real queue (electron/queue): a pool of connections per server
 * built from the session's connect options, parallel transfers, pause/resume, priorities, and a
 * queue persisted in the user-data folder. Items of a server wait while no session to it is open.
 */
export class QueueTransferService implements TransferService {
  private readonly ready: Promise<TransferQueue>;
  private queue: TransferQueue | undefined;
  /** The site of the current session. */
  private siteKey: string | undefined;
  private currentSite: SiteConfig | undefined;
  /** A saved site's own connection limit for the current session. */
  private sessionLimit: number | undefined;
  /** The saved site's choice: large downloads over several connections (default) or one. */
  private sessionSegmented = true;
  private readonly prompts = new Map<
    string,
    { change: CertificateChange; report: CertificateReport }
  >();
  private readonly changed = new Map<string, TransferItem>();
  private flushScheduled = false;
  private announceTimer: NodeJS.Timeout | undefined;
  private readonly touched = { local: new Set<string>(), remote: new Set<string>() };

  constructor(private readonly options: QueueTransferOptions) {
    const queueOptions = {
      ...(options.statePath ? { statePath: options.statePath } : {}),
      ...(options.connect ? { connect: options.connect } : {}),
      ...(options.progressIntervalMs ? { progressIntervalMs: options.progressIntervalMs } : {}),
      onExists: { upload: 'ask', download: 'ask' } as const,
    };
    this.ready = TransferQueue.open(queueOptions)
      .catch((error: unknown) => {
        options.log.info(
          `The saved transfer queue could not be read: ${error instanceof Error ? error.message : String(error)}`,
          'warning',
        );
        return new TransferQueue({ ...queueOptions, statePath: undefined });
      })
      .then((queue) => {
        this.wire(queue);
        this.queue = queue;
        return queue;
      });
  }

  private wire(queue: TransferQueue): void {
    const { emit, log } = this.options;
    queue.on('item', (item) => {
      this.changed.set(item.id, item);
      if (item.state === 'done' && !item.skipped) {
        this.finished(queue, item);
        this.scheduleAnnounce();
      }
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flushItems());
      }
    });
    queue.on('progress', (batch) => {
      this.flushItems();
      emit('progress', batch);
    });
    queue.on('question', (question) => {
      this.flushItems();
      emit('fileExists', question);
    });
    queue.on('certificate', (change) => this.certificateChanged(change));
    queue.on('log', (line) =>
      log.info(
        line.text,
        line.level === 'info' ? 'info' : line.level === 'warning' ? 'warning' : 'error',
      ),
    );
  }

  /** Once the current server's items have all finished, the folders they went into are listed again. */
  private scheduleAnnounce(): void {
    if (this.announceTimer) clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(() => {
      this.announceTimer = undefined;
      const busy = this.queue
        ?.list()
        .some(
          (item) =>
            ACTIVE.has(item.state) || (item.state === 'queued' && item.siteKey === this.siteKey),
        );
      if (busy) this.scheduleAnnounce();
      else void this.announceTouched();
    }, 250);
  }

  private flushItems(): void {
    this.flushScheduled = false;
    if (this.changed.size === 0) return;
    const items = [...this.changed.values()];
    this.changed.clear();
    this.options.emit('transfers', items);
  }

  private async get(): Promise<TransferQueue> {
    return this.queue ?? this.ready;
  }

  // ---- commands ------------------------------------------------------------------------------

  async add(requests: TransferRequest[]): Promise<string[]> {
    const queue = await this.get();
    const siteKey = this.ensureSite(queue);
    const jobs: string[] = [];
    // One call is one batch: the renderer's drop or transfer command.
    const batchId = randomUUID();
    for (const request of requests) {
      let isDirectory = request.isDirectory;
      if (request.direction === 'upload') {
        const info = await stat(request.localPath).catch((error: unknown) => {
          throw localFsError('Queue upload', request.localPath, error);
        });
        isDirectory = info.isDirectory();
      }
      jobs.push(
        queue.add({
          siteKey,
          direction: request.direction,
          localPath: request.localPath,
          remotePath: request.remotePath,
          batchId,
          ...(isDirectory ? { isDirectory: true } : {}),
        }),
      );
    }
    return jobs;
  }

  async cancel(id: string): Promise<void> {
    (await this.get()).cancel(id);
  }

  async retry(id: string): Promise<void> {
    (await this.get()).retry(id);
  }

  async pause(id: string): Promise<void> {
    (await this.get()).pause(id);
  }

  async resume(id: string): Promise<void> {
    (await this.get()).resume(id);
  }

  async moveToTop(id: string): Promise<void> {
    (await this.get()).moveToTop(id);
  }

  async clearFinished(): Promise<void> {
    const queue = await this.get();
    const before = queue.list().map((item) => item.id);
    queue.clearFinished();
    const left = new Set(queue.list().map((item) => item.id));
    const removed = before.filter((id) => !left.has(id));
    for (const id of removed) this.changed.delete(id);
    if (removed.length > 0) this.options.emit('transfersRemoved', removed);
    this.options.emit('progress', { samples: [], totals: queue.totals() });
  }

  async list(): Promise<TransferItem[]> {
    return (await this.get()).list();
  }

  async answerFileExists(answer: FileExistsAnswer): Promise<void> {
    (await this.get()).answerFileExists(answer);
  }

  answerTrust(promptId: string, decision: TrustDecision): boolean {
    const pending = this.prompts.get(promptId);
    if (!pending) return false;
    this.prompts.delete(promptId);
    const { change, report } = pending;
    const accept = decision !== 'reject';
    this.options.log.info(
      accept
        ? `Changed certificate ${decision === 'always' ? 'trusted and pinned' : 'trusted for these transfers'}: ${change.fingerprint256}`
        : 'Changed certificate rejected: the transfers to this server stop',
      accept ? 'tls' : 'warning',
    );
    const leaf = report.chain[0];
    if (decision === 'always' && leaf && this.options.pinStore) {
      void this.options.pinStore
        .set({
          host: report.host,
          port: report.port,
          fingerprint256: leaf.fingerprint256,
          certificate: leaf,
          pinnedAt: new Date().toISOString(),
        })
        .catch(() => undefined);
    }
    this.queue?.answerCertificate(change.siteKey, accept);
    return true;
  }

  hasPending(): boolean {
    const queue = this.queue;
    if (!queue) return false;
    if (queue.list().some((item) => ACTIVE.has(item.state))) return true;
    return this.siteKey !== undefined && queue.hasPending();
  }

  // ---- the session ---------------------------------------------------------------------------

  sessionStarted(): void {
    if (this.queue) this.ensureSite(this.queue);
    else void this.ready.then((queue) => this.ensureSite(queue)).catch(() => undefined);
  }

  /** Registers the current session's server with the queue; throws when there is no session. */
  private ensureSite(queue: TransferQueue): string {
    const { session } = this.options;
    const state = session.snapshot();
    const target = state.target;
    if (state.status !== 'connected' || !target) {
      throw new FerryError({
        kind: 'usage',
        step: 'Transfer',
        reason: 'not connected to a server',
      });
    }
    const key = `${target.user}@${target.host}:${target.port}`;
    if (this.siteKey === key) return key;
    if (this.siteKey) queue.removeSite(this.siteKey);
    const { connectionId: _id, ...connect } = session.connectionOptionsForTransfers('transfer');
    const fingerprint = state.report?.chain[0]?.fingerprint256;
    this.currentSite = {
      key,
      connect,
      maxConnections: this.connectionLimit(),
      ...(this.sessionSegmented ? {} : { segments: 1 }),
      ...(fingerprint ? { trustedFingerprint256: fingerprint } : {}),
    };
    queue.setSite(this.currentSite);
    this.siteKey = key;
    return key;
  }

  /**
   * The user's transfer settings: connections per server (applied to the current server's pool
   * at once), keeping modification times, and the file-exists defaults for each direction.
   */
  async applySettings(settings: TransferSettings): Promise<void> {
    const queue = await this.ready;
    this.options.maxConnections = settings.transferConcurrency;
    queue.setPreserveTimes(settings.preserveTimes);
    queue.setDefaultOnExists('upload', settings.fileExists.upload);
    queue.setDefaultOnExists('download', settings.fileExists.download);
    const key = this.siteKey;
    const site = key ? this.currentSite : undefined;
    if (key && site) {
      this.currentSite = { ...site, maxConnections: this.connectionLimit() };
      queue.setSite(this.currentSite);
    }
  }

  /**
   * Connections per server for the session that starts now: a saved site's own limit, or
   * undefined for the settings' default (quick connect).
   */
  useSessionConnectionLimit(limit: number | null | undefined, segmented = true): void {
    this.sessionLimit = limit ? clampConnections(limit) : undefined;
    this.sessionSegmented = segmented;
  }

  private connectionLimit(): ConnectionLimit {
    return this.sessionLimit ?? this.options.maxConnections ?? DEFAULT_CONNECTIONS;
  }

  async reset(_reason: string): Promise<void> {
    const key = this.siteKey;
    this.siteKey = undefined;
    if (!key) return;
    const queue = await this.get();
    // The server's items go back in line; they run again when a session to it opens.
    queue.removeSite(key);
    for (const [promptId, pending] of this.prompts)
      if (pending.change.siteKey === key) this.prompts.delete(promptId);
  }

  async dispose(): Promise<void> {
    if (this.announceTimer) clearTimeout(this.announceTimer);
    const queue = await this.ready;
    this.siteKey = undefined;
    await queue.dispose();
    this.flushItems();
  }

  // ---- internals -----------------------------------------------------------------------------

  private certificateChanged(change: CertificateChange): void {
    this.flushItems();
    const current = this.options.session.snapshot().report;
    const base = change.report ?? current;
    if (!base) {
      this.queue?.answerCertificate(change.siteKey, false);
      return;
    }
    const previous = current?.chain.find(
      (cert) => cert.fingerprint256 === change.previousFingerprint256,
    );
    const reasons: UntrustedReason[] =
      base.verdict.status === 'untrusted' || base.verdict.status === 'changed'
        ? base.verdict.reasons
        : [];
    const report: CertificateReport = previous
      ? {
          ...base,
          verdict: {
            status: 'changed',
            previous,
            reasons,
            detail: 'The transfer connection saw a different certificate from the session’s.',
          },
        }
      : base;
    const prompt: TrustPrompt = { promptId: randomUUID(), report };
    this.prompts.set(prompt.promptId, { change, report });
    this.options.log.info(
      `Transfers stopped: ${report.host}:${report.port} presented another certificate (${change.fingerprint256})`,
      'warning',
    );
    this.options.emit('trustPrompt', prompt);
  }

  private finished(queue: TransferQueue, item: TransferItem): void {
    const job = queue.listJobs().find((record) => record.id === item.jobId);
    if (item.direction === 'download') {
      this.touched.local.add(dirname(item.localPath));
      if (job) this.touched.local.add(dirname(job.localPath));
    } else {
      this.touched.remote.add(remoteParent(item.remotePath));
      if (job) this.touched.remote.add(remoteParent(job.remotePath));
    }
    const security = this.options.session.snapshot().security;
    if (security) {
      const record: DataConnectionRecord = {
        command: item.direction === 'download' ? 'RETR' : 'STOR',
        resumed: item.tlsResumed === true,
        protocol: security.tlsProtocol ?? '',
        tls: security.dataProtection === 'P',
      };
      this.options.session.recordDataConnection(record);
    }
  }

  private async announceTouched(): Promise<void> {
    const local = [...this.touched.local];
    const remote = [...this.touched.remote];
    this.touched.local.clear();
    this.touched.remote.clear();
    for (const dir of local) {
      const listing = await this.options.localFs.list(dir).catch(() => undefined);
      if (listing) this.options.emit('listing', listing);
    }
    for (const dir of remote) {
      const listing = await this.options.session.listFolder(dir).catch(() => undefined);
      if (listing) this.options.emit('listing', listing);
    }
  }
}
