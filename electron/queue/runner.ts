import { lstat, rename, stat, utimes, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { FerryErrorDetail } from '../../shared/errors';
import type {
  FileExistsAction,
  FileExistsQuestion,
  TransferItem,
  VerificationMethod,
} from '../../shared/transfers';
import type { FtpsClient } from '../engine/client';
import { FerryError, toErrorDetail } from '../engine/errors';
import { remoteJoin, remoteParent } from '../../shared/remote-path';
import {
  commitTemp,
  createTemp,
  discardTemp,
  ensureRealFolder,
  regularFileSize,
  reopenTemp,
  tempNameFor,
} from '../files/download-target';
import { localFsError } from '../files/local-fs-error';
import { backoffDelay, classifyFailure, sleep, type RetryPolicy } from './backoff';
import {
  decideFileExists,
  isCoarseTime,
  pickFreeName,
  timeDecides,
  type FileFacts,
} from './file-exists';
import { PoolShrunk, type SitePool } from './pool';
import type { TransferOptions, TransferResult } from '../engine/types';
import { hashingFileSink, hashingFileSource, plainFileSink, plainFileSource } from './streams';
import {
  algorithmFor,
  Digests,
  digestFileRange,
  sameDigest,
  strongestMethod,
  type LocalAlgorithm,
} from './verify';

export interface RunSettings {
  verify: boolean;
  computeSha256: boolean;
  preserveTimes: boolean;
  retry: RetryPolicy;
}

export interface RunContext {
  item: TransferItem;
  /** The folder the user chose: downloads land below it, never through a symbolic link. */
  root: string;
  action: FileExistsAction;
  /** Facts about the source known from a folder walk (saves a SIZE/MDTM round trip). */
  source?: FileFacts;
  pool: SitePool;
  settings: RunSettings;
  /** Aborted by cancel or pause; the reason says which. */
  signal: AbortSignal;
  setState: (state: 'connecting' | 'transferring' | 'verifying') => void;
  onBytes: (bytesDone: number, size?: number) => void;
  ask: (
    question: Omit<FileExistsQuestion, 'questionId'>,
  ) => Promise<Exclude<FileExistsAction, 'ask'>>;
  log: (level: 'info' | 'warning', text: string) => void;
}

export type RunOutcome =
  | { state: 'done' }
  | { state: 'skipped'; reason: string }
  | { state: 'failed'; error: FerryErrorDetail }
  | { state: 'aborted' }
  /** Not started for a reason that is not the item's fault (pool shrank): queue it again. */
  | { state: 'requeue' };

interface Target {
  exists: boolean;
  facts: FileFacts;
}

async function localFacts(file: string): Promise<Target> {
  // lstat: a link at the target is something that exists (and is replaced, never followed).
  const info = await lstat(file).catch(() => undefined);
  if (!info) return { exists: false, facts: {} };
  if (!info.isFile()) return { exists: true, facts: {} };
  return { exists: true, facts: { size: info.size, modifiedMs: info.mtimeMs } };
}

/** An upload's source, which the user chose: a link to a file is followed. */
async function localSourceFacts(file: string): Promise<Target> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return { exists: false, facts: {} };
  return { exists: true, facts: { size: info.size, modifiedMs: info.mtimeMs } };
}

function isMissing(error: unknown): boolean {
  const detail = error instanceof FerryError ? error.detail : undefined;
  return detail?.kind === 'ftp-reply' && detail.code >= 500;
}

async function remoteSize(client: FtpsClient, remote: string): Promise<number | undefined> {
  try {
    return await client.size(remote);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** SIZE only: the time (MDTM, a round trip) is asked for where it decides something. */
async function remoteFacts(client: FtpsClient, remote: string): Promise<Target> {
  const size = await remoteSize(client, remote);
  if (size === undefined) return { exists: false, facts: {} };
  return { exists: true, facts: { size } };
}

async function remoteTime(client: FtpsClient, remote: string): Promise<number | undefined> {
  if (!client.features.mdtm) return undefined;
  return (await client.modifiedTime(remote).catch(() => undefined))?.getTime();
}

/**
 * Runs one file item to the end: existence policy, transfer with resume on faults, verification,
 * modification time. One attempt holds one pooled connection; a fault closes that connection and
 * the next attempt resumes from the offset the destination already has.
 */
export class ItemRunner {
  private noProgress = 0;
  /** A verification failed: the destination's bytes cannot be trusted, start from zero. */
  private restart = false;
  private sourceFacts: FileFacts | undefined;
  private askedSourceTime = false;
  /** The file-exists decision allows replacing the download's target. */
  private mayReplace = false;
  /** The server refused REST once: every attempt starts from zero. */
  private restRefused = false;

  constructor(private readonly ctx: RunContext) {
    this.sourceFacts = ctx.source;
  }

  async run(): Promise<RunOutcome> {
    const { item, signal } = this.ctx;
    let resolved = false;
    let resumeOffset: number | undefined;
    for (;;) {
      if (signal.aborted) return { state: 'aborted' };
      this.ctx.setState('connecting');
      let client: FtpsClient;
      try {
        client = await this.ctx.pool.acquire();
      } catch (error) {
        if (error instanceof PoolShrunk) return { state: 'requeue' };
        const retry = await this.onFailure(error, false);
        if (retry) continue;
        return { state: 'failed', error: toErrorDetail(error, 'connect') };
      }
      const before = item.bytesDone;
      try {
        if (!resolved) {
          const decision = await this.resolveTarget(client);
          if (decision.kind === 'skip') {
            this.ctx.pool.release(client, true);
            return { state: 'skipped', reason: decision.reason };
          }
          if (decision.kind === 'ask') {
            // Do not hold a connection while a person thinks.
            this.ctx.pool.release(client, true);
            const answer = await this.ctx.ask(decision.question);
            this.ctx.action = answer;
            continue;
          }
          resumeOffset = decision.offset;
          resolved = true;
        }
        const outcome = await this.attempt(client, resumeOffset);
        resumeOffset = undefined;
        this.ctx.pool.release(client, true);
        return outcome;
      } catch (error) {
        const detail = toErrorDetail(error, `transfer ${item.remotePath}`);
        const kind = classifyFailure(detail);
        if (signal.aborted || kind === 'cancelled') {
          this.ctx.pool.release(client, !client.closed);
          return { state: 'aborted' };
        }
        this.ctx.pool.release(client, kind === 'permanent' && !client.closed);
        resumeOffset = undefined;
        if (detail.kind === 'ftp-reply' && detail.command === 'REST' && !this.restRefused) {
          // The server cannot resume: start the file again from zero (and verify it whole).
          this.restRefused = true;
          this.restart = true;
          this.ctx.log(
            'warning',
            `${item.remotePath}: REST refused (${detail.code}); starting again from zero`,
          );
          continue;
        }
        // A failed verification moved bytes but no real progress: it counts towards the bound.
        const progressed = !this.restart && item.bytesDone > before;
        if (await this.onFailure(error, progressed)) continue;
        return { state: 'failed', error: detail };
      }
    }
  }

  /** Decides whether to try again (after a backoff) and counts the retry. */
  private async onFailure(error: unknown, progressed: boolean): Promise<boolean> {
    const detail = toErrorDetail(error, 'transfer');
    if (classifyFailure(detail) !== 'transient') return false;
    this.noProgress = progressed ? 0 : this.noProgress + 1;
    const { retry } = this.ctx.settings;
    if (this.noProgress > retry.maxRetries) return false;
    this.ctx.item.retries++;
    const delay = backoffDelay(Math.max(1, this.noProgress), retry);
    this.ctx.log(
      'warning',
      `${this.ctx.item.remotePath}: ${describe(detail)}; retry ${this.ctx.item.retries} in ${delay} ms`,
    );
    await sleep(delay, this.ctx.signal);
    return true;
  }

  private async resolveTarget(
    client: FtpsClient,
  ): Promise<
    | { kind: 'go'; offset?: number }
    | { kind: 'skip'; reason: string }
    | { kind: 'ask'; question: Omit<FileExistsQuestion, 'questionId'> }
  > {
    const { item } = this.ctx;
    const action = this.ctx.action;
    const download = item.direction === 'download';
    if (!this.sourceFacts || (this.sourceFacts.size === undefined && download)) {
      if (download && !client.features.size) {
        // No SIZE: the size is unknown (the engine then requires TLS close_notify), not missing.
        this.sourceFacts = {};
      } else if (download) {
        // A missing file fails with the server's own SIZE refusal.
        this.sourceFacts = { size: await client.size(item.remotePath) };
      } else {
        const facts = await localSourceFacts(item.localPath);
        if (!facts.exists)
          throw localFsError(
            `upload ${item.localPath}`,
            item.localPath,
            Object.assign(new Error('no such file'), { code: 'ENOENT' }),
          );
        this.sourceFacts = facts.facts;
      }
    }
    if (this.sourceFacts.size !== undefined) item.size = this.sourceFacts.size;
    // A download's own temp file from an earlier attempt or session is resumed, whatever the policy.
    if (download && item.bytesDone > 0 && item.partPath !== undefined) {
      if ((await regularFileSize(item.partPath)) !== undefined) return { kind: 'go' };
    }
    if (action === 'overwrite') {
      this.mayReplace = true;
      return { kind: 'go' };
    }
    const target = download
      ? await localFacts(item.localPath)
      : await remoteFacts(client, item.remotePath);
    if (!target.exists) return { kind: 'go' };
    if (timeDecides(action, this.sourceFacts, target.facts)) {
      if (download) await this.exactSourceTime(client);
      else {
        const time = await remoteTime(client, item.remotePath);
        if (time !== undefined) target.facts.modifiedMs = time;
      }
    }
    const decision = decideFileExists(action, this.sourceFacts, target.facts);
    switch (decision.action) {
      case 'overwrite':
        this.mayReplace = true;
        return { kind: 'go' };
      case 'skip':
        return { kind: 'skip', reason: decision.reason };
      case 'resume':
        return { kind: 'go', offset: decision.offset };
      case 'rename':
        await this.rename(client);
        return { kind: 'go' };
      case 'ask':
        return {
          kind: 'ask',
          question: {
            itemId: item.id,
            direction: item.direction,
            source: {
              path: download ? item.remotePath : item.localPath,
              ...facts(this.sourceFacts),
            },
            target: { path: download ? item.localPath : item.remotePath, ...facts(target.facts) },
          },
        };
    }
  }

  /**
   * A remote file's time from LIST is to the minute or the day: a file rewritten within that
   * minute would look unchanged to a newer-than test, and a downloaded copy would get a time
   * earlier than the original's. Where the time decides something, ask MDTM (once per item).
   */
  private async exactSourceTime(client: FtpsClient): Promise<void> {
    const facts = this.sourceFacts;
    if (this.askedSourceTime || !facts || !client.features.mdtm) return;
    if (facts.modifiedMs !== undefined && !isCoarseTime(facts)) return;
    this.askedSourceTime = true;
    const date = await client.modifiedTime(this.ctx.item.remotePath).catch(() => undefined);
    if (date)
      this.sourceFacts = { ...facts, modifiedMs: date.getTime(), modifiedPrecision: 'second' };
  }

  private async rename(client: FtpsClient): Promise<void> {
    const { item } = this.ctx;
    if (item.direction === 'download') {
      const dir = path.dirname(item.localPath);
      const name = await pickFreeName(
        path.basename(item.localPath),
        async (candidate) => (await localFacts(path.join(dir, candidate))).exists,
      );
      item.localPath = path.join(dir, name);
    } else {
      const dir = remoteParent(item.remotePath);
      const base = item.remotePath.slice(item.remotePath.lastIndexOf('/') + 1);
      const name = await pickFreeName(
        base,
        async (candidate) => (await remoteSize(client, remoteJoin(dir, candidate))) !== undefined,
      );
      item.remotePath = remoteJoin(dir, name);
    }
  }

  private digestsFor(method: VerificationMethod): Digests | undefined {
    const algorithms = new Set<LocalAlgorithm>();
    if (this.ctx.settings.computeSha256) algorithms.add('sha256');
    const algorithm = this.ctx.settings.verify ? algorithmFor(method) : undefined;
    if (algorithm) algorithms.add(algorithm);
    return algorithms.size > 0 ? new Digests(algorithms) : undefined;
  }

  /** One transfer attempt plus verification; throws on any fault. */
  private async attempt(client: FtpsClient, resumeOffset: number | undefined): Promise<RunOutcome> {
    const { item, signal } = this.ctx;
    const restart = this.restart || this.restRefused;
    this.restart = false;
    const method = strongestMethod(client.features);
    const digests = this.digestsFor(method);
    const size = item.size;
    this.ctx.setState('transferring');
    let record: TransferResult['record'] | undefined;
    if (item.direction === 'download') {
      const step = `download ${item.remotePath}`;
      await ensureRealFolder(this.ctx.root, path.dirname(item.localPath), step);
      const { handle, offset } = await this.openTemp(resumeOffset, restart, size, step);
      const part = item.partPath ?? '';
      if (offset > 0) {
        item.resumedAt = [...(item.resumedAt ?? []), offset];
        if (digests) await digestFileRange(part, digests, 0, offset);
      }
      let done = offset;
      this.ctx.onBytes(done, size);
      const countChunk = (n: number): void => {
        done += n;
        this.ctx.onBytes(done, size);
      };
      const sink = digests
        ? hashingFileSink(handle, offset, digests, countChunk)
        : plainFileSink(handle, offset);
      const result = await client.download(item.remotePath, sink, {
        offset,
        signal,
        ...(size !== undefined ? { expectedSize: size } : {}),
        ...(digests ? {} : this.engineProgress(offset, size, (bytes) => (done = bytes))),
      });
      record = result.record;
      const digest = this.transferred(record, digests);
      const finalSize = (await regularFileSize(part)) ?? 0;
      await this.verify(client, method, digest, finalSize, part);
      await commitTemp(part, item.localPath, this.mayReplace, 'finish download');
      delete item.partPath;
      if (this.ctx.settings.preserveTimes) {
        await this.exactSourceTime(client);
        if (this.sourceFacts?.modifiedMs !== undefined) {
          const when = new Date(this.sourceFacts.modifiedMs);
          await utimes(item.localPath, when, when).catch(() => undefined);
        }
      }
    } else {
      let offset = 0;
      if (resumeOffset !== undefined) offset = resumeOffset;
      else if (!restart && (item.bytesDone > 0 || item.retries > 0)) {
        const have = await remoteSize(client, item.remotePath);
        if (have !== undefined && size !== undefined && have <= size) offset = have;
      }
      if (offset > 0) {
        item.resumedAt = [...(item.resumedAt ?? []), offset];
        if (digests) await digestFileRange(item.localPath, digests, 0, offset);
      }
      let done = offset;
      this.ctx.onBytes(done, size);
      const source = digests
        ? hashingFileSource(item.localPath, offset, digests, (n) => {
            done += n;
            this.ctx.onBytes(done, size);
          })
        : plainFileSource(item.localPath, offset);
      const result = await client
        .upload(source, item.remotePath, {
          offset,
          signal,
          ...(digests ? {} : this.engineProgress(offset, size, (bytes) => (done = bytes))),
        })
        .catch((error: unknown) => this.confirmEmptyUpload(client, error));
      record = result?.record;
      const digest = this.transferred(record, digests);
      await this.verify(client, method, digest, done, item.localPath);
      if (
        this.ctx.settings.preserveTimes &&
        client.features.mfmt &&
        this.sourceFacts?.modifiedMs !== undefined
      ) {
        await client
          .setModifiedTime(item.remotePath, new Date(this.sourceFacts.modifiedMs))
          .catch((error: unknown) => {
            this.ctx.log(
              'warning',
              `${item.remotePath}: could not keep the modification time: ${String(error)}`,
            );
          });
      }
    }
    return { state: 'done' };
  }

  /**
   * The temp file this attempt writes, and the offset it continues from: the item's own temp
   * file after a fault; the target itself for a "resume" decision (moved aside, never through a
   * link); otherwise a new one.
   */
  private async openTemp(
    resumeOffset: number | undefined,
    restart: boolean,
    size: number | undefined,
    step: string,
  ): Promise<{ handle: FileHandle; offset: number }> {
    const { item } = this.ctx;
    if (this.restRefused) {
      // Nothing to resume from.
    } else if (resumeOffset !== undefined && resumeOffset > 0) {
      const have = await regularFileSize(item.localPath);
      if (have !== undefined && have >= resumeOffset) {
        const temp = tempNameFor(item.localPath);
        await rename(item.localPath, temp).catch((error: unknown) => {
          throw localFsError('resume download', item.localPath, error);
        });
        item.partPath = temp;
        // The target was moved aside: committing the finished file replaces nothing.
        const reopened = await reopenTemp(temp, step);
        if (reopened) return { handle: reopened.handle, offset: resumeOffset };
      }
    } else if (
      item.partPath !== undefined &&
      !restart &&
      (item.bytesDone > 0 || item.retries > 0)
    ) {
      const reopened = await reopenTemp(item.partPath, step);
      if (reopened && (size === undefined || reopened.size <= size)) {
        return { handle: reopened.handle, offset: reopened.size };
      }
      await reopened?.handle.close();
    }
    await discardTemp(item.partPath);
    const created = await createTemp(item.localPath, step);
    item.partPath = created.path;
    return { handle: created.handle, offset: 0 };
  }

  /**
   * vsftpd now and then answers 426 "Failure reading network stream" to an empty upload under
   * TLS 1.3 (the data connection closes right after its handshake) although the empty file is
   * there. For an empty source only, the server's SIZE decides: 0 is the whole file.
   */
  private async confirmEmptyUpload(client: FtpsClient, error: unknown): Promise<undefined> {
    const { item } = this.ctx;
    const detail = error instanceof FerryError ? error.detail : undefined;
    if (item.size !== 0 || detail?.kind !== 'ftp-reply' || detail.code !== 426) throw error;
    if ((await remoteSize(client, item.remotePath)) !== 0) throw error;
    this.ctx.log(
      'info',
      `${item.remotePath}: ${detail.code} ${detail.text} after an empty upload, but the empty file is there`,
    );
    return undefined;
  }

  /**
   * Progress from the engine's own byte count (sampled, not per chunk) for transfers that need
   * no digest; the last sample is the exact total.
   */
  private engineProgress(
    offset: number,
    size: number | undefined,
    setDone: (bytes: number) => void,
  ): Pick<TransferOptions, 'onProgress' | 'progressIntervalMs'> {
    return {
      onProgress: (progress) => {
        const bytes = offset + progress.bytes;
        setDone(bytes);
        this.ctx.onBytes(bytes, size);
      },
      progressIntervalMs: 100,
    };
  }

  private noteTls(resumed: boolean, tls: boolean): void {
    if (!tls) return;
    const { item } = this.ctx;
    item.tlsResumed = (item.tlsResumed ?? true) && resumed;
  }

  /** The bytes have moved: note the data connection's TLS, start verifying, take the digests. */
  private transferred(
    record: TransferResult['record'] | undefined,
    digests: Digests | undefined,
  ): Partial<Record<LocalAlgorithm, string>> {
    if (record) this.noteTls(record.resumed, record.tls);
    this.ctx.setState('verifying');
    const digest = digests?.digest() ?? {};
    if (digest.sha256) this.ctx.item.sha256 = digest.sha256;
    return digest;
  }

  /**
   * The strongest check the server offers; a mismatch throws a transient error so that the next
   * attempt starts the file again (the bytes cannot be trusted).
   */
  private async verify(
    client: FtpsClient,
    predicted: VerificationMethod,
    digest: Partial<Record<LocalAlgorithm, string>>,
    localSize: number,
    localFile: string,
  ): Promise<void> {
    const { item } = this.ctx;
    if (!this.ctx.settings.verify) return;
    const mismatch = async (reason: string): Promise<never> => {
      this.restart = true;
      if (item.direction === 'download') {
        await discardTemp(item.partPath);
        delete item.partPath;
      }
      throw new FerryError({ kind: 'protocol', step: `verify ${item.remotePath}`, reason });
    };
    // The legacy X* commands refuse an empty range (ProFTPD: "501 XSHA256 requires end (0)
    // greater than start (0)"); for an empty file the size check says as much.
    const legacyOnEmpty = localSize === 0 && !predicted.startsWith('HASH ');
    if (predicted !== 'size' && !legacyOnEmpty) {
      const remote = await client.hash(item.remotePath);
      if (remote) {
        const algorithm = algorithmFor(remote.method);
        let local = algorithm ? digest[algorithm] : undefined;
        if (algorithm && local === undefined) {
          // The server used another algorithm than its FEAT suggested: hash the file again.
          const again = new Digests(new Set([algorithm]));
          await digestFileRange(localFile, again);
          local = again.digest()[algorithm];
        }
        if (local !== undefined) {
          if (!sameDigest(remote.method, remote.value, local)) {
            await mismatch(`${remote.method} differs (server ${remote.value}, local ${local})`);
          }
          item.verification = remote.method;
          return;
        }
      }
    }
    const remoteBytes =
      item.direction === 'download' ? item.size : await remoteSize(client, item.remotePath);
    const expected = item.direction === 'download' ? remoteBytes : localSize;
    const actual = item.direction === 'download' ? localSize : remoteBytes;
    if (expected !== undefined && actual !== expected) {
      await mismatch(`size differs (expected ${expected}, got ${actual ?? 'nothing'})`);
    }
    item.verification = 'size';
  }
}

function facts(f: FileFacts): { size?: number; modified?: string } {
  return {
    ...(f.size !== undefined ? { size: f.size } : {}),
    ...(f.modifiedMs !== undefined ? { modified: new Date(f.modifiedMs).toISOString() } : {}),
  };
}

function describe(detail: FerryErrorDetail): string {
  return new FerryError(detail).message;
}
