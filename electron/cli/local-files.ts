import { createHash, type Hash } from 'node:crypto';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { localFsError as localError } from '../files/local-fs-error';

const CHUNK = 1024 * 1024;

/** A local file read once, hashed on the way out (uploads). */
export class HashingFileReader extends Readable {
  private readonly hash: Hash = createHash('sha256');

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    readonly size: number,
    /** The file's modification time when opened (kept on the server with MFMT). */
    readonly modified: Date,
    private readonly step: string,
  ) {
    super({ highWaterMark: CHUNK });
  }

  /** Opens `path` for reading; fails (local-fs) before anything touches the network. */
  static async open(path: string, step: string): Promise<HashingFileReader> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(path, 'r');
      const info = await handle.stat();
      if (!info.isFile()) {
        throw Object.assign(
          new Error(info.isDirectory() ? 'is a folder (use -r for folders)' : 'not a regular file'),
          {
            code: info.isDirectory() ? 'EISDIR' : 'EINVAL',
          },
        );
      }
      return new HashingFileReader(handle, path, info.size, info.mtime, step);
    } catch (error) {
      await handle?.close().catch(() => undefined);
      throw localError(step, path, error);
    }
  }

  override _read(): void {
    const buffer = Buffer.allocUnsafe(CHUNK);
    this.handle.read(buffer, 0, CHUNK, null).then(
      ({ bytesRead }) => {
        if (bytesRead === 0) {
          this.push(null);
          return;
        }
        const chunk = buffer.subarray(0, bytesRead);
        this.hash.update(chunk);
        this.push(chunk);
      },
      (error: unknown) => this.destroy(localError(this.step, this.path, error)),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.handle.close().then(
      () => callback(error),
      () => callback(error),
    );
  }

  /** Lower-case hex SHA-256 of everything read; call once, after the end. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
