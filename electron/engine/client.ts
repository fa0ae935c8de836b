import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import type { CertificateReport, DataConnectionRecord, RemoteEntry } from '../../shared/models';
import { RemoteChecksums, type RemoteHash } from './checksum';
import type { ControlConnection } from './control';
import type { DataChannelSettings } from './data';
import { FerryError } from './errors';
import { MAX_LISTING_BYTES, StreamingListingParser } from './listing';
import { formatMdtm, parseMdtm } from './mdtm';
import { replyError } from './reply-error';
import type { FtpReply } from './reply-parser';
import { remoteJoin } from '../../shared/remote-path';
import type { SecurityState } from '../../shared/security';
import { openSession, probeCertificate, type OpenedSession } from './session-open';
import { progressReporter, TransferRunner, type RunResult, type TransferPlan } from './transfer';
import type { ConnectOptions, Features, TransferOptions, TransferResult } from './types';

export type { RemoteHash } from './checksum';

/**
 * A logged-in FTP/FTPS session. One command or transfer at a time; parallelism comes from
 * several clients, each with its own control connection and TLS tickets.
 */
export class FtpsClient {
  readonly dataConnections: DataConnectionRecord[] = [];
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private readonly passiveState: { epsvRefused: boolean };
  /** The server refused `LIST -a` (this reply): listings use a bare LIST. */
  private listAllRefusal: { code: number; text: string } | undefined;
  private readonly control: ControlConnection;
  private readonly transfers: TransferRunner;
  private readonly checksums: RemoteChecksums;
  readonly report: CertificateReport | undefined;
  readonly security: SecurityState;
  readonly features: Features;

  private constructor(
    private readonly session: OpenedSession,
    private readonly options: ConnectOptions,
  ) {
    this.control = session.control;
    this.report = session.report;
    this.security = session.security;
    this.features = session.features;
    this.passiveState = { epsvRefused: Boolean(options.disableEpsv) };
    this.transfers = new TransferRunner(
      this.control,
      session.timeouts,
      () => this.dataSettings(),
      this.dataConnections,
      session.quirks,
    );
    this.checksums = new RemoteChecksums(this.control, this.features);
  }

  /**
   * The server's certificate report and verdict without logging in (`ferry cert`): no USER is
   * sent whatever the verdict. Plain connections have no certificate to report.
   */
  static probeCertificate(options: ConnectOptions): Promise<CertificateReport> {
    return probeCertificate(options);
  }

  static async connect(options: ConnectOptions): Promise<FtpsClient> {
    const client = new FtpsClient(await openSession(options), options);
    client.startKeepalive();
    return client;
  }

  private startKeepalive(): void {
    const interval = this.options.keepaliveMs ?? 60_000;
    if (interval <= 0) return;
    this.keepaliveTimer = setInterval(
      () => {
        if (this.control.closed || this.transfers.busy || this.control.idleMs < interval) return;
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
      tlsOptions: this.session.tlsOptions,
      secureContexts: this.session.secureContexts,
      controlProtocol: protocol === 'TLSv1.2' || protocol === 'TLSv1.3' ? protocol : undefined,
      controlLeafFingerprint: this.report?.chain[0]?.fingerprint256,
      controlGroup: this.session.keyExchangeGroup,
      active: this.options.active,
      passiveState: this.passiveState,
      connectTimeoutMs: this.session.timeouts.connectMs,
      dataIdleMs: this.session.timeouts.dataIdleMs,
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

  private runTransfer(plan: TransferPlan): Promise<RunResult> {
    return this.transfers.run(plan);
  }

  /**
   * Cancels the running transfer: ABOR in-band over TLS, the data connection destroyed, and
   * exactly one final reply consumed per outstanding command (the transfer's, then ABOR's).
   */
  cancel(): Promise<void> {
    return this.transfers.cancel();
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
    const progress = progressReporter(options, expected);
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
      ...(options?.stopsEarly ? { stopsEarly: true } : {}),
      needsCloseNotify: expected === undefined,
      ...(expected !== undefined ? { expectedBytes: expected - offset } : {}),
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
    })
      .catch((error: unknown) => {
        // Refused or failed before its data: the sink was never piped to, so end it here (a
        // file stream's descriptor would otherwise stay open until garbage collection).
        if (!sink.destroyed) sink.destroy();
        throw error;
      })
      .finally(() => progress.stop());
    if (expected !== undefined && offset + result.bytes !== expected) {
      throw new FerryError({
        kind: 'protocol',
        step,
        reason: `received ${offset + result.bytes} bytes, expected ${expected}`,
      });
    }
    return result;
  }

  /**
   * Uploads a stream; `offset` resumes with REST+STOR or APPE; `size` is for progress. What
   * follows the transfer goes with it, at no round trip of its own where the server allows it
   * (transfer.ts followUps): `sizeAfter` asks the server's SIZE (`remoteSize`, undefined where
   * SIZE is refused), `modifiedTimeAfter` sets the file's time with MFMT where offered
   * (`timeKept`: true, or the refusal).
   */
  async upload(
    source: Readable,
    remotePath: string,
    options?: TransferOptions & { size?: number; sizeAfter?: boolean; modifiedTimeAfter?: Date },
  ): Promise<UploadResult> {
    const offset = options?.offset ?? 0;
    const useAppend = offset > 0 && !this.features.restStream;
    const progress = progressReporter(options, options?.size);
    const size = { command: `SIZE ${remotePath}`, step: `size of ${remotePath}` };
    const time =
      options?.modifiedTimeAfter && this.features.mfmt
        ? {
            command: `MFMT ${formatMdtm(options.modifiedTimeAfter)} ${remotePath}`,
            step: `set modification time of ${remotePath}`,
          }
        : undefined;
    const followUps = [...(options?.sizeAfter ? [size] : []), ...(time ? [time] : [])];
    const result = await this.runTransfer({
      command: `${useAppend ? 'APPE' : 'STOR'} ${remotePath}`,
      step: `upload ${remotePath}`,
      ...(useAppend ? {} : { offset }),
      ...(followUps.length > 0 ? { followUps } : {}),
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
    const { followUps: replies = [], ...transfer } = result;
    const out: UploadResult = { ...transfer };
    const sizeReply = options?.sizeAfter ? replies.shift() : undefined;
    if (sizeReply && sizeReply.code >= 500) out.remoteSize = undefined;
    else if (sizeReply && sizeReply.code !== 213) throw replyError(size.step, 'SIZE', sizeReply);
    else if (sizeReply) out.remoteSize = parseSize(sizeReply, size.step);
    const timeReply = time ? replies.shift() : undefined;
    if (time && timeReply) {
      out.timeKept =
        timeReply.code === 213 || timeReply.code === 253
          ? true
          : replyError(time.step, 'MFMT', timeReply);
    }
    return out;
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
    const step = `size of ${path}`;
    return parseSize(await this.simple(`SIZE ${path}`, step, (code) => code === 213), step);
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

  /** Sets a file's modification time (MFMT); after an upload, prefer `upload`'s `modifiedTimeAfter`. */
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
  hash(path: string): Promise<RemoteHash | undefined> {
    return this.checksums.hash(path);
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

/** A 213 reply to SIZE as a byte count; anything else there is a protocol error. */
function parseSize(reply: FtpReply, step: string): number {
  // Digits only: Number() would also read "", "0x10", "1e3" and "+16" as sizes.
  const token = reply.text.trim().split(/\s+/)[0] ?? '';
  const size = /^\d+$/.test(token) ? Number(token) : NaN;
  if (!Number.isSafeInteger(size)) {
    throw new FerryError({ kind: 'protocol', step, reason: `not a size: ${reply.text}` });
  }
  return size;
}

export interface UploadResult extends TransferResult {
  /** With `sizeAfter`: the server's size of the file, undefined where SIZE is refused. */
  remoteSize?: number | undefined;
  /** With `modifiedTimeAfter` on a server offering MFMT: true, or why the time was not kept. */
  timeKept?: true | FerryError;
}
