import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import net from 'node:net';
import type tls from 'node:tls';
import type { VerificationMethod } from '../../shared/transfers';
import type { CertificateReport, DataConnectionRecord, RemoteEntry } from '../../shared/models';
import { buildCertificateReport, parsePemBundle } from './certificate';
import { ControlConnection } from './control';
import { openDataConnection, type DataChannelSettings, type DataConnection } from './data';
import { FerryError, toErrorDetail } from './errors';
import { parseFeatures } from './features';
import { parseHashReply } from './hash-reply';
import { SessionSecureContexts } from './secure-context';
import { MAX_LISTING_BYTES, StreamingListingParser } from './listing';
import type { FtpReply } from './reply-parser';
import { defaultPort } from '../../shared/ports';
import { remoteJoin } from '../../shared/remote-path';
import type { SecurityState } from '../../shared/security';
import type { ConnectOptions, Features, Timeouts, TransferOptions, TransferResult } from './types';

export interface RemoteHash {
  method: Exclude<VerificationMethod, 'size'>;
  /** Lower-case hex. */
  value: string;
}

/** How long a failed data connection waits for the command's refusal, which explains more. */
const REFUSAL_GRACE_MS = 500;
/** How long the final reply may take after the data connection stalled. */
const STALLED_REPLY_MS = 2000;

function sleep(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}

const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 15_000, replyMs: 30_000, dataIdleMs: 30_000 };

/**
 * Per-connection TLS options. Everything that lives in a secure context (CA store, client
 * certificate, version range) comes from the session's contexts, built once (secure-context.ts).
 */
function buildTlsOptions(
  options: ConnectOptions,
  contexts: SessionSecureContexts,
): tls.ConnectionOptions {
  return {
    host: options.host,
    // SNI is for DNS names only; the identity check still covers IP SANs through `host`.
    ...(net.isIP(options.host) ? {} : { servername: options.host }),
    rejectUnauthorized: false,
    secureContext: controlContext(contexts),
  };
}

/** A CA file or client certificate that cannot be loaded fails here, before connecting. */
function controlContext(contexts: SessionSecureContexts): tls.SecureContext {
  try {
    return contexts.control();
  } catch (error) {
    throw new FerryError(
      toErrorDetail(error, 'load the TLS settings (CA file, client certificate)'),
      {
        cause: error,
      },
    );
  }
}

/** The key exchange group a TLS connection negotiated (`prime256v1`, `X25519`, …). */
function keyExchangeGroup(socket: tls.TLSSocket | undefined): string | undefined {
  const info = socket?.getEphemeralKeyInfo();
  return info && 'name' in info && typeof info.name === 'string' ? info.name : undefined;
}

function replyError(step: string, command: string, reply: FtpReply): FerryError {
  const verb = command.startsWith('PASS ') ? 'PASS' : command;
  return new FerryError({
    kind: 'ftp-reply',
    step,
    command: verb,
    code: reply.code,
    text: reply.text,
  });
}

function formatMdtm(date: Date): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

function parseMdtm(text: string): Date | undefined {
  const match = /(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac] = match;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  return new Date(
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms),
  );
}

interface ActiveTransfer {
  data: DataConnection;
  cancelled: boolean;
}

interface TransferPlan {
  command: string;
  step: string;
  offset?: number;
  signal?: AbortSignal | undefined;
  /** No size can catch a truncation: the TLS data connection must end with close_notify. */
  needsCloseNotify?: boolean;
  io: (stream: DataConnection['stream']) => Promise<number>;
}

/**
 * A logged-in FTP/FTPS session. One command or transfer at a time; parallelism comes from
 * several clients, each with its own control connection and TLS tickets.
 */
export class FtpsClient {
  readonly dataConnections: DataConnectionRecord[] = [];
  private active: ActiveTransfer | undefined;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private readonly passiveState: { epsvRefused: boolean };
  private hashAlgorithm: string | undefined;
  /** The server refused `LIST -a` (this reply): listings use a bare LIST. */
  private listAllRefusal: { code: number; text: string } | undefined;
  /** Read before CCC can take the TLS socket away; data connections offer it first. */
  private readonly keyExchangeGroup: string | undefined;

  private constructor(
    private readonly control: ControlConnection,
    private readonly options: ConnectOptions,
    private readonly timeouts: Timeouts,
    private readonly tlsOptions: tls.ConnectionOptions,
    private readonly secureContexts: SessionSecureContexts,
    readonly report: CertificateReport | undefined,
    readonly security: SecurityState,
    readonly features: Features,
  ) {
    this.passiveState = { epsvRefused: Boolean(options.disableEpsv) };
    this.keyExchangeGroup = keyExchangeGroup(control.tls);
  }

  /**
   * TCP, greeting and TLS (implicit, or explicit via AUTH): everything before credentials.
   * Throws on a refusal; the caller owns the returned control connection.
   */
  private static async openSecured(
    options: ConnectOptions,
    timeouts: Timeouts,
    tlsOptions: tls.ConnectionOptions,
    port: number,
  ): Promise<{ control: ControlConnection; insecureFallback: boolean }> {
    const controlOptions = {
      host: options.host,
      port,
      connectTimeoutMs: timeouts.connectMs,
      replyTimeoutMs: timeouts.replyMs,
      ...(options.connectionId ? { connectionId: options.connectionId } : {}),
      ...(options.onLog ? { onLog: options.onLog } : {}),
    };
    const keepTcpForCcc = Boolean(options.ccc);
    const { control, greeting } = await ControlConnection.open(
      controlOptions,
      options.mode === 'implicit' ? { tlsOptions, keepTcpForCcc } : undefined,
    );
    try {
      if (greeting.code !== 220) throw replyError('read greeting', 'connect', greeting);
      let insecureFallback = false;
      if (options.mode === 'explicit' || options.mode === 'explicit-if-available') {
        const upgraded = await FtpsClient.negotiateExplicit(control, tlsOptions, keepTcpForCcc);
        if (!upgraded) {
          const reason = 'the server does not offer TLS (AUTH TLS and AUTH SSL refused)';
          // Never a silent downgrade: continue only when asked and answered yes, before USER.
          const allowed =
            options.mode === 'explicit-if-available' && options.decideInsecure
              ? await options.decideInsecure({ host: options.host, port, reason })
              : false;
          if (!allowed) {
            throw new FerryError({
              kind: 'insecure-refused',
              step: 'AUTH TLS',
              reason: `${reason}; refusing to log in without encryption`,
            });
          }
          insecureFallback = true;
          control.log(
            'warning',
            `${reason}: continuing WITHOUT encryption as allowed, password and files are sent in clear text`,
          );
        }
      }
      return { control, insecureFallback };
    } catch (error) {
      if (!control.closed) control.destroy(toErrorDetail(error, 'connect'));
      throw error instanceof FerryError
        ? error
        : new FerryError(toErrorDetail(error, 'connect'), { cause: error });
    }
  }

  /**
   * The server's certificate report and verdict without logging in (`ferry cert`): no USER is
   * sent whatever the verdict. Plain connections have no certificate to report.
   */
  static async probeCertificate(options: ConnectOptions): Promise<CertificateReport> {
    const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    const port = options.port ?? defaultPort(options.mode);
    const tlsOptions = buildTlsOptions(
      options,
      options.secureContexts ?? new SessionSecureContexts(options.tls),
    );
    const { control } = await FtpsClient.openSecured(options, timeouts, tlsOptions, port);
    try {
      const socket = control.tls;
      if (!socket) {
        throw new FerryError({
          kind: 'insecure-refused',
          step: 'certificate',
          reason: 'the server does not offer TLS, so it has no certificate',
        });
      }
      const pin = await options.pinStore?.get(options.host, port);
      const extraCa = options.tls?.ca ? parsePemBundle(options.tls.ca) : [];
      return buildCertificateReport({ socket, host: options.host, port, extraCa, pin });
    } finally {
      await control.close();
    }
  }

  static async connect(options: ConnectOptions): Promise<FtpsClient> {
    const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    const port = options.port ?? defaultPort(options.mode);
    const secureContexts = options.secureContexts ?? new SessionSecureContexts(options.tls);
    const tlsOptions = buildTlsOptions(options, secureContexts);
    const { control, insecureFallback } = await FtpsClient.openSecured(
      options,
      timeouts,
      tlsOptions,
      port,
    );
    try {
      let report: CertificateReport | undefined;
      const socket = control.tls;
      if (socket) report = await FtpsClient.checkCertificate(control, socket, options, port);
      const features = await FtpsClient.login(control, options, Boolean(socket));
      const protect = socket ? (options.dataProtection ?? 'P') : 'none';
      const security: SecurityState = {
        mode: options.mode,
        dataProtection: protect,
        insecureFallback,
        cccActive: false,
        ...(socket
          ? {
              tlsProtocol: socket.getProtocol() ?? undefined,
              cipher: socket.getCipher().standardName ?? socket.getCipher().name,
            }
          : {}),
      };
      const client = new FtpsClient(
        control,
        options,
        timeouts,
        tlsOptions,
        secureContexts,
        report,
        security,
        features,
      );
      if (options.ccc && socket) {
        await control.clearCommandChannel();
        client.security.cccActive = true;
      }
      client.startKeepalive();
      return client;
    } catch (error) {
      if (!control.closed) control.destroy(toErrorDetail(error, 'connect'));
      throw error instanceof FerryError
        ? error
        : new FerryError(toErrorDetail(error, 'connect'), { cause: error });
    }
  }

  /** AUTH TLS, then AUTH SSL (FileZilla does the same); false when the server refuses both. */
  private static async negotiateExplicit(
    control: ControlConnection,
    tlsOptions: tls.ConnectionOptions,
    keepTcpForCcc: boolean,
  ): Promise<boolean> {
    for (const command of ['AUTH TLS', 'AUTH SSL']) {
      const reply = await control.command(command, command);
      if (reply.code === 234 || reply.code === 334) {
        await control.startTls(tlsOptions, keepTcpForCcc);
        return true;
      }
      if (reply.code < 500) throw replyError('negotiate TLS', command, reply);
    }
    return false;
  }

  /** Certificate before credentials: nothing is sent until the certificate is trusted. */
  private static async checkCertificate(
    control: ControlConnection,
    socket: tls.TLSSocket,
    options: ConnectOptions,
    port: number,
  ): Promise<CertificateReport> {
    const pin = await options.pinStore?.get(options.host, port);
    // A server that refuses the client after a TLS 1.3 handshake (no client certificate) has
    // closed by now, and the socket no longer shows its certificate: report the refusal.
    control.throwIfClosed();
    const extraCa = options.tls?.ca ? parsePemBundle(options.tls.ca) : [];
    const report = buildCertificateReport({ socket, host: options.host, port, extraCa, pin });
    options.onCertificate?.(report);
    const verdict = report.verdict;
    const leaf = report.chain[0];
    if (!leaf)
      throw new FerryError({
        kind: 'protocol',
        step: 'certificate',
        reason: 'the server sent no certificate',
      });
    if (verdict.status === 'trusted' || verdict.status === 'pinned') {
      control.log(
        'tls',
        `Certificate ${verdict.status === 'trusted' ? `trusted (${verdict.by})` : 'matches the pinned certificate'}: ${leaf.fingerprint256}`,
      );
      return report;
    }
    control.log(
      'warning',
      `Certificate not trusted (${verdict.status}: ${verdict.reasons.join(', ')}); waiting for a decision before sending credentials`,
    );
    const decision = options.decideTrust ? await options.decideTrust(report) : 'reject';
    if (decision === 'reject') {
      control.destroy({
        kind: 'closed',
        step: 'certificate',
        reason: 'closed by client: certificate rejected',
      });
      throw new FerryError({
        kind: 'tls-untrusted',
        step: 'certificate',
        reasons: verdict.reasons,
        fingerprint256: leaf.fingerprint256,
      });
    }
    if (decision === 'always' && options.pinStore) {
      await options.pinStore.set({
        host: options.host,
        port,
        fingerprint256: leaf.fingerprint256,
        certificate: leaf,
        pinnedAt: new Date().toISOString(),
      });
    }
    control.log('tls', `Certificate accepted by the user (${decision}): ${leaf.fingerprint256}`);
    return report;
  }

  private static async login(
    control: ControlConnection,
    options: ConnectOptions,
    secure: boolean,
  ): Promise<Features> {
    const user = options.user ?? 'anonymous';
    let reply = await control.command(`USER ${user}`, 'login (USER)');
    if (reply.code === 331) {
      reply = await control.command(
        `PASS ${options.password ?? (user === 'anonymous' ? 'anonymous@' : '')}`,
        'login (PASS)',
      );
    }
    if (reply.code !== 230 && reply.code !== 202) {
      if (reply.code === 530 || reply.code === 430 || reply.code === 331 || reply.code === 332) {
        throw new FerryError({ kind: 'auth', step: 'login', code: reply.code, text: reply.text });
      }
      throw replyError('login', 'USER/PASS', reply);
    }
    if (secure) {
      const pbsz = await control.command('PBSZ 0', 'protect data channel (PBSZ)');
      const level = options.dataProtection ?? 'P';
      const prot = await control.command(`PROT ${level}`, `protect data channel (PROT ${level})`);
      if (pbsz.code >= 300 || prot.code >= 300) {
        // Implicit servers may encrypt data anyway (Apache FtpServer); explicit ones must agree.
        if (options.mode !== 'implicit' || level === 'C') {
          throw replyError('protect data channel', `PROT ${level}`, prot.code >= 300 ? prot : pbsz);
        }
        control.log(
          'warning',
          `PROT ${level} refused on an implicit server (${prot.code}); assuming encrypted data`,
        );
      }
    }
    const feat = await control.command('FEAT', 'read features (FEAT)');
    const features = parseFeatures(feat.code === 211 ? feat : null);
    if (features.utf8) await control.command('OPTS UTF8 ON', 'enable UTF-8');
    const type = await control.command('TYPE I', 'binary mode (TYPE I)');
    if (type.code >= 300) throw replyError('binary mode', 'TYPE I', type);
    return features;
  }

  private startKeepalive(): void {
    const interval = this.options.keepaliveMs ?? 60_000;
    if (interval <= 0) return;
    this.keepaliveTimer = setInterval(
      () => {
        if (this.control.closed || this.active || this.control.idleMs < interval) return;
        this.control.command('NOOP', 'keepalive (NOOP)').catch(() => undefined);
      },
      Math.min(interval, 15_000),
    );
    this.keepaliveTimer.unref();
  }

  get closed(): boolean {
    return this.control.closed;
  }

  onClose(listener: (error?: FerryError) => void): void {
    this.control.onClose(listener);
  }

  private dataSettings(): DataChannelSettings {
    const protect = this.security.dataProtection === 'P';
    const protocol = this.security.tlsProtocol;
    return {
      control: this.control,
      protect,
      tlsOptions: this.tlsOptions,
      secureContexts: this.secureContexts,
      controlProtocol: protocol === 'TLSv1.2' || protocol === 'TLSv1.3' ? protocol : undefined,
      controlLeafFingerprint: this.report?.chain[0]?.fingerprint256,
      controlGroup: this.keyExchangeGroup,
      active: this.options.active,
      passiveState: this.passiveState,
      connectTimeoutMs: this.timeouts.connectMs,
      dataIdleMs: this.timeouts.dataIdleMs,
    };
  }

  private async simple(
    command: string,
    step: string,
    expect: (code: number) => boolean,
  ): Promise<FtpReply> {
    const reply = await this.control.command(command, step);
    if (!expect(reply.code)) throw replyError(step, command.split(' ')[0] ?? command, reply);
    return reply;
  }

  private withReplyTimeout<T>(
    promise: Promise<T>,
    step: string,
    ms = this.timeouts.replyMs,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const detail = { kind: 'timeout' as const, step, ms };
        this.control.destroy(detail);
        reject(new FerryError(detail));
      }, ms);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /**
   * One data transfer: data connection first (its TLS handshake overlaps the command), then the
   * command; done only when both the final reply and the data connection's close have arrived.
   */
  private runTransfer(plan: TransferPlan): Promise<TransferResult> {
    return this.control.exclusive(async () => {
      const verb = plan.command.split(' ')[0] ?? plan.command;
      const watchCloseNotify =
        Boolean(plan.needsCloseNotify) && this.security.dataProtection === 'P';
      const data = await openDataConnection(this.dataSettings(), verb, {
        step: plan.step,
        watchCloseNotify,
      });
      const active: ActiveTransfer = { data, cancelled: false };
      this.active = active;
      const onAbort = (): void => void this.cancel();
      plan.signal?.addEventListener('abort', onAbort, { once: true });
      let final: Promise<FtpReply> | undefined;
      try {
        if (plan.signal?.aborted) active.cancelled = true;
        if (plan.offset && !active.cancelled) {
          const rest = await this.control.send(`REST ${plan.offset}`, {
            step: `${plan.step} (REST)`,
          });
          if (rest.code !== 350) throw replyError(plan.step, 'REST', rest);
        }
        if (active.cancelled) throw new FerryError({ kind: 'cancelled', step: plan.step });
        let preliminary: () => void = () => undefined;
        const gotPreliminary = new Promise<null>((resolve) => {
          preliminary = () => resolve(null);
        });
        final = this.control.send(plan.command, {
          step: plan.step,
          onPreliminary: preliminary,
          timeoutMs: 0,
        });
        final.catch(() => undefined);
        // Only a failure of the data connection (its idle timeout, a reset) ends this wait early;
        // a server that never answers the command ends it at the reply timeout.
        const dataFailed = data.ready.then(() => new Promise<never>(() => undefined));
        const early = await this.withReplyTimeout(
          Promise.race([gotPreliminary, final, dataFailed]),
          plan.step,
        ).catch(async (error: unknown) => {
          // A server refusing the command (550) may drop the data connection first: its reply
          // says more than the broken handshake, so give it a moment to arrive.
          const refusal = await Promise.race([final, sleep(REFUSAL_GRACE_MS)]).catch(
            () => undefined,
          );
          if (refusal && refusal.code >= 300) return refusal;
          throw error;
        });
        if (early && early.code >= 300) throw replyError(plan.step, verb, early);
        await data.ready;
        const bytes = await plan.io(data.stream);
        if (watchCloseNotify) {
          // Answer the server's close_notify with ours: over the watching carrier Node does not
          // end its side by itself, and vsftpd sends 226 only after the client's close_notify.
          data.stream.end();
          data.record.closeNotify = data.closeNotify === true;
          if (!data.record.closeNotify) {
            throw new FerryError({
              kind: 'closed',
              step: plan.step,
              reason: `the server ended the data connection after ${bytes} bytes without TLS close_notify, so the data may be truncated`,
            });
          }
        }
        const reply = await this.withReplyTimeout(final, plan.step);
        final = undefined;
        await this.withReplyTimeout(data.closed, plan.step);
        if (reply.code >= 300) throw replyError(plan.step, verb, reply);
        if (active.cancelled) throw new FerryError({ kind: 'cancelled', step: plan.step });
        this.dataConnections.push(data.record);
        return { bytes, record: data.record, reply: { code: reply.code, text: reply.text } };
      } catch (error) {
        data.destroy();
        // The server still owes the transfer command's final reply: consume it so the next
        // command does not read it as its own. After a stalled data connection the server is
        // likely stuck too: a short wait, then the control connection is closed (its state is
        // unknown) rather than holding the caller for a whole reply timeout.
        const stalled = error instanceof FerryError && error.detail.kind === 'timeout';
        const wait = stalled ? Math.min(this.timeouts.replyMs, STALLED_REPLY_MS) : undefined;
        if (final) await this.withReplyTimeout(final, plan.step, wait).catch(() => undefined);
        if (active.cancelled) throw new FerryError({ kind: 'cancelled', step: plan.step });
        throw error instanceof FerryError
          ? error
          : new FerryError(toErrorDetail(error, plan.step), { cause: error });
      } finally {
        plan.signal?.removeEventListener('abort', onAbort);
        this.active = undefined;
      }
    });
  }

  /**
   * Cancels the running transfer: ABOR in-band over TLS, the data connection destroyed, and
   * exactly one final reply consumed per outstanding command (the transfer's, then ABOR's).
   */
  async cancel(): Promise<void> {
    const active = this.active;
    if (!active || active.cancelled) return;
    active.cancelled = true;
    const abort = this.control.send('ABOR', { step: 'cancel (ABOR)' });
    active.data.destroy(new FerryError({ kind: 'cancelled', step: 'transfer' }));
    await abort.catch(() => undefined);
  }

  private progressReporter(
    options: TransferOptions | undefined,
    total: number | undefined,
  ): { add: (n: number) => void; stop: () => number } {
    let bytes = 0;
    let stopped = false;
    const onProgress = options?.onProgress;
    const timer = onProgress
      ? setInterval(
          () => onProgress({ bytes, ...(total !== undefined ? { total } : {}) }),
          options?.progressIntervalMs ?? 250,
        )
      : undefined;
    return {
      add: (n) => {
        bytes += n;
      },
      stop: () => {
        if (stopped) return bytes;
        stopped = true;
        if (timer) clearInterval(timer);
        onProgress?.({ bytes, ...(total !== undefined ? { total } : {}) });
        return bytes;
      },
    };
  }

  async pwd(): Promise<string> {
    const reply = await this.simple('PWD', 'print working directory', (code) => code === 257);
    const match = /"((?:[^"]|"")*)"/.exec(reply.text);
    return match?.[1] ? match[1].replace(/""/g, '"') : '/';
  }

  async cd(path: string): Promise<string> {
    await this.simple(`CWD ${path}`, 'change directory', (code) => code >= 200 && code < 300);
    return this.pwd();
  }

  /**
   * Set once the server refused `LIST -a`: its listings may lack hidden files, so a folder
   * transfer or delete built on them cannot claim to be complete.
   */
  get hiddenFilesRefusal(): { code: number; text: string } | undefined {
    return this.listAllRefusal;
  }

  /**
   * Lists a folder, hidden files included: MLSD lists them by itself; a bare LIST hides
   * dotfiles on vsftpd and others, so LIST asks `-a` and falls back to a bare LIST (with a
   * warning) only when the server refuses that.
   */
  async list(path?: string): Promise<RemoteEntry[]> {
    const choice = this.options.listCommand ?? 'auto';
    const mlsd = choice === 'mlsd' || (choice === 'auto' && this.features.mlst);
    const bare = choice === 'list-bare' || this.listAllRefusal !== undefined;
    const verb = mlsd ? 'MLSD' : bare ? 'LIST' : 'LIST -a';
    try {
      return await this.listWith(verb, mlsd, path);
    } catch (error) {
      const detail = error instanceof FerryError ? error.detail : undefined;
      if (verb !== 'LIST -a' || detail?.kind !== 'ftp-reply' || detail.code < 500) throw error;
      this.listAllRefusal = { code: detail.code, text: detail.text };
      this.control.log(
        'warning',
        `LIST -a refused (${detail.code}); hidden files (names starting with a dot) may be missing from listings`,
      );
      return this.listWith('LIST', false, path);
    }
  }

  private async listWith(verb: string, mlsd: boolean, path?: string): Promise<RemoteEntry[]> {
    const parser = new StreamingListingParser(mlsd ? 'mlsd' : 'list', MAX_LISTING_BYTES);
    await this.runTransfer({
      command: path ? `${verb} ${path}` : verb,
      step: `list ${path ?? 'current folder'}`,
      // A listing has no size to check: a cut one must not pass for the whole folder.
      needsCloseNotify: true,
      io: async (stream) => {
        let bytes = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          bytes += chunk.length;
          parser.push(chunk);
        }
        return bytes;
      },
    });
    const { entries, skipped } = parser.finish();
    if (skipped.length > 0) {
      this.control.log('warning', `${skipped.length} listing line(s) not understood and skipped`);
    }
    return entries.filter((entry) => entry.name !== '.' && entry.name !== '..');
  }

  /**
   * Downloads into a stream (the local-file layer owns temp names, renames and verification).
   * With `expectedSize` the transfer stops as soon as the server sends more, and a short one
   * fails; without it, a TLS data connection must end with close_notify (else the file may be
   * truncated), and a clear one cannot be checked at all (logged).
   */
  async download(
    remotePath: string,
    sink: Writable,
    options?: TransferOptions & { expectedSize?: number },
  ): Promise<TransferResult> {
    const offset = options?.offset ?? 0;
    const expected = options?.expectedSize;
    const step = `download ${remotePath}`;
    const progress = this.progressReporter(options, expected);
    if (expected === undefined && this.security.dataProtection !== 'P') {
      this.control.log(
        'warning',
        `${remotePath}: the server gave no size and the data connection is not encrypted, so a truncated download cannot be detected`,
      );
    }
    const result = await this.runTransfer({
      command: `RETR ${remotePath}`,
      step,
      offset,
      signal: options?.signal,
      needsCloseNotify: expected === undefined,
      io: async (stream) => {
        let received = offset;
        // Runs before the pipe's own listener: a server streaming past the size is cut at once.
        stream.on('data', (chunk: Buffer) => {
          received += chunk.length;
          progress.add(chunk.length);
          if (expected !== undefined && received > expected) {
            stream.destroy(
              new FerryError({
                kind: 'protocol',
                step,
                reason: `the server sent more than the ${expected} bytes it announced (SIZE)`,
              }),
            );
          }
        });
        await pipeline(stream, sink);
        return progress.stop();
      },
    }).finally(() => progress.stop());
    if (expected !== undefined && offset + result.bytes !== expected) {
      throw new FerryError({
        kind: 'protocol',
        step,
        reason: `received ${offset + result.bytes} bytes, expected ${expected}`,
      });
    }
    return result;
  }

  /** Uploads a stream; `offset` resumes with REST+STOR or APPE; `size` is for progress. */
  async upload(
    source: Readable,
    remotePath: string,
    options?: TransferOptions & { size?: number },
  ): Promise<TransferResult> {
    const offset = options?.offset ?? 0;
    const useAppend = offset > 0 && !this.features.restStream;
    const progress = this.progressReporter(options, options?.size);
    return this.runTransfer({
      command: `${useAppend ? 'APPE' : 'STOR'} ${remotePath}`,
      step: `upload ${remotePath}`,
      ...(useAppend ? {} : { offset }),
      signal: options?.signal,
      io: async (stream) => {
        source.on('data', (chunk: Buffer) => progress.add(chunk.length));
        // Read what the server sends on an upload (TLS 1.3 session tickets): left unread, it
        // turns our close into a TCP reset.
        stream.resume();
        // Ending the TLS stream sends close_notify: vsftpd answers 426 to an upload without it.
        await pipeline(source, stream);
        return progress.stop();
      },
    }).finally(() => progress.stop());
  }

  async mkdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    if (!options?.recursive) {
      await this.simple(
        `MKD ${path}`,
        `create folder ${path}`,
        (code) => code === 257 || code === 250,
      );
      return;
    }
    const absolute = path.startsWith('/');
    const segments = path.split('/').filter((segment) => segment.length > 0);
    let current = absolute ? '' : '.';
    for (const segment of segments) {
      current = current === '.' ? segment : `${current}/${segment}`;
      const target = absolute ? `/${current.replace(/^\//, '')}` : current;
      const reply = await this.control.command(`MKD ${target}`, `create folder ${target}`);
      if (reply.code === 257 || reply.code === 250) continue;
      if (!(await this.isDirectory(target)))
        throw replyError(`create folder ${target}`, 'MKD', reply);
    }
  }

  /** Whether anything (file or folder) is at `path`: MLST where offered, else SIZE, else CWD. */
  async exists(path: string): Promise<boolean> {
    const step = `check whether ${path} exists`;
    if (this.features.mlst) {
      const reply = await this.control.command(`MLST ${path}`, step);
      if (reply.code === 250) return true;
      if (reply.code >= 500) return false;
      throw replyError(step, 'MLST', reply);
    }
    const size = await this.control.command(`SIZE ${path}`, step);
    if (size.code === 213) return true;
    return this.isDirectory(path);
  }

  private async isDirectory(path: string): Promise<boolean> {
    const here = await this.pwd();
    const reply = await this.control.command(`CWD ${path}`, `check folder ${path}`);
    if (reply.code >= 300) return false;
    await this.control.command(`CWD ${here}`, 'restore folder');
    return true;
  }

  async rmdir(path: string, options?: { recursive?: boolean }): Promise<void> {
    if (options?.recursive) {
      for (const entry of await this.list(path)) {
        const child = remoteJoin(path, entry.name);
        if (entry.kind === 'dir') await this.rmdir(child, { recursive: true });
        else await this.delete(child);
      }
    }
    await this.simple(
      `RMD ${path}`,
      `remove folder ${path}`,
      (code) => code === 250 || code === 200,
    );
  }

  async delete(path: string): Promise<void> {
    await this.simple(`DELE ${path}`, `delete ${path}`, (code) => code === 250 || code === 200);
  }

  /**
   * Renames on the server. RNTO replaces an existing target on most servers without a word, so
   * an existing `to` is refused unless `replace` (a change of case only is allowed: on a
   * case-insensitive server the "existing" target is the item itself).
   */
  async rename(from: string, to: string, options: { replace?: boolean } = {}): Promise<void> {
    const caseOnly = from !== to && from.toLowerCase() === to.toLowerCase();
    if (!options.replace && !caseOnly && (await this.exists(to))) {
      throw new FerryError({ kind: 'exists', step: `rename ${from}`, side: 'remote', path: to });
    }
    await this.control.exclusive(async () => {
      const rnfr = await this.control.send(`RNFR ${from}`, { step: `rename ${from}` });
      if (rnfr.code !== 350) throw replyError(`rename ${from}`, 'RNFR', rnfr);
      const rnto = await this.control.send(`RNTO ${to}`, { step: `rename to ${to}` });
      if (rnto.code !== 250 && rnto.code !== 200) throw replyError(`rename to ${to}`, 'RNTO', rnto);
    });
  }

  async chmod(path: string, mode: string): Promise<void> {
    if (!/^[0-7]{3,4}$/.test(mode)) {
      throw new FerryError({
        kind: 'usage',
        step: 'change permissions',
        reason: `"${mode}" is not an octal mode`,
      });
    }
    await this.simple(
      `SITE CHMOD ${mode} ${path}`,
      `change permissions of ${path}`,
      (code) => code === 200 || code === 250,
    );
  }

  async size(path: string): Promise<number> {
    const reply = await this.simple(`SIZE ${path}`, `size of ${path}`, (code) => code === 213);
    const size = Number(reply.text.trim().split(/\s+/)[0]);
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new FerryError({
        kind: 'protocol',
        step: `size of ${path}`,
        reason: `not a size: ${reply.text}`,
      });
    }
    return size;
  }

  async modifiedTime(path: string): Promise<Date> {
    const reply = await this.simple(
      `MDTM ${path}`,
      `modification time of ${path}`,
      (code) => code === 213,
    );
    const date = parseMdtm(reply.text);
    if (!date)
      throw new FerryError({
        kind: 'protocol',
        step: `modification time of ${path}`,
        reason: `not a time: ${reply.text}`,
      });
    return date;
  }

  async setModifiedTime(path: string, date: Date): Promise<void> {
    if (!this.features.mfmt) {
      throw new FerryError({
        kind: 'usage',
        step: `set modification time of ${path}`,
        reason: 'the server does not support MFMT',
      });
    }
    await this.simple(
      `MFMT ${formatMdtm(date)} ${path}`,
      `set modification time of ${path}`,
      (code) => code === 213 || code === 253,
    );
  }

  /** The strongest checksum the server offers for a file, or undefined when it offers none. */
  async hash(path: string): Promise<RemoteHash | undefined> {
    const offered = this.features.hash;
    for (const algorithm of ['SHA-256', 'SHA-512', 'SHA-1', 'MD5'] as const) {
      if (!offered.includes(algorithm)) continue;
      if (this.hashAlgorithm !== algorithm) {
        const opts = await this.control.command(`OPTS HASH ${algorithm}`, 'select hash algorithm');
        if (opts.code !== 200) continue;
        this.hashAlgorithm = algorithm;
      }
      const reply = await this.checksumReply(`HASH ${path}`, path, [213]);
      // Refused for this file (too large, no permission) or at all: another algorithm will not help.
      if (typeof reply === 'number') break;
      // The whole file, with the algorithm asked for; anything else cannot verify the file.
      const answer = parseHashReply(reply.text);
      if (answer?.algorithm === algorithm && answer.start === 0)
        return { method: `HASH ${algorithm}`, value: answer.value };
    }
    const legacy = [
      ['xsha256', 'XSHA256'],
      ['xsha1', 'XSHA1'],
      ['xmd5', 'XMD5'],
      ['xcrc', 'XCRC'],
    ] as const;
    for (const [feature, command] of legacy) {
      if (!this.features[feature]) continue;
      const reply = await this.checksumReply(`${command} ${path}`, path, [250, 213]);
      // 550/556: this file gets no checksum; other refusals may be about this command only.
      if (reply === 550 || reply === 556) return undefined;
      if (typeof reply === 'number') continue;
      const value = reply.text.split(/\s+/).find((token) => /^[0-9a-fA-F]{8,}$/.test(token));
      if (value) return { method: command, value: value.toLowerCase() };
    }
    return undefined;
  }

  /**
   * One checksum command. A permanent refusal (5xx: a size limit such as ProFTPD's DigestMaxSize,
   * an algorithm switched off) is not a failed file: it returns the reply code, and the caller
   * tries another method or falls back to the size. A transient refusal (4xx) throws.
   */
  private async checksumReply(
    command: string,
    path: string,
    accepted: readonly number[],
  ): Promise<FtpReply | number> {
    const step = `checksum of ${path}`;
    const verb = command.split(' ')[0] ?? command;
    const reply = await this.control.command(command, step);
    if (accepted.includes(reply.code)) return reply;
    if (reply.code >= 500 && reply.code < 600) {
      this.control.log('warning', `${verb} refused: ${reply.code} ${reply.text}`);
      return reply.code;
    }
    throw replyError(step, verb, reply);
  }

  /** Sends a raw command (for the UI's console); arguments are checked for CR/LF/NUL. */
  async raw(line: string): Promise<{ code: number; text: string }> {
    const reply = await this.control.command(line, 'raw command');
    return { code: reply.code, text: reply.text };
  }

  async close(): Promise<void> {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    await this.cancel();
    await this.control.close();
  }
}
