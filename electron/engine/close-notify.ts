import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

/**
 * Carries a TLS data connection over its TCP socket and tells whether the server ended it with
 * TLS close_notify or with a bare TCP FIN. Under PROT P a missing close_notify means the data
 * may be truncated (RFC 4217 §9; an attacker or a crash can cut the stream), and Node's TLS
 * socket reports both endings as the same 'end'. The TCP end-of-file is handed to TLS only
 * after TLS has read and decrypted everything before it: if TLS had already ended by then, it
 * ended on the server's close_notify; if not, the stream stopped without one.
 *
 * Costs a JavaScript hop per chunk, so it is used only where no size can catch a truncation
 * (listings, downloads of files whose size the server does not tell).
 */
export class CloseNotifyWatch extends Duplex {
  private tls: TLSSocket | undefined;
  private eofForwarded = false;
  private sawCloseNotify = false;

  /**
   * `keepTcpOpen`: ending the TLS stream sends close_notify but no TCP FIN, so the client can
   * say early that it will write nothing more without a half-closed TCP connection, which some
   * proxies and middleboxes answer by closing both directions.
   */
  constructor(
    private readonly raw: Socket,
    private readonly keepTcpOpen = false,
  ) {
    super();
    raw.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) raw.pause();
    });
    raw.on('end', () => this.forwardEof());
    raw.on('error', (error) => this.destroy(error));
  }

  /**
   * Hands the end of file to TLS once TLS has taken every byte before it (a slow reader leaves
   * records, close_notify among them, waiting here), and one turn later, so TLS has decrypted
   * them: if TLS has ended by then, it ended on the server's close_notify.
   */
  private forwardEof(): void {
    // A destroyed connection (cancel, idle timeout) has no end to report: stop polling.
    if (this.destroyed) return;
    if (this.readableLength > 0) {
      setTimeout(() => this.forwardEof(), 2);
      return;
    }
    setImmediate(() => {
      if (this.tlsEnded()) this.sawCloseNotify = true;
      this.eofForwarded = true;
      this.push(null);
    });
  }

  /** The TLS socket running over this carrier. */
  watch(tls: TLSSocket): void {
    this.tls = tls;
    tls.once('end', () => {
      if (!this.eofForwarded) this.sawCloseNotify = true;
    });
  }

  /** Whether the TLS layer ended on close_notify (meaningful once the connection has closed). */
  get closeNotify(): boolean {
    return this.sawCloseNotify;
  }

  private tlsEnded(): boolean {
    // `ended` is set as soon as TLS pushes its end of stream, before the 'end' event, which
    // waits for the reader to drain the buffer. Node has no public flag for it.
    const state = (this.tls as unknown as { _readableState?: { ended?: boolean } } | undefined)
      ?._readableState;
    return state?.ended === true;
  }

  override _read(): void {
    this.raw.resume();
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.raw.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.keepTcpOpen) this.raw.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.raw.destroy(error ?? undefined);
    callback(error);
  }
}
