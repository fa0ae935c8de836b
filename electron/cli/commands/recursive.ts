import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describeError } from '../../../shared/errors';
import type { TransferDirection, TransferItem } from '../../../shared/transfers';
import type { JobRequest } from '../../queue/types';
import { FtpsClient } from '../../engine/client';
import { FerryError } from '../../engine/errors';
import { TransferQueue } from '../../queue';
import { usageError } from '../args';
import type { CommandContext, CommandOutcome } from '../command';
import { exitCodeFor } from '../exit-codes';
import { printable } from '../format';
import { localFsError } from '../../files/local-fs-error';

/** Per-file result in `--json` output. */
export interface RecursiveFileResult {
  /** Below the transfer's root (`sub/file.txt`). */
  path: string;
  /** Where the file landed: differs from `path`'s name when `--on-exists rename` picked a free one. */
  target: string;
  state: TransferItem['state'];
  bytes: number;
  sha256?: string;
  verification?: TransferItem['verification'];
  tlsResumed?: boolean;
  resumedAt?: number[];
  retries: number;
  skipped?: string;
  error?: TransferItem['error'];
}

/**
 * The local side of a folder transfer, checked before connecting: an upload's source must be a
 * folder, a download's target must not be a file. (The queue would report either as a failed
 * expansion with a network error code.)
 */
async function checkLocalFolder(direction: TransferDirection, localDir: string): Promise<void> {
  const step = direction === 'upload' ? 'read the local folder' : 'create the local folder';
  let info: Stats;
  try {
    info = await stat(localDir);
  } catch (error) {
    if (direction === 'download' && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw localFsError(step, localDir, error);
  }
  if (!info.isDirectory()) throw usageError(`${localDir} is a file, not a folder`, step);
}

/**
 * A download's remote root must be a folder: vsftpd answers LIST of a missing path with an empty
 * listing (the walk would report success with nothing copied) and LIST of a file with that file
 * (the walk would fetch `file/file`). CWD there and back tells a folder apart on every server.
 */
async function checkRemoteFolder(client: FtpsClient, remotePath: string): Promise<void> {
  const home = await client.pwd();
  try {
    await client.cd(remotePath);
  } catch (error) {
    if (error instanceof FerryError && error.detail.kind === 'ftp-reply') {
      throw new FerryError({ ...error.detail, step: `open remote folder ${remotePath}` });
    }
    throw error;
  }
  await client.cd(home);
}

/**
 * Runs one job through the transfer queue, as the app does: retries with resume, verification,
 * the local-file layer. The first connection is the session's (so the report shows its
 * certificate); the others are the pool's (`--parallel`).
 */
export async function runQueued(
  context: CommandContext,
  url: Parameters<CommandContext['session']['connect']>[0],
  sessionClient: Promise<FtpsClient> | undefined,
  run: {
    onExists: NonNullable<CommandContext['options']['onExists']>;
    label: string;
    job: Omit<JobRequest, 'siteKey'>;
  },
): Promise<{ items: TransferItem[]; jobError: TransferItem['error'] | undefined }> {
  const base = await context.session.connectOptions(url);
  let sessionTaken = false;
  const queue = new TransferQueue({
    onExists: { upload: run.onExists, download: run.onExists },
    computeSha256: true,
    preserveTimes: context.options.keepTimes,
    connect: (options) => {
      if (sessionTaken) return FtpsClient.connect(options).then((c) => context.session.track(c));
      sessionTaken = true;
      return sessionClient ?? context.session.connect(url);
    },
  });
  const { parallel, segments } = context.options;
  queue.setSite({
    key: 'cli',
    connect: base,
    maxConnections: parallel ?? 'auto',
    ...(segments !== undefined ? { segments } : {}),
  });
  const progress = context.progress(run.label);
  queue.on('progress', (batch) => progress.update(batch.totals.bytesDone, batch.totals.bytesTotal));
  const onAbort = (): void => queue.stop();
  context.signal.addEventListener('abort', onAbort, { once: true });
  try {
    queue.add({ siteKey: 'cli', ...run.job });
    await Promise.race([
      queue.whenIdle(),
      new Promise<void>((resolve) =>
        context.signal.addEventListener('abort', () => resolve(), { once: true }),
      ),
    ]);
  } finally {
    progress.done();
    context.signal.removeEventListener('abort', onAbort);
  }
  const jobError = queue.listJobs().find((job) => job.error)?.error;
  const items = queue.list();
  await queue.dispose();
  return { items, jobError };
}

/**
 * A folder transfer through the transfer queue: `get -r`, `put -r` and `mirror`. The first
 * connection is the session's (so the report shows its certificate); the others are the pool's.
 */
export async function runRecursive(
  context: CommandContext,
  direction: TransferDirection,
  urlText: string,
  localText: string,
  defaultOnExists: NonNullable<CommandContext['options']['onExists']> = 'overwrite',
): Promise<CommandOutcome> {
  const url = context.url(urlText);
  const localDir = path.resolve(context.io.cwd, localText);
  const remoteRoot = url.path === '' ? '/' : url.path;
  await checkLocalFolder(direction, localDir);
  // Downloads open the session's connection up front to check the remote root.
  let sessionClient: Promise<FtpsClient> | undefined;
  if (direction === 'download') {
    const client = await context.session.connect(url);
    await checkRemoteFolder(client, remoteRoot);
    sessionClient = Promise.resolve(client);
  }
  const started = Date.now();
  const { items, jobError } = await runQueued(context, url, sessionClient, {
    onExists: context.options.onExists ?? defaultOnExists,
    label: `${direction === 'download' ? 'get' : 'put'} -r ${url.path || '/'}`,
    job: { direction, localPath: localDir, remotePath: remoteRoot, isDirectory: true },
  });
  const files: RecursiveFileResult[] = items.map((item) => ({
    path: item.relativePath ?? (direction === 'download' ? item.localPath : item.remotePath),
    target: direction === 'download' ? item.localPath : item.remotePath,
    state: item.state,
    bytes: item.bytesDone,
    retries: item.retries,
    ...(item.sha256 ? { sha256: item.sha256 } : {}),
    ...(item.verification ? { verification: item.verification } : {}),
    ...(item.tlsResumed !== undefined ? { tlsResumed: item.tlsResumed } : {}),
    ...(item.resumedAt ? { resumedAt: item.resumedAt } : {}),
    ...(item.skipped ? { skipped: item.skipped } : {}),
    ...(item.error ? { error: item.error } : {}),
  }));
  const failed = files.filter((f) => f.state !== 'done');
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
  const seconds = (Date.now() - started) / 1000;
  const skipped = files.filter((f) => f.skipped).length;
  const lines = [
    `${direction === 'download' ? 'downloaded' : 'uploaded'} ${files.length - failed.length - skipped} file(s), skipped ${skipped}, failed ${failed.length}; ${bytes} bytes in ${seconds.toFixed(2)} s`,
    ...failed.map(
      (f) =>
        `FAILED ${printable(f.path)}: ${printable(f.error ? describeError(f.error) : f.state)}`,
    ),
  ];
  const error = jobError ?? failed.find((f) => f.error)?.error;
  return {
    result: { direction, local: localDir, remote: url.path, files, bytes, seconds },
    text: `${lines.join('\n')}\n`,
    ...(error ? { error, exitCode: exitCodeFor(error) } : {}),
  };
}
