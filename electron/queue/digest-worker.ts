/**
 * File digests computed in a worker thread, so that hashing a large file does not hold up the
 * main thread (the app's IPC, the other transfers' TLS). The worker reads the file itself (from the
 * page cache right after a download); its source is inline so that every bundle (the app's main
 * process, the CLI, the bench) carries it without a separate entry point.
 */
import { Worker } from 'node:worker_threads';
import type { LocalAlgorithm } from './verify';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const zlib = require('node:zlib');
(async () => {
  const { file, algorithms, start, end } = workerData;
  const hashes = algorithms.filter((a) => a !== 'crc32').map((a) => [a, createHash(a)]);
  let crc = algorithms.includes('crc32') ? 0 : undefined;
  const options = { start, highWaterMark: 1024 * 1024 };
  if (end !== undefined) options.end = end - 1;
  for await (const chunk of createReadStream(file, options)) {
    for (const [, hash] of hashes) hash.update(chunk);
    if (crc !== undefined) crc = zlib.crc32(chunk, crc);
  }
  const out = {};
  for (const [algorithm, hash] of hashes) out[algorithm] = hash.digest('hex');
  if (crc !== undefined) out.crc32 = (crc >>> 0).toString(16).padStart(8, '0');
  parentPort.postMessage({ digests: out });
})().catch((error) => parentPort.postMessage({ error: String((error && error.message) || error) }));
`;

type DigestMap = Partial<Record<LocalAlgorithm, string>>;

/** Lower-case hex digests of bytes [start, end) of `file`, computed off the main thread. */
export function digestFileInWorker(
  file: string,
  algorithms: ReadonlySet<LocalAlgorithm>,
  start = 0,
  end?: number,
): Promise<DigestMap> {
  if (algorithms.size === 0) return Promise.resolve({});
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, algorithms: [...algorithms], start, end },
    });
    let settled = false;
    worker.once('message', (message: { digests?: DigestMap; error?: string }) => {
      settled = true;
      if (message.digests) resolve(message.digests);
      else reject(new Error(`hashing ${file}: ${message.error ?? 'failed'}`));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`hashing ${file}: the worker stopped (${code})`));
    });
  });
}
