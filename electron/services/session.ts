import { randomUUID } from 'node:crypto';
import type {
  ConnectRequest,
  InsecureDecision,
  InsecurePrompt,
  Listing,
  PathTarget,
  SessionSecurity,
  SessionSite,
  SessionState,
  TrustPrompt,
} from '../../shared/ipc';
import type { CertificateReport, DataConnectionRecord, TrustDecision } from '../../shared/models';
import type { FerryErrorDetail } from '../../shared/errors';
import { defaultPort } from '../../shared/ports';
import { FerryError, toErrorDetail } from '../engine/errors';
import { SessionSecureContexts } from '../engine/secure-context';
import type { ConnectOptions, InsecureQuestion, PinStore } from '../engine/types';
import type { EmitEvent } from './events';
import type { LogFanout } from './log';
import type { RecentConnections } from './recent';
import { SerialLane, type ConnectClient, type RemoteClient } from './remote-client';
import { Signal } from './signal';

interface PendingPrompt {
  prompt: TrustPrompt;
  resolve: (decision: TrustDecision) => void;
}

/** For a saved site: whether "continue without TLS" was remembered, and how to remember it. */
export interface PlainFallbackContext {
  siteName: string;
  remembered: boolean;
  remember: () => Promise<void>;
}

export interface SessionServiceOptions {
  connectClient: ConnectClient;
  pinStore: PinStore;
  emit: EmitEvent;
  log: LogFanout;
  recent: RecentConnections;
  /** Waits before each reconnect attempt after the connection was lost (tests shorten them). */
  reconnectDelaysMs?: readonly number[];
}

/** Backoff before each attempt to get a lost browsing connection back; then the session ends. */
export const RECONNECT_DELAYS_MS: readonly number[] = [2_000, 4_000, 8_000, 16_000, 30_000];

/**
 * The browsing session: one control connection for listings and file operations, the certificate
 * trust prompt, and the security summary the status bar shows. Transfers open their own
 * connections through `openConnection()`, which reuses the user's trust decision.
 */
export class SessionService {
  private client: RemoteClient | undefined;
  /** The connection settings of the current session, without the session's own callbacks. */
  private base: ConnectOptions | undefined;
  private lane = new SerialLane();
  private state: SessionState = { status: 'disconnected' };
  private readonly prompts = new Map<string, PendingPrompt>();
  /** Fingerprints the user chose to trust once, per host:port, for this session only. */
  private readonly trustedOnce = new Map<string, string>();
  /** Plain-FTP questions waiting for the user. */
  private readonly insecurePrompts = new Map<string, (decision: InsecureDecision) => void>();
  /** host:port the user let go on without TLS in this session (transfer connections reuse it). */
  private readonly plainAllowed = new Set<string>();
  private plainContext: PlainFallbackContext | undefined;
  private readonly connected = new Signal();
  private readonly ended = new Signal();
  /** Runs `listener` each time the session is connected (transfers to its server may run). */
  readonly onConnected = (listener: () => void): (() => void) => this.connected.on(listener);
  /** Runs `listener` each time the session ends, so other connections (transfers) close too. */
  readonly onEnded = (listener: () => void): (() => void) => this.ended.on(listener);
  private readonly extraData: DataConnectionRecord[] = [];
  private generation = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: SessionServiceOptions) {}

  snapshot(): SessionState {
    return this.state;
  }

  private setState(next: SessionState): SessionState {
    this.state = next;
    this.options.emit('session', next);
    return next;
  }

  /** Quick connect. `extra` carries settings such as timeouts and keepalive. */
  connect(request: ConnectRequest, extra: Partial<ConnectOptions> = {}): Promise<SessionState> {
    return this.connectWith({
      ...extra,
      host: request.host,
      port: request.port,
      mode: request.mode,
      user: request.user || 'anonymous',
      password: request.password,
    });
  }

  /**
   * Connects with complete engine options (a saved site: `toConnectOptions(site, …)`). The pin
   * store, trust prompts, connection ids and logging are the session's own.
   */
  async connectWith(
    options: ConnectOptions,
    plainContext?: PlainFallbackContext,
    site?: SessionSite,
  ): Promise<SessionState> {
    const request = {
      host: options.host,
      port: options.port ?? defaultPort(options.mode),
      mode: options.mode,
      user: options.user ?? '',
    };
    if (
      this.client ||
      this.state.status === 'connecting' ||
      this.state.status === 'awaiting-trust' ||
      this.state.status === 'reconnecting'
    ) {
      await this.disconnect();
    }
    const generation = ++this.generation;
    // One set of TLS contexts for the browsing connection and the queue's connections to it.
    this.base = {
      ...options,
      secureContexts: options.secureContexts ?? new SessionSecureContexts(options.tls),
    };
    this.plainContext = plainContext;
    // A "continue without TLS" answer covers one session: a lost connection ends it too.
    this.plainAllowed.clear();
    this.extraData.length = 0;
    const target = {
      host: request.host,
      port: request.port,
      mode: request.mode,
      user: request.user,
      ...(site ? { site: { id: site.id, name: site.name } } : {}),
    };
    this.setState({ status: 'connecting', target });
    this.options.log.info(`Connecting to ${request.host}:${request.port} (${request.mode})`);
    try {
      const client = await this.options.connectClient(
        this.connectOptions(this.base, 'browse', generation),
      );
      if (generation !== this.generation) {
        await client.close().catch(() => undefined);
        throw new FerryError({ kind: 'cancelled', step: 'Connect' });
      }
      this.client = client;
      this.lane = new SerialLane();
      client.onClose((error) => this.handleClosed(client, error));
      const cwd = await client.pwd();
      await this.options.recent
        .remember({
          host: request.host,
          port: request.port,
          mode: request.mode,
          user: request.user,
        })
        .catch(() => undefined);
      const connected = this.setState({
        status: 'connected',
        target,
        cwd,
        security: this.securityOf(client),
        report: client.report,
      });
      this.connected.fire();
      return connected;
    } catch (error) {
      const detail = toErrorDetail(error, 'Connect');
      if (generation === this.generation) {
        this.options.log.info(
          `Connection failed: ${error instanceof Error ? error.message : String(error)}`,
          'error',
        );
        this.setState({ status: 'failed', target, error: detail });
      }
      throw error instanceof FerryError ? error : new FerryError(detail, { cause: error });
    }
  }

  async disconnect(): Promise<SessionState> {
    this.generation++;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    for (const pending of this.prompts.values()) pending.resolve('reject');
    this.prompts.clear();
    for (const resolve of this.insecurePrompts.values()) resolve('cancel');
    this.insecurePrompts.clear();
    this.plainAllowed.clear();
    this.plainContext = undefined;
    const client = this.client;
    this.client = undefined;
    this.base = undefined;
    this.trustedOnce.clear();
    this.ended.fire();
    if (client) {
      await client.close().catch(() => undefined);
      this.options.log.info('Disconnected');
    }
    return this.setState({ status: 'disconnected' });
  }

  answerTrust(promptId: string, decision: TrustDecision): void {
    const pending = this.prompts.get(promptId);
    if (!pending)
      throw new FerryError({
        kind: 'usage',
        step: 'Answer certificate prompt',
        reason: 'no such prompt',
      });
    this.prompts.delete(promptId);
    pending.resolve(decision);
  }

  answerInsecure(promptId: string, decision: InsecureDecision): void {
    const resolve = this.insecurePrompts.get(promptId);
    if (!resolve) {
      throw new FerryError({
        kind: 'usage',
        step: 'Answer plain-FTP prompt',
        reason: 'no such prompt',
      });
    }
    this.insecurePrompts.delete(promptId);
    resolve(decision);
  }

  /** Options for another connection to the current server (the transfer connection). */
  connectionOptionsForTransfers(connectionId: string): ConnectOptions {
    // While the browsing connection reconnects, transfers keep their own connections going.
    if (!this.base || (this.state.status !== 'connected' && this.state.status !== 'reconnecting')) {
      throw new FerryError({
        kind: 'usage',
        step: 'Transfer',
        reason: 'not connected to a server',
      });
    }
    return this.connectOptions(this.base, connectionId, this.generation);
  }

  /** Counts a data connection opened by another connection of this session (transfers). */
  recordDataConnection(record: DataConnectionRecord): void {
    this.extraData.push(record);
    if (this.client && this.state.status === 'connected') {
      this.setState({ ...this.state, security: this.securityOf(this.client) });
    }
  }

  async list(path?: string): Promise<Listing> {
    return this.withClient('List remote folder', async (client) => {
      const target = path ?? this.state.cwd ?? '/';
      const dir = await client.cd(target);
      const entries = await client.list();
      this.state = { ...this.state, cwd: dir, security: this.securityOf(client) };
      this.options.emit('session', this.state);
      return { side: 'remote', path: dir, entries };
    });
  }

  /** Lists a folder without changing the session's working directory (refresh after transfers). */
  listFolder(path: string): Promise<Listing> {
    return this.withClient('List remote folder', async (client) => ({
      side: 'remote',
      path,
      entries: await client.list(path),
    }));
  }

  mkdir(path: string): Promise<void> {
    return this.withClient('Create remote folder', (client) => client.mkdir(path));
  }

  rename(from: string, to: string): Promise<void> {
    return this.withClient('Rename remote item', (client) => client.rename(from, to));
  }

  delete(targets: PathTarget[]): Promise<void> {
    return this.withClient('Delete remote item', async (client) => {
      for (const target of targets) {
        if (target.kind === 'dir') await client.rmdir(target.path, { recursive: true });
        else await client.delete(target.path);
      }
    });
  }

  private withClient<T>(step: string, task: (client: RemoteClient) => Promise<T>): Promise<T> {
    const client = this.client;
    if (!client)
      return Promise.reject(
        new FerryError({ kind: 'usage', step, reason: 'not connected to a server' }),
      );
    return this.lane.run(() => task(client));
  }

  private handleClosed(client: RemoteClient, error?: FerryError): void {
    if (client !== this.client) return;
    this.client = undefined;
    if (error && this.base && this.state.status === 'connected') {
      // Lost, not ended: keep the session (folder, trust, transfers) and get the connection back.
      this.options.log.info(`Connection lost: ${error.message}`, 'error');
      this.scheduleReconnect(1, error.detail);
      return;
    }
    this.ended.fire();
    if (error) {
      this.options.log.info(`Connection lost: ${error.message}`, 'error');
      this.setState({ status: 'failed', target: this.state.target, error: error.detail });
    } else {
      this.setState({ status: 'disconnected' });
    }
  }

  /** How the browsing connection's certificate came to be accepted (see SessionSecurity). */
  private certificateTrust(
    report: CertificateReport | undefined,
  ): SessionSecurity['certificateTrust'] {
    if (!report) return undefined;
    const verdict = report.verdict;
    if (verdict.status === 'trusted') return 'verified';
    if (verdict.status === 'pinned') return 'pinned';
    const leaf = report.chain[0];
    const key = `${report.host.toLowerCase()}:${report.port}`;
    // Accepted by the user: 'once' is remembered here, 'always' became a pin.
    return leaf && this.trustedOnce.get(key) === leaf.fingerprint256 ? 'once' : 'pinned';
  }

  private scheduleReconnect(attempt: number, lost: FerryErrorDetail): void {
    const delays = this.options.reconnectDelaysMs ?? RECONNECT_DELAYS_MS;
    const delay = delays[attempt - 1];
    const { target, cwd } = this.state;
    if (delay === undefined) {
      this.options.log.info('Could not reconnect: the session has ended', 'error');
      this.ended.fire();
      this.setState({
        status: 'failed',
        ...(target ? { target } : {}),
        error: lost,
        lost: true,
      });
      return;
    }
    const reconnect = {
      attempt,
      attempts: delays.length,
      at: new Date(Date.now() + delay).toISOString(),
    };
    this.setState({
      ...this.state,
      status: 'reconnecting',
      error: lost,
      reconnect,
      ...(cwd ? { cwd } : {}),
    });
    const generation = this.generation;
    this.reconnectTimer = setTimeout(() => void this.reconnect(attempt, lost, generation), delay);
  }

  private async reconnect(attempt: number, lost: FerryErrorDetail, generation: number) {
    const base = this.base;
    if (generation !== this.generation || !base) return;
    const attempts = (this.options.reconnectDelaysMs ?? RECONNECT_DELAYS_MS).length;
    this.options.log.info(`Reconnecting (attempt ${attempt} of ${attempts})`);
    this.setState({ ...this.state, status: 'reconnecting', reconnect: { attempt, attempts } });
    try {
      const client = await this.options.connectClient(
        this.connectOptions(base, 'browse', generation),
      );
      if (generation !== this.generation) {
        await client.close().catch(() => undefined);
        return;
      }
      this.client = client;
      this.lane = new SerialLane();
      client.onClose((error) => this.handleClosed(client, error));
      const { target, cwd, report } = this.state;
      this.options.log.info('Reconnected');
      this.setState({
        status: 'connected',
        ...(target ? { target } : {}),
        ...(cwd ? { cwd } : {}),
        security: this.securityOf(client),
        report: client.report ?? report,
      });
    } catch (error) {
      if (generation !== this.generation) return;
      this.options.log.info(
        `Reconnect failed: ${error instanceof Error ? error.message : String(error)}`,
        'error',
      );
      this.scheduleReconnect(attempt + 1, lost);
    }
  }

  private securityOf(client: RemoteClient): SessionSecurity {
    const records = [...client.dataConnections, ...this.extraData];
    const last = records[records.length - 1];
    const certificateTrust = this.certificateTrust(client.report);
    return {
      ...client.security,
      ...(certificateTrust ? { certificateTrust } : {}),
      dataConnections: {
        total: records.length,
        protected: records.filter((r) => r.tls).length,
        resumed: records.filter((r) => r.resumed).length,
        ...(last ? { last } : {}),
      },
    };
  }

  private connectOptions(
    base: ConnectOptions,
    connectionId: string,
    generation: number,
  ): ConnectOptions {
    return {
      ...base,
      pinStore: this.options.pinStore,
      connectionId,
      onLog: (line) =>
        this.options.log.push({ ...line, connectionId: line.connectionId ?? connectionId }),
      decideInsecure: (question) => this.decideInsecure(question, generation),
      decideTrust: (report) => this.decideTrust(report, generation),
    };
  }

  /** The server refused TLS in "if available" mode: ask before anything is sent, Cancel first. */
  private async decideInsecure(question: InsecureQuestion, generation: number): Promise<boolean> {
    const key = `${question.host.toLowerCase()}:${question.port}`;
    if (this.plainAllowed.has(key)) return true;
    if (generation !== this.generation) return false;
    const context = this.plainContext;
    if (context?.remembered) {
      this.options.log.info(
        `${question.host}:${question.port} offers no TLS; continuing in clear text as remembered for ${context.siteName}`,
        'warning',
      );
      this.plainAllowed.add(key);
      return true;
    }
    const prompt: InsecurePrompt = {
      promptId: randomUUID(),
      host: question.host,
      port: question.port,
      reason: question.reason,
      ...(context ? { siteName: context.siteName } : {}),
    };
    const decision = await new Promise<InsecureDecision>((resolve) => {
      this.insecurePrompts.set(prompt.promptId, resolve);
      this.options.emit('insecurePrompt', prompt);
    });
    if (decision === 'cancel' || generation !== this.generation) {
      this.options.log.info('Connection without TLS cancelled by the user', 'warning');
      return false;
    }
    this.plainAllowed.add(key);
    if (decision === 'always' && context) await context.remember().catch(() => undefined);
    this.options.log.info(
      `Continuing WITHOUT encryption at the user's request${decision === 'always' && context ? ` (remembered for ${context.siteName})` : ''}: ${question.reason}`,
      'warning',
    );
    return true;
  }

  private decideTrust(report: CertificateReport, generation: number): Promise<TrustDecision> {
    const leaf = report.chain[0];
    const key = `${report.host.toLowerCase()}:${report.port}`;
    if (leaf && this.trustedOnce.get(key) === leaf.fingerprint256) return Promise.resolve('once');
    if (generation !== this.generation) return Promise.resolve('reject');
    const prompt: TrustPrompt = { promptId: randomUUID(), report };
    const previous = this.state;
    this.setState({ ...previous, status: 'awaiting-trust', report });
    return new Promise<TrustDecision>((resolve) => {
      this.prompts.set(prompt.promptId, {
        prompt,
        resolve: (decision) => {
          if (decision === 'once' && leaf) this.trustedOnce.set(key, leaf.fingerprint256);
          this.options.log.info(
            decision === 'reject'
              ? 'Certificate rejected by the user'
              : `Certificate ${decision === 'always' ? 'trusted and pinned' : 'trusted for this session'}: ${leaf?.fingerprint256 ?? ''}`,
            decision === 'reject' ? 'warning' : 'tls',
          );
          if (this.state.status === 'awaiting-trust')
            this.setState({ ...previous, status: 'connecting' });
          resolve(decision);
        },
      });
      this.options.emit('trustPrompt', prompt);
    });
  }
}
