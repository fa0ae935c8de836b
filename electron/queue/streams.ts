import { createReadStream } from 'node:fs';
import { pipeline, Transform, type Readable } from 'node:stream';
import type { Digests } from './verify';

const FILE_BUFFER = 1024 * 1024;

/** A plain file Readable for uploads that need no digest. */
export function plainFileSource(file: string, offset: number): Readable {
  return createReadStream(file, { start: offset, highWaterMark: FILE_BUFFER });
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
