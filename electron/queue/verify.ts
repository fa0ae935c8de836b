import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import zlib from 'node:zlib';
import type { VerificationMethod } from '../../shared/transfers';
import type { Features } from '../engine/types';

/** Local digest algorithms the queue can compute. */
export type LocalAlgorithm = 'sha256' | 'sha512' | 'sha1' | 'md5' | 'crc32';

const HASH_ORDER = [
  ['SHA-256', 'HASH SHA-256', 'sha256'],
  ['SHA-512', 'HASH SHA-512', 'sha512'],
  ['SHA-1', 'HASH SHA-1', 'sha1'],
  ['MD5', 'HASH MD5', 'md5'],
] as const;

const LEGACY_ORDER = [
  ['xsha256', 'XSHA256', 'sha256'],
  ['xsha1', 'XSHA1', 'sha1'],
  ['xmd5', 'XMD5', 'md5'],
  ['xcrc', 'XCRC', 'crc32'],
] as const;

/**
 * The check the engine's `hash()` will use on this server (the same order: HASH with the
 * strongest algorithm, then XSHA256, XSHA1, XMD5, XCRC), or `size` when it offers none. Knowing
 * it before the transfer lets the queue hash the bytes as they stream instead of re-reading.
 */
export function strongestMethod(features: Features): VerificationMethod {
  for (const [name, method] of HASH_ORDER) if (features.hash.includes(name)) return method;
  for (const [feature, method] of LEGACY_ORDER) if (features[feature]) return method;
  return 'size';
}

export function algorithmFor(method: VerificationMethod): LocalAlgorithm | undefined {
  for (const [, m, algorithm] of HASH_ORDER) if (m === method) return algorithm;
  for (const [, m, algorithm] of LEGACY_ORDER) if (m === method) return algorithm;
  return undefined;
}

/** Streaming digests over the same bytes (SHA-256 for the report, plus the server's algorithm). */
export class Digests {
  private readonly hashes = new Map<Exclude<LocalAlgorithm, 'crc32'>, Hash>();
  private crc: number | undefined;

  constructor(readonly algorithms: ReadonlySet<LocalAlgorithm>) {
    for (const algorithm of algorithms) {
      if (algorithm === 'crc32') this.crc = 0;
      else this.hashes.set(algorithm, createHash(algorithm));
    }
  }

  get empty(): boolean {
    return this.algorithms.size === 0;
  }

  update(chunk: Buffer): void {
    for (const hash of this.hashes.values()) hash.update(chunk);
    if (this.crc !== undefined) this.crc = zlib.crc32(chunk, this.crc);
  }

  /** Lower-case hex per algorithm; call once, at the end. */
  digest(): Partial<Record<LocalAlgorithm, string>> {
    const out: Partial<Record<LocalAlgorithm, string>> = {};
    for (const [algorithm, hash] of this.hashes) out[algorithm] = hash.digest('hex');
    if (this.crc !== undefined) out.crc32 = this.crc.toString(16).padStart(8, '0');
    return out;
  }
}

/** Feeds bytes [start, end) of a local file into `digests` (the prefix before a resume). */
export async function digestFileRange(
  file: string,
  digests: Digests,
  start = 0,
  end?: number,
): Promise<void> {
  if (end !== undefined && end <= start) return;
  const stream = createReadStream(file, {
    start,
    ...(end !== undefined ? { end: end - 1 } : {}),
    highWaterMark: 1024 * 1024,
  });
  for await (const chunk of stream as AsyncIterable<Buffer>) digests.update(chunk);
}

/** Compares a server checksum with a local one (XCRC values may drop leading zeros). */
export function sameDigest(method: VerificationMethod, remote: string, local: string): boolean {
  if (method === 'XCRC') return Number.parseInt(remote, 16) === Number.parseInt(local, 16);
  return remote.toLowerCase() === local.toLowerCase();
}
