import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { FerryError } from './errors';

/** Bytes gathered before one write: a 1 GiB download is ~1,000 writes, not 65,536. */
const BLOCK = 1024 * 1024;
/** Idle blocks kept for the next download (parallel transfers use two each). */
const POOL_LIMIT = 16;
const pool: Buffer[] = [];

function takeBlock(): Buffer {
  return pool.pop() ?? Buffer.allocUnsafeSlow(BLOCK);
}

function giveBack(block: Buffer): void {
  if (pool.length < POOL_LIMIT) pool.push(block);
}

/**
 * A local file a download is written into straight from the data connection: each TLS record is
 * copied into a 1 MiB block and full blocks are written at their offset while the next fills, so
 * there is no stream layer per 16 KiB record. At most two blocks per download: when both are
 * busy the data connection is paused until the write finishes (backpressure reaches the server
 * through TCP).
 */
export class DownloadFile {
  /** Called with every chunk before it is buffered (digests, byte counts). */
  onChunk: ((chunk: Buffer) => void) | undefined;
  private written = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly start: number,
  ) {}

  /**
   * Opens `path` to write from `offset` (0 truncates; above 0 keeps what is there, for a resumed
   * `.part`). Opened before the transfer starts, so a missing folder or a permission problem is
   * reported without a data connection being spent.
   */
  static async open(path: string, offset: number, step: string): Promise<DownloadFile> {
    try {
      return new DownloadFile(path, await open(path, offset > 0 ? 'r+' : 'w'), offset);
    } catch (error) {
      throw localError(step, path, error);
    }
  }

  /** Bytes written to disk by `consume`. */
  get bytesWritten(): number {
    return this.written;
  }

  /**
   * Reads `stream` to its end into the file; resolves with the bytes received once every one of
   * them is on disk. Rejects on a stream error, a write error (as a `local-fs` error naming the
   * file), or a stream that closes without ending.
   */
  consume(stream: Readable, step: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      let block = takeBlock();
      let used = 0;
      let position = this.start;
      let received = 0;
      let writing: Promise<void> | undefined;
      let blocked: Promise<void> | undefined;
      let failed = false;
      let ended = false;

      const fail = (error: unknown): void => {
        if (failed) return;
        failed = true;
        stream.pause();
        cleanup();
        // Never leave a write running on a handle the caller is about to close.
        void Promise.allSettled([writing, blocked]).then(() => {
          giveBack(block);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
      };

      const submit = (): void => {
        const full = block;
        const length = used;
        const at = position;
        block = takeBlock();
        used = 0;
        position += length;
        writing = this.writeAll(full, length, at, step).then(
          () => {
            writing = undefined;
            giveBack(full);
          },
          (error: unknown) => {
            writing = undefined;
            fail(error);
          },
        );
      };

      const append = (chunk: Buffer, from: number): void => {
        let offset = from;
        while (offset < chunk.length) {
          const n = Math.min(BLOCK - used, chunk.length - offset);
          chunk.copy(block, used, offset, offset + n);
          used += n;
          offset += n;
          if (used < BLOCK) continue;
          if (writing) {
            // Both blocks busy: hold the connection until the write in flight is done.
            stream.pause();
            const rest = offset;
            blocked = writing.then(() => {
              blocked = undefined;
              if (failed) return;
              submit();
              append(chunk, rest);
              if (!blocked && !ended) stream.resume();
            });
            return;
          }
          submit();
        }
      };

      const onData = (chunk: Buffer): void => {
        if (failed) return;
        this.onChunk?.(chunk);
        received += chunk.length;
        append(chunk, 0);
      };
      const onEnd = (): void => {
        ended = true;
        cleanup();
        void (async () => {
          while (blocked ?? writing) await (blocked ?? writing);
          if (failed) return;
          if (used > 0) await this.writeAll(block, used, position, step);
          giveBack(block);
          resolve(received);
        })().catch(fail);
      };
      const onError = (error: Error): void => fail(error);
      const onClose = (): void => {
        if (!ended) {
          fail(
            new FerryError({
              kind: 'closed',
              step,
              reason: 'the data connection closed before the end of the file',
            }),
          );
        }
      };
      const cleanup = (): void => {
        stream.off('data', onData);
        stream.off('end', onEnd);
        stream.off('error', onError);
        stream.off('close', onClose);
      };
      stream.on('data', onData);
      stream.once('end', onEnd);
      stream.once('error', onError);
      stream.once('close', onClose);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  private async writeAll(block: Buffer, length: number, at: number, step: string): Promise<void> {
    let done = 0;
    try {
      while (done < length) {
        const { bytesWritten } = await this.handle.write(block, done, length - done, at + done);
        done += bytesWritten;
      }
    } catch (error) {
      throw localError(step, this.path, error);
    } finally {
      this.written += done;
    }
  }
}

function localError(step: string, path: string, error: unknown): FerryError {
  const err = error as NodeJS.ErrnoException;
  return new FerryError({
    kind: 'local-fs',
    step,
    path,
    code: err.code ?? 'EIO',
    reason: err.message,
  });
}
