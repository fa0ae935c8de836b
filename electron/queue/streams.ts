import { createReadStream, createWriteStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { pipeline, Transform, Writable, type Readable } from 'node:stream';
import type { Digests } from './verify';

const FILE_BUFFER = 1024 * 1024;

/**
 * A plain file Writable for downloads that need no digest: one stream layer less per 16 KiB TLS
 * record (the engine counts the bytes for progress anyway). The handle comes from the
 * local-file layer (created exclusively, never through a link).
 */
export function plainFileSink(handle: FileHandle, offset: number): Writable {
  return createWriteStream('', { fd: handle, start: offset, highWaterMark: FILE_BUFFER });
}

/** A plain file Readable for uploads that need no digest. */
export function plainFileSource(file: string, offset: number): Readable {
  return createReadStream(file, { start: offset, highWaterMark: FILE_BUFFER });
}

/**
 * A Writable for downloads: bytes go to `file` (from `offset`), through the digests, and are
 * counted. It finishes only after the file is closed, so a rename afterwards sees every byte.
 */
export function hashingFileSink(
  handle: FileHandle,
  offset: number,
  digests: Digests | undefined,
  onBytes: (n: number) => void,
): Writable {
  const out = createWriteStream('', { fd: handle, start: offset, highWaterMark: FILE_BUFFER });
  const sink = new Writable({
    highWaterMark: FILE_BUFFER,
    write(chunk: Buffer, _encoding, callback) {
      digests?.update(chunk);
      onBytes(chunk.length);
      if (out.write(chunk)) callback();
      else out.once('drain', () => callback());
    },
    final(callback) {
      out.end();
      out.once('close', () => callback());
    },
    destroy(error, callback) {
      if (!out.destroyed) out.destroy();
      callback(error);
    },
  });
  out.on('error', (error) => sink.destroy(error));
  // The engine pipes into the sink only once the data connection is up; until then an error is
  // kept in `sink.errored` (which pipeline reads) instead of crashing the process.
  sink.on('error', () => undefined);
  return sink;
}

/** A Readable for uploads: the file from `offset`, through the digests, counted. */
export function hashingFileSource(
  file: string,
  offset: number,
  digests: Digests | undefined,
  onBytes: (n: number) => void,
): Readable {
  const input = createReadStream(file, { start: offset, highWaterMark: FILE_BUFFER });
  const tap = new Transform({
    highWaterMark: FILE_BUFFER,
    transform(chunk: Buffer, _encoding, callback) {
      digests?.update(chunk);
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
  return pipeline(input, tap, () => undefined);
}
