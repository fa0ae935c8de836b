// Where an item's bytes go and whether they go at all: the source's facts, the target's, and
// the file-exists decision (overwrite, skip, resume, rename or ask).
import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileExistsQuestion } from '../../shared/transfers';
import type { FtpsClient } from '../engine/client';
import { FerryError } from '../engine/errors';
import { remoteJoin, remoteParent } from '../../shared/remote-path';
import { regularFileSize } from '../files/download-target';
import { localFsError } from '../files/local-fs-error';
import { decideFileExists, pickFreeName, timeDecides, type FileFacts } from './file-exists';
import type { ItemState } from './item-state';

interface Target {
  exists: boolean;
  facts: FileFacts;
}

export async function localFacts(file: string): Promise<Target> {
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

export async function remoteSize(client: FtpsClient, remote: string): Promise<number | undefined> {
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

function facts(f: FileFacts): { size?: number; modified?: string } {
  return {
    ...(f.size !== undefined ? { size: f.size } : {}),
    ...(f.modifiedMs !== undefined ? { modified: new Date(f.modifiedMs).toISOString() } : {}),
  };
}

export async function resolveTarget(
  s: ItemState,
  client: FtpsClient,
): Promise<
  | { kind: 'go'; offset?: number }
  | { kind: 'skip'; reason: string }
  | { kind: 'ask'; question: Omit<FileExistsQuestion, 'questionId'> }
> {
  const { item } = s.ctx;
  const action = s.ctx.action;
  const download = item.direction === 'download';
  if (!s.sourceFacts || (s.sourceFacts.size === undefined && download)) {
    if (download && !client.features.size) {
      // No SIZE: the size is unknown (the engine then requires TLS close_notify), not missing.
      s.sourceFacts = {};
    } else if (download) {
      // A missing file fails with the server's own SIZE refusal.
      s.sourceFacts = { size: await client.size(item.remotePath) };
    } else {
      const facts = await localSourceFacts(item.localPath);
      if (!facts.exists)
        throw localFsError(
          `upload ${item.localPath}`,
          item.localPath,
          Object.assign(new Error('no such file'), { code: 'ENOENT' }),
        );
      s.sourceFacts = facts.facts;
    }
  }
  if (s.sourceFacts.size !== undefined) item.size = s.sourceFacts.size;
  // A download's own temp file from an earlier attempt or session is resumed, whatever the policy.
  if (download && item.bytesDone > 0 && item.partPath !== undefined) {
    if ((await regularFileSize(item.partPath)) !== undefined) return { kind: 'go' };
  }
  if (action === 'overwrite') {
    s.mayReplace = true;
    return { kind: 'go' };
  }
  const target = download
    ? await localFacts(item.localPath)
    : await remoteFacts(client, item.remotePath);
  if (!target.exists) return { kind: 'go' };
  if (timeDecides(action, s.sourceFacts, target.facts)) {
    if (download) await s.exactSourceTime(client);
    else {
      const time = await remoteTime(client, item.remotePath);
      if (time !== undefined) target.facts.modifiedMs = time;
    }
  }
  const decision = decideFileExists(action, s.sourceFacts, target.facts);
  switch (decision.action) {
    case 'overwrite':
      s.mayReplace = true;
      return { kind: 'go' };
    case 'skip':
      return { kind: 'skip', reason: decision.reason };
    case 'resume':
      return { kind: 'go', offset: decision.offset };
    case 'rename':
      await rename(s, client);
      return { kind: 'go' };
    case 'ask':
      return {
        kind: 'ask',
        question: {
          itemId: item.id,
          direction: item.direction,
          source: {
            path: download ? item.remotePath : item.localPath,
            ...facts(s.sourceFacts),
          },
          target: { path: download ? item.localPath : item.remotePath, ...facts(target.facts) },
        },
      };
  }
}

async function rename(s: ItemState, client: FtpsClient): Promise<void> {
  const { item } = s.ctx;
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
