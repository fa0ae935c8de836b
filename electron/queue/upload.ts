// An upload attempt: resumed where the server's copy ends (REST+STOR or APPE), verified, dated.
import type { FtpsClient } from '../engine/client';
import { FerryError } from '../engine/errors';
import type { AttemptPlan } from './download';
import type { ItemState } from './item-state';
import { hashingFileSource, plainFileSource } from './streams';
import { remoteSize } from './target';
import { digestFileInWorker } from './digest-worker';
import { digestFileRange } from './verify';

/** One upload attempt to the end (verified, its time kept); throws on any fault. */
export async function uploadFile(
  s: ItemState,
  client: FtpsClient,
  { resumeOffset, restart, method, digests }: AttemptPlan,
): Promise<void> {
  const { item, signal } = s.ctx;
  const size = item.size;
  // In a worker the whole source is hashed while it uploads (on the other core).
  const streamed = s.hashInWorker(size) ? undefined : digests;
  let offset = 0;
  if (resumeOffset !== undefined) offset = resumeOffset;
  else if (!restart && (item.bytesDone > 0 || item.retries > 0)) {
    const have = await remoteSize(client, item.remotePath);
    if (have !== undefined && size !== undefined && have <= size) offset = have;
  }
  if (offset > 0) {
    item.resumedAt = [...(item.resumedAt ?? []), offset];
    if (streamed) await digestFileRange(item.localPath, streamed, 0, offset);
  }
  const hashing =
    digests && !streamed ? digestFileInWorker(item.localPath, digests.algorithms) : undefined;
  hashing?.catch(() => undefined);
  let done = offset;
  s.ctx.onBytes(done, size);
  const source = streamed
    ? hashingFileSource(item.localPath, offset, streamed, (n) => {
        done += n;
        s.ctx.onBytes(done, size);
      })
    : plainFileSource(item.localPath, offset);
  const keepTime =
    s.ctx.settings.preserveTimes && s.sourceFacts?.modifiedMs !== undefined
      ? new Date(s.sourceFacts.modifiedMs)
      : undefined;
  // The time goes with the upload only where a failed check shows in the size: a same-size file
  // that fails its hash must not carry the source's time (a mirror would take it as current).
  const bySize = !s.ctx.settings.verify || method === 'size';
  const result = await client
    .upload(source, item.remotePath, {
      offset,
      signal,
      // Checked by size, and dated: the SIZE and the MFMT go with the upload's own round trips.
      sizeAfter: s.ctx.settings.verify && method === 'size',
      ...(keepTime && bySize ? { modifiedTimeAfter: keepTime } : {}),
      ...(streamed ? {} : s.engineProgress(offset, size, (bytes) => (done = bytes))),
    })
    .catch((error: unknown) => confirmEmptyUpload(s, client, error));
  const digest = s.transferred(result?.record, digests, await hashing);
  await s.verify(client, method, digest, done, item.localPath, result);
  if (!keepTime || !client.features.mfmt) return;
  // Dated here after a hash check, or after an empty upload the server reported oddly
  // (confirmEmptyUpload: no result).
  const kept =
    result?.timeKept ??
    (await client.setModifiedTime(item.remotePath, keepTime).then(
      () => true as const,
      (error: unknown) => error,
    ));
  if (kept !== true) {
    s.ctx.log(
      'warning',
      `${item.remotePath}: could not keep the modification time: ${String(kept)}`,
    );
  }
}

/**
 * A server may answer 426 to an empty upload whose data connection it saw end oddly right after
 * the handshake (vsftpd did when our close_notify was lost: data.ts secure) although the empty
 * file is there. For an empty source only, the server's SIZE decides: 0 is the whole file.
 */
async function confirmEmptyUpload(
  s: ItemState,
  client: FtpsClient,
  error: unknown,
): Promise<undefined> {
  const { item } = s.ctx;
  const detail = error instanceof FerryError ? error.detail : undefined;
  if (item.size !== 0 || detail?.kind !== 'ftp-reply' || detail.code !== 426) throw error;
  if ((await remoteSize(client, item.remotePath)) !== 0) throw error;
  s.ctx.log(
    'info',
    `${item.remotePath}: ${detail.code} ${detail.text} after an empty upload, but the empty file is there`,
  );
  return undefined;
}
