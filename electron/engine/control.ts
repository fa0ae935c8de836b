import net from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { LogDirection, LogLine } from '../../shared/models';
import { FerryError, tlsFailureDetail, toErrorDetail } from './errors';
import { DetachableSocketDuplex } from './passthrough';
import { ReplyParser, type FtpReply } from './reply-parser';
import { assertSafeArgument, maskCommand } from './command-guard';
import { TicketStore } from './ticket-store';

/** The step of the server's first reply (errors name it; the queue tells a refusal by it). */
export const GREETING_STEP = 'read greeting';

export interface ControlOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  replyTimeoutMs: number;
  connectionId?: string;
  onLog?: (line: LogLine) => void;
}

interface PendingReply {
  step: string;
  resolve: (reply: FtpReply) => void;
  reject: (error: FerryError) => void;
  onPreliminary: ((reply: FtpReply) => void) | undefined;
  timer: NodeJS.Timeout | undefined;
  timeoutMs: number;
}

export interface SendOptions {
  step: string;
  onPreliminary?: (reply: FtpReply) => void;
  /** 0 waits forever (a transfer's final reply arrives only when the data is through). */
  timeoutMs?: number;
}

/**
 * One FTP control connection: the socket (plain, TLS, or plain again after CCC), the reply
 * reader, one command in flight at a time, and the TLS ticket store its data connections use.
 */
export class ControlConnection {
  readonly tickets = new TicketStore();
  private raw!: net.Socket;
  private stream!: Duplex;
  private tlsSocket: TLSSocket | undefined;
  private passthrough: DetachableSocketDuplex | undefined;
  private parser = new ReplyParser();
  private pending: PendingReply[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private closeError: FerryError | undefined;
  private closeListeners: Array<(error?: FerryError) => void> = [];
  private lastActivity = Date.now();
  /** Whether the server has sent anything since TLS started (a late TLS 1.3 refusal has not). */
  private tlsDataSeen = false;
  private anyDataSeen = false;
  private clientCertificateOffered = false;
  private implicitStart = false;
  private handshakeDone = false;
  /** Kept from the handshake: a destroyed socket no longer tells. */
  private tlsProtocol: string | null = null;
  private tlsReplies = 0;
  private readonly onData = (chunk: Buffer): void => this.handleData(chunk);

  private constructor(private readonly options: ControlOptions) {}

  get tls(): TLSSocket | undefined {
    return this.tlsSocket;
  }

  get remoteAddress(): string {
    return this.raw.remoteAddress ?? this.options.host;
  }

  get localAddress(): string {
    return this.raw.localAddress ?? '127.0.0.1';
  }

  get closed(): boolean {
    return this.closeError !== undefined;
  }

  /** Throws what ended the connection, if it has ended (e.g. a TLS alert after the handshake). */
  throwIfClosed(): void {
    if (this.closeError) throw this.closeError;
  }

  /** Replies read over TLS: TLS 1.3 tickets, sent right after the handshake, come before them. */
  get repliesOverTls(): number {
    return this.tlsReplies;
  }

  get idleMs(): number {
    return this.pending.length > 0 ? 0 : Date.now() - this.lastActivity;
  }

  /** Opens TCP (plain) or TLS from the first byte (implicit), and reads the greeting. */
  static async open(
    options: ControlOptions,
    implicitTls?: { tlsOptions: tls.ConnectionOptions; keepTcpForCcc: boolean },
  ): Promise<{ control: ControlConnection; greeting: FtpReply }> {
    const control = new ControlConnection(options);
    // Armed before TCP so the whole opening (TCP, TLS, greeting) has one deadline. Until TCP and
    // TLS succeed nothing awaits it: its rejection is observed here, and a failure below ends it.
    const greeting = control.expectReply(GREETING_STEP, options.connectTimeoutMs);
    greeting.catch(() => undefined);
    try {
      await control.connectTcp();
      if (implicitTls) {
        control.implicitStart = true;
        await control.startTls(implicitTls.tlsOptions, implicitTls.keepTcpForCcc);
      } else {
        control.attachReader(control.raw);
      }
    } catch (error) {
      // Stops the greeting's timer and closes the sockets; the caller reports `error` itself.
      control.fail(toErrorDetail(error, 'connect'), { quiet: true });
      throw error;
    }
    return { control, greeting: await greeting };
  }

  private connectTcp(): Promise<void> {
    const { host, port, connectTimeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      this.raw = socket;
      this.stream = socket;
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 30_000);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new FerryError({ kind: 'timeout', step: 'connect', ms: connectTimeoutMs }));
      }, connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.on('error', (error) => this.fail(this.lostDetail(error, 'control connection')));
        socket.on('close', () => this.fail(this.lostDetail(undefined, 'control connection')));
        this.log('info', `Connected to ${socket.remoteAddress ?? host}:${port}`);
        resolve();
      });
      const onError = (error: Error): void => {
        clearTimeout(timer);
        reject(new FerryError(toErrorDetail(error, 'connect'), { cause: error }));
      };
      socket.once('error', onError);
    });
  }

  /**
   * Starts TLS on the control connection (after 234, or at once for implicit FTPS). The ticket
   * store listens before anything is awaited: TLS 1.3 tickets arrive right after the handshake.
   */
  async startTls(tlsOptions: tls.ConnectionOptions, keepTcpForCcc: boolean): Promise<TLSSocket> {
    if (this.parser.pendingBytes > 0) {
      throw new FerryError({
        kind: 'protocol',
        step: 'AUTH TLS',
        reason: 'the server sent data after accepting AUTH TLS, before the TLS handshake',
      });
    }
    this.raw.off('data', this.onData);
    let carrier: Duplex = this.raw;
    if (keepTcpForCcc) {
      this.passthrough = new DetachableSocketDuplex(this.raw);
      carrier = this.passthrough;
    }
    const socket = tls.connect({ ...tlsOptions, socket: carrier });
    this.tickets.collectFrom(socket);
    this.tlsSocket = socket;
    this.stream = socket;
    this.tlsDataSeen = false;
    this.handshakeDone = false;
    this.clientCertificateOffered = Boolean(
      tlsOptions.pfx ?? (tlsOptions.cert !== undefined && tlsOptions.key !== undefined),
    );
    socket.on('error', (error: Error) =>
      this.fail(this.lostDetail(error, 'TLS on control connection')),
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new FerryError({
            kind: 'timeout',
            step: 'TLS handshake',
            ms: this.options.connectTimeoutMs,
          }),
        );
      }, this.options.connectTimeoutMs);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        this.handshakeDone = true;
        this.tlsProtocol = socket.getProtocol();
        resolve();
      });
      socket.once('error', (error: Error) => {
        clearTimeout(timer);
        reject(new FerryError(this.lostDetail(error, 'TLS handshake'), { cause: error }));
      });
      socket.once('close', () => {
        clearTimeout(timer);
        reject(
          new FerryError({
            kind: 'tls-handshake',
            step: 'TLS handshake',
            reason: 'the server closed the connection during the handshake',
          }),
        );
      });
    });
    this.attachReader(socket);
    const cipher = socket.getCipher();
    this.log(
      'tls',
      `TLS established: ${socket.getProtocol() ?? '?'}, ${cipher.standardName ?? cipher.name}`,
    );
    return socket;
  }

  /**
   * CCC: after 200 both sides send close_notify, then the same TCP connection carries plaintext.
   * Only possible when TLS was started over the detachable carrier.
   */
  async clearCommandChannel(): Promise<void> {
    const socket = this.tlsSocket;
    const passthrough = this.passthrough;
    if (!socket || !passthrough) throw new Error('CCC needs a control connection opened for it');
    await this.exclusive(async () => {
      const reply = await this.send('CCC', { step: 'CCC' });
      if (reply.code !== 200) {
        throw new FerryError({
          kind: 'ftp-reply',
          step: 'clear command channel',
          command: 'CCC',
          code: reply.code,
          text: reply.text,
        });
      }
      socket.off('data', this.onData);
      const peerClosed = new Promise<void>((resolve) => {
        socket.once('end', resolve);
        socket.once('close', () => resolve());
        setTimeout(resolve, this.options.replyTimeoutMs).unref();
      });
      passthrough.keepTcpAfterTls();
      socket.end();
      await peerClosed;
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      const raw = passthrough.detach();
      this.tlsSocket = undefined;
      this.passthrough = undefined;
      this.stream = raw;
      this.attachReader(raw);
      raw.resume();
      this.log(
        'warning',
        'Command channel is now in plaintext (CCC); data connections stay encrypted',
      );
    });
  }

  private attachReader(stream: Duplex): void {
    stream.on('data', this.onData);
  }

  private handleData(chunk: Buffer): void {
    this.lastActivity = Date.now();
    this.anyDataSeen = true;
    if (this.tlsSocket) this.tlsDataSeen = true;
    let replies: FtpReply[];
    try {
      replies = this.parser.push(chunk);
    } catch (error) {
      this.fail(toErrorDetail(error, 'read reply'));
      return;
    }
    for (const reply of replies) this.dispatch(reply);
  }

  private dispatch(reply: FtpReply): void {
    this.log('reply', `${reply.code} ${reply.text}`);
    if (this.tlsSocket) this.tlsReplies++;
    const head = this.pending[0];
    if (!head) {
      if (reply.code === 421) {
        this.fail({
          kind: 'closed',
          step: 'control connection',
          reason: `${reply.code} ${reply.text}`,
        });
      } else {
        this.log('warning', `Unexpected reply ignored: ${reply.code} ${reply.text}`);
      }
      return;
    }
    if (reply.code < 200) {
      this.armTimer(head);
      head.onPreliminary?.(reply);
      return;
    }
    this.pending.shift();
    if (head.timer) clearTimeout(head.timer);
    head.resolve(reply);
    if (reply.code === 421) {
      this.fail({ kind: 'closed', step: head.step, reason: `${reply.code} ${reply.text}` });
    }
  }

  /**
   * What a socket error (or a close, `error` undefined) means. Until the server has said anything
   * over TLS, it belongs to the handshake: under TLS 1.3 a server refuses a client certificate
   * only after the client's side of the handshake is done, and TLS 1.2 and 1.3 must report the
   * same step.
   */
  private lostDetail(error: Error | undefined, step: string): FerryError['detail'] {
    const socket = this.tlsSocket;
    if (!socket || this.tlsDataSeen) {
      return error
        ? toErrorDetail(error, step)
        : { kind: 'closed', step, reason: 'the server closed the connection' };
    }
    return tlsFailureDetail(error, {
      step: 'TLS handshake',
      clientCertificateOffered: this.clientCertificateOffered,
      implicitStart: this.implicitStart && !this.handshakeDone,
      silentAfterTls13Handshake: this.handshakeDone && this.tlsProtocol === 'TLSv1.3',
    });
  }

  /** Connected over plain TCP, and not one byte from the server since. */
  private silentSinceConnect(): boolean {
    return (
      !this.implicitStart && !this.anyDataSeen && this.raw !== undefined && !this.raw.connecting
    );
  }

  private armTimer(entry: PendingReply): void {
    if (entry.timer) clearTimeout(entry.timer);
    if (entry.timeoutMs <= 0) return;
    entry.timer = setTimeout(() => {
      // Replies can no longer be matched to commands: the session is unusable.
      this.fail({
        kind: 'timeout',
        step: entry.step,
        ms: entry.timeoutMs,
        // A port that accepts TCP and then waits in silence is usually waiting for a ClientHello.
        ...(entry.step === GREETING_STEP && this.silentSinceConnect()
          ? { hint: 'implicit-tls-port' as const }
          : {}),
      });
    }, entry.timeoutMs);
  }

  private expectReply(
    step: string,
    timeoutMs: number,
    onPreliminary?: (reply: FtpReply) => void,
  ): Promise<FtpReply> {
    if (this.closeError) return Promise.reject(this.closeError);
    return new Promise((resolve, reject) => {
      const entry: PendingReply = {
        step,
        resolve,
        reject,
        onPreliminary,
        timer: undefined,
        timeoutMs,
      };
      this.armTimer(entry);
      this.pending.push(entry);
    });
  }

  /**
   * Writes one command and resolves with its final reply. Callers hold the command lock
   * (`exclusive`) except for ABOR, which must overtake a running transfer.
   */
  send(line: string, options: SendOptions): Promise<FtpReply> {
    assertSafeArgument(line, options.step);
    if (this.closeError) return Promise.reject(this.closeError);
    const reply = this.expectReply(
      options.step,
      options.timeoutMs ?? this.options.replyTimeoutMs,
      options.onPreliminary,
    );
    this.log('command', maskCommand(line));
    this.lastActivity = Date.now();
    this.stream.write(`${line}\r\n`);
    return reply;
  }

  /** Runs `task` with the command lock held: one command (or transfer) at a time. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A single command with the lock held. */
  command(line: string, step = line.split(' ')[0] ?? line): Promise<FtpReply> {
    return this.exclusive(() => this.send(line, { step }));
  }

  onClose(listener: (error?: FerryError) => void): void {
    this.closeListeners.push(listener);
  }

  private fail(detail: FerryError['detail'], { quiet = false } = {}): void {
    if (this.closeError) return;
    const error = new FerryError(detail);
    this.closeError = error;
    if (!quiet) {
      this.log(
        detail.kind === 'closed' && detail.reason.startsWith('closed by client') ? 'info' : 'error',
        error.message,
      );
    }
    for (const entry of this.pending.splice(0)) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.reject(error);
    }
    this.tlsSocket?.destroy();
    this.raw?.destroy();
    for (const listener of this.closeListeners) listener(error);
  }

  /** Ends the connection at once, sending nothing more (e.g. a rejected certificate). */
  destroy(detail: FerryError['detail']): void {
    this.fail(detail);
  }

  /** QUIT politely, then close whatever is left. */
  async close(): Promise<void> {
    if (this.closeError) return;
    try {
      await Promise.race([
        this.exclusive(() => this.send('QUIT', { step: 'QUIT', timeoutMs: 3000 })),
        new Promise((resolve) => setTimeout(resolve, 3000).unref()),
      ]);
    } catch {
      // The server may close before answering QUIT; the session is over either way.
    }
    this.fail({ kind: 'closed', step: 'close', reason: 'closed by client' });
  }

  log(direction: LogDirection, text: string): void {
    const listener = this.options.onLog;
    if (!listener) return;
    listener({
      time: new Date().toISOString(),
      direction,
      text,
      ...(this.options.connectionId ? { connectionId: this.options.connectionId } : {}),
    });
  }
}
