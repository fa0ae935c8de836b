import { createHash, type Hash } from 'node:crypto';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { FerryError } from '../engine/errors';
import { createTemp } from '../files/download-target';

const CHUNK = 1024 * 1024;

export function localError(step: string, path: string, error: unknown): FerryError {
  if (error instanceof FerryError) return error;
  const err = error as NodeJS.ErrnoException;
  return new FerryError(
    { kind: 'local-fs', step, path, code: err.code ?? 'EIO', reason: err.message ?? String(error) },
    { cause: error },
  );
}

/**
 * A local file written while hashing what passes through, so a download is hashed without
 * reading the file back. Write errors surface as `local-fs` FerryErrors, which the engine passes
 * through unchanged.
 */
export class HashingFileWriter extends Writable {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    private readonly step: string,
  ) {
    super({ highWaterMark: CHUNK });
  }

  /**
   * A new temp file beside `finalPath` (created exclusively, never through a link: see
   * files/download-target); fails before anything touches the network.
   */
  static async create(finalPath: string, step: string): Promise<HashingFileWriter> {
    const temp = await createTemp(finalPath, step);
    return new HashingFileWriter(temp.handle, temp.path, step);
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.writeAll([chunk]).then(
      () => callback(),
      (error: unknown) => callback(localError(this.step, this.path, error)),
    );
  }

  override _writev(
    chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>,
    callback: (error?: Error | null) => void,
  ): void {
    this.writeAll(chunks.map((entry) => entry.chunk)).then(
      () => callback(),
      (error: unknown) => callback(localError(this.step, this.path, error)),
    );
  }

  private async writeAll(chunks: Buffer[]): Promise<void> {
    for (const chunk of chunks) this.hash.update(chunk);
    await this.handle.writev(chunks);
    for (const chunk of chunks) this.bytes += chunk.length;
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.handle.close().then(
      () => callback(),
      (error: unknown) => callback(localError(this.step, this.path, error)),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.handle.close().then(
      () => callback(error),
      () => callback(error),
    );
  }

  /** Bytes written so far. */
  get written(): number {
    return this.bytes;
  }

  /** Lower-case hex SHA-256 of everything written; call once, after the last write. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

/** A local file read once, hashed on the way out (uploads). */
export class HashingFileReader extends Readable {
  private readonly hash: Hash = createHash('sha256');

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    readonly size: number,
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
      return new HashingFileReader(handle, path, info.size, step);
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

export async function renameLocal(from: string, to: string, step: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    throw localError(step, to, error);
  }
}

export async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}
