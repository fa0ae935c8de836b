import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/**
 * Lets TLS run over a TCP socket that must survive the end of TLS: after CCC (RFC 4217) both
 * sides exchange close_notify and the same TCP connection carries plaintext commands. Node has
 * no "stop TLS, keep the socket" call, but tls.connect accepts any Duplex: this one forwards to
 * the raw socket and can be detached once the close_notify exchange is done.
 */
export class DetachableSocketDuplex extends Duplex {
  private detached = false;
  private rawOutlivesTls = false;
  private readonly onData = (chunk: Buffer): void => {
    if (!this.push(chunk)) this.raw.pause();
  };
  private readonly onEnd = (): void => {
    this.push(null);
  };
  private readonly onError = (error: Error): void => {
    this.destroy(error);
  };

  constructor(private readonly raw: Socket) {
    super();
    raw.on('data', this.onData);
    raw.on('end', this.onEnd);
    raw.on('error', this.onError);
  }

  override _read(): void {
    if (!this.detached) this.raw.resume();
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    if (this.detached) {
      callback(new Error('TLS layer already detached'));
      return;
    }
    this.raw.write(chunk, callback);
  }

  // Ending the TLS layer must not end TCP: the plaintext session continues on it.
  override _final(callback: (error?: Error | null) => void): void {
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.detached && !this.rawOutlivesTls) this.raw.destroy(error ?? undefined);
    callback(error);
  }

  /**
   * From now on the TLS layer's teardown (after close_notify) leaves TCP open: Node destroys the
   * carrier as soon as the peer's close_notify arrives, before the caller can detach.
   */
  keepTcpAfterTls(): void {
    this.rawOutlivesTls = true;
  }

  /** Stops forwarding; the raw socket is the caller's again (paused). */
  detach(): Socket {
    this.detached = true;
    this.raw.off('data', this.onData);
    this.raw.off('end', this.onEnd);
    this.raw.off('error', this.onError);
    this.raw.pause();
    return this.raw;
  }
}
