import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadFile } from './download-file';
import { FerryError } from './errors';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ferry-download-file-'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Chunks of uneven sizes (like TLS records and socket reads), never aligned to the 1 MiB block. */
function chunksOf(data: Buffer): Buffer[] {
  const sizes = [16_384, 1, 65_536, 4_093, 16_384, 300_000];
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < data.length; i++) {
    const size = sizes[i % sizes.length] ?? 16_384;
    out.push(data.subarray(at, at + size));
    at += size;
  }
  return out;
}

describe('DownloadFile', () => {
  it('writes every byte in order across many blocks and shows each chunk to onChunk', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 12_345);
    const file = await DownloadFile.open(path.join(dir, 'many.bin'), 0, 'download many.bin');
    const seen = createHash('sha256');
    file.onChunk = (chunk) => seen.update(chunk);
    const received = await file.consume(Readable.from(chunksOf(data)), 'download many.bin');
    await file.close();
    expect(received).toBe(data.length);
    expect(file.bytesWritten).toBe(data.length);
    expect(seen.digest('hex')).toBe(sha256(data));
    expect(sha256(await readFile(path.join(dir, 'many.bin')))).toBe(sha256(data));
  });

  it('pauses a fast source while both blocks are busy and still loses nothing', async () => {
    // A PassThrough with a small buffer fed as fast as it accepts: writes must hold it back.
    const data = randomBytes(12 * 1024 * 1024);
    const source = new PassThrough({ highWaterMark: 64 * 1024 });
    const file = await DownloadFile.open(path.join(dir, 'fast.bin'), 0, 'download fast.bin');
    let paused = 0;
    source.on('pause', () => paused++);
    const consuming = file.consume(source, 'download fast.bin');
    for (const chunk of chunksOf(data)) {
      if (!source.write(chunk)) await new Promise((r) => source.once('drain', r));
    }
    source.end();
    expect(await consuming).toBe(data.length);
    await file.close();
    expect(paused).toBeGreaterThan(0);
    expect(sha256(await readFile(path.join(dir, 'fast.bin')))).toBe(sha256(data));
  });

  it('resumes at an offset and keeps the bytes before it', async () => {
    const data = randomBytes(2 * 1024 * 1024 + 7);
    const target = path.join(dir, 'resume.bin.part');
    const offset = 1_000_003;
    await writeFile(target, data.subarray(0, offset));
    const file = await DownloadFile.open(target, offset, 'download resume.bin');
    await file.consume(Readable.from(chunksOf(data.subarray(offset))), 'download resume.bin');
    await file.close();
    expect(sha256(await readFile(target))).toBe(sha256(data));
  });

  it('an empty download creates an empty file', async () => {
    const target = path.join(dir, 'empty.bin');
    const file = await DownloadFile.open(target, 0, 'download empty.bin');
    expect(await file.consume(Readable.from([]), 'download empty.bin')).toBe(0);
    await file.close();
    expect((await readFile(target)).length).toBe(0);
  });

  it('a connection that closes before its end is an error, not a short file that looks done', async () => {
    const source = new PassThrough();
    const file = await DownloadFile.open(path.join(dir, 'cut.bin'), 0, 'download cut.bin');
    const consuming = file.consume(source, 'download cut.bin');
    source.write(randomBytes(3 * 1024 * 1024));
    setImmediate(() => source.destroy());
    await expect(consuming).rejects.toMatchObject({
      detail: { kind: 'closed', step: 'download cut.bin' },
    });
    await file.close();
  });

  it('passes a stream error through', async () => {
    const source = new PassThrough();
    const file = await DownloadFile.open(path.join(dir, 'err.bin'), 0, 'download err.bin');
    const consuming = file.consume(source, 'download err.bin');
    source.write(randomBytes(100_000));
    const boom = new FerryError({ kind: 'cancelled', step: 'transfer' });
    setImmediate(() => source.destroy(boom));
    await expect(consuming).rejects.toBe(boom);
    await file.close();
  });

  it('a full disk is a local-fs error naming the file (ENOSPC from /dev/full)', async () => {
    if (!existsSync('/dev/full')) return;
    const file = await DownloadFile.open('/dev/full', 0, 'download big.bin');
    const consuming = file.consume(
      Readable.from(chunksOf(randomBytes(3 * 1024 * 1024))),
      'download big.bin',
    );
    await expect(consuming).rejects.toMatchObject({
      detail: { kind: 'local-fs', path: '/dev/full', code: 'ENOSPC', step: 'download big.bin' },
    });
    await file.close();
  });

  it('opening in a missing folder is a local-fs error before any transfer', async () => {
    const missing = path.join(dir, 'no', 'such', 'folder', 'x.bin');
    await expect(DownloadFile.open(missing, 0, 'download x.bin')).rejects.toMatchObject({
      detail: { kind: 'local-fs', path: missing, code: 'ENOENT' },
    });
  });
});
