// A download attempt: into the item's temp file, whole over one connection or in ranges over
// several (segmented.ts), then verified, committed under its final name and dated.
import { lutimes, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { SegmentProgress, VerificationMethod } from '../../shared/transfers';
import type { FtpsClient } from '../engine/client';
import { FerryError } from '../engine/errors';
import type { TransferResult } from '../engine/types';
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
import type { ItemState } from './item-state';
import { fetchSegments, freshSegments, segmentBytes, segmentsFit } from './segmented';
import { hashingFileSink, plainFileSink } from './streams';
import { digestFileInWorker } from './digest-worker';
import { digestFileRange, type Digests, type LocalAlgorithm } from './verify';

export interface AttemptPlan {
  /** Continue from this offset of the target itself (a file-exists "resume" decision). */
  resumeOffset: number | undefined;
  /** Start from zero: the bytes so far cannot be trusted or continued. */
  restart: boolean;
  method: VerificationMethod;
  digests: Digests | undefined;
}

/** One download attempt to the end (verified and committed); throws on any fault. */
export async function downloadFile(
  s: ItemState,
  client: FtpsClient,
  { resumeOffset, restart, method, digests }: AttemptPlan,
): Promise<void> {
  const { item, signal } = s.ctx;
  const size = item.size;
  const step = `download ${item.remotePath}`;
  await ensureRealFolder(s.ctx.root, path.dirname(item.localPath), step);
  const plan = segmentPlan(s, size, resumeOffset, restart);
  if (plan && size !== undefined) {
    await downloadSegmented(s, client, size, plan, restart, step);
    await finishDownload(s, client, method, digests, undefined, false);
    return;
  }
  if (item.segments) {
    // A file written in ranges has holes: it cannot be continued from its length.
    await discardTemp(item.partPath);
    delete item.partPath;
    delete item.segments;
  }
  const { handle, offset } = await openTemp(s, resumeOffset, restart, size, step);
  // Hashing in a worker reads the finished file; hashing in the stream needs the prefix first.
  const streamed = s.hashInWorker(size) ? undefined : digests;
  const part = item.partPath ?? '';
  if (offset > 0) {
    item.resumedAt = [...(item.resumedAt ?? []), offset];
    if (streamed) await digestFileRange(part, streamed, 0, offset);
  }
  let done = offset;
  s.ctx.onBytes(done, size);
  const countChunk = (n: number): void => {
    done += n;
    s.ctx.onBytes(done, size);
  };
  const sink = streamed
    ? hashingFileSink(handle, offset, streamed, countChunk)
    : plainFileSink(handle, offset);
  const result = await client.download(item.remotePath, sink, {
    offset,
    signal,
    ...(size !== undefined ? { expectedSize: size } : {}),
    ...(streamed ? {} : s.engineProgress(offset, size, (bytes) => (done = bytes))),
  });
  await finishDownload(s, client, method, digests, result.record, streamed !== undefined);
}

/** Verification of the finished temp file, then its final name and modification time. */
async function finishDownload(
  s: ItemState,
  client: FtpsClient,
  method: VerificationMethod,
  digests: Digests | undefined,
  record: TransferResult['record'] | undefined,
  /** The digests were fed while the bytes streamed in (`hashIn: 'stream'`). */
  streamedDigests: boolean,
): Promise<void> {
  const { item } = s.ctx;
  const part = item.partPath ?? '';
  let computed: Partial<Record<LocalAlgorithm, string>> | undefined;
  if (digests && !streamedDigests) {
    // Off the main thread, from the finished file (ranges arrive out of order anyway).
    s.ctx.setState('verifying');
    computed = await digestFileInWorker(part, digests.algorithms);
  }
  const digest = s.transferred(record, digests, computed);
  const finalSize = (await regularFileSize(part)) ?? 0;
  await s.verify(client, method, digest, finalSize, part);
  await commitTemp(part, item.localPath, s.mayReplace, 'finish download');
  delete item.partPath;
  delete item.segments;
  if (s.ctx.settings.preserveTimes) {
    await s.exactSourceTime(client);
    if (s.sourceFacts?.modifiedMs !== undefined) {
      const when = new Date(s.sourceFacts.modifiedMs);
      // lutimes: the MDTM above takes a round trip after the rename, and a link put at the name
      // meanwhile must not pass the time on to the file it points at.
      await lutimes(item.localPath, when, when).catch(() => undefined);
    }
  }
}

/**
 * The ranges this download is fetched in, or undefined to fetch it whole: the file must be
 * large enough, the site must allow several connections, and the server must not have
 * refused or ignored REST for it.
 */
function segmentPlan(
  s: ItemState,
  size: number | undefined,
  resumeOffset: number | undefined,
  restart: boolean,
): SegmentProgress[] | undefined {
  const { item, settings } = s.ctx;
  if (size === undefined || s.segmentsOff || s.restRefused) return undefined;
  if (resumeOffset !== undefined && resumeOffset > 0) return undefined;
  if (!restart && item.partPath !== undefined) {
    if (segmentsFit(item.segments, size)) return item.segments;
    // An unsegmented partial file is continued as it was started.
    if (item.bytesDone > 0 || item.retries > 0) return undefined;
  }
  return freshSegments(size, s.ctx.segmentConnections, settings.segmentPolicy);
}

/** Fetches the plan's ranges into the item's temp file (reopened when it continues). */
async function downloadSegmented(
  s: ItemState,
  client: FtpsClient,
  size: number,
  plan: SegmentProgress[],
  restart: boolean,
  step: string,
): Promise<void> {
  const { item, signal } = s.ctx;
  let handle: FileHandle | undefined;
  if (!restart && plan === item.segments && item.partPath !== undefined) {
    handle = (await reopenTemp(item.partPath, step))?.handle;
  }
  if (!handle) {
    await discardTemp(item.partPath);
    const created = await createTemp(item.localPath, step);
    item.partPath = created.path;
    handle = created.handle;
    item.segments = plan.map((s) => ({ ...s, done: 0 }));
    s.probes = [];
  }
  const segments = item.segments ?? [];
  s.ctx.onBytes(segmentBytes(segments), size);
  let honoured: boolean;
  try {
    honoured = await fetchSegments({
      client,
      remotePath: item.remotePath,
      size,
      path: item.partPath ?? '',
      handle,
      segments,
      signal,
      borrow: s.ctx.borrow,
      onBytes: (total) => s.ctx.onBytes(total, size),
      probes: s.probes,
    });
  } finally {
    await handle.close();
  }
  if (!honoured) {
    s.segmentsOff = true;
    s.restart = true;
    await discardTemp(item.partPath);
    delete item.partPath;
    delete item.segments;
    s.ctx.log(
      'warning',
      `${item.remotePath}: the server does not honour REST ranges; fetching it whole`,
    );
    throw new FerryError({
      kind: 'protocol',
      step,
      reason: 'the server sent other bytes than the ranges asked for',
    });
  }
}

/**
 * The temp file this attempt writes, and the offset it continues from: the item's own temp
 * file after a fault; the target itself for a "resume" decision (moved aside, never through a
 * link); otherwise a new one.
 */
async function openTemp(
  s: ItemState,
  resumeOffset: number | undefined,
  restart: boolean,
  size: number | undefined,
  step: string,
): Promise<{ handle: FileHandle; offset: number }> {
  const { item } = s.ctx;
  if (s.restRefused) {
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
  } else if (item.partPath !== undefined && !restart && (item.bytesDone > 0 || item.retries > 0)) {
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
