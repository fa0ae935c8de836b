import { stat } from 'node:fs/promises';
import path from 'node:path';
import { FerryError } from '../../engine/errors';
import { validateRemoteName } from '../../engine/safe-path';
import { TRANSFER_OPTIONS, usageError } from '../args';
import type { CommandDefinition } from '../command';
import { printable } from '../format';
import { localFsError } from '../../files/local-fs-error';
import { isDirectory } from '../local-files';
import { remoteBasename } from '../../../shared/remote-path';
import { runQueued, runRecursive } from './recursive';
import { requireRecursiveFor, transferSummary } from './transfer-common';

export const getCommand: CommandDefinition = {
  name: 'get',
  synopsis: '<url> <local-file>',
  summary: 'download a file',
  details:
    'Runs through the transfer queue, as the app does: a cut transfer is retried and resumed,\n' +
    'the file is verified (HASH/XSHA where offered, else its size), and it is written to a\n' +
    'temp file <local-file>.<random>.part renamed when complete (a link at <local-file> is\n' +
    'replaced, never followed). A <local-file> that is a folder (or ends with /) receives the\n' +
    'remote name. Prints the bytes and the SHA-256 of what was written.',
  options: TRANSFER_OPTIONS,
  args: { min: 2, max: 2 },
  async run(context) {
    if (context.options.recursive) {
      return runRecursive(context, 'download', context.args[0] ?? '', context.args[1] ?? '');
    }
    requireRecursiveFor(context.options);
    const url = context.url(context.args[0] ?? '');
    if (url.path === '' || url.path.endsWith('/')) {
      throw usageError(`${url.display} names a folder; get needs a file (folders need -r)`);
    }
    const name = remoteBasename(url.path);
    let local = path.resolve(context.io.cwd, context.args[1] ?? '');
    const given = context.args[1] ?? '';
    if (given.endsWith('/') || given.endsWith(path.sep) || (await isDirectory(local))) {
      const check = validateRemoteName(name);
      if (!check.ok) {
        throw new FerryError({
          kind: 'unsafe-input',
          step: 'choose the local file name',
          reason: check.reason,
        });
      }
      local = path.join(local, name);
    }
    // Checked before connecting: a local problem fails fast, without touching the server.
    await requireFolder(path.dirname(local));
    const started = Date.now();
    // Connecting first: a refused connection, an untrusted certificate or a wrong password
    // fails at once; faults after that are the queue's to retry.
    const session = await context.session.connect(url);
    const { items, jobError } = await runQueued(context, url, Promise.resolve(session), {
      // The user named the target, as with cp: an existing file there is replaced (a link
      // there is replaced, never written through).
      onExists: context.options.onExists ?? 'overwrite',
      label: `get ${printable(name)}`,
      job: { direction: 'download', localPath: local, remotePath: url.path },
    });
    const item = items[0];
    const error = jobError ?? item?.error;
    if (error) throw new FerryError(error);
    if (!item || item.state !== 'done') {
      throw new FerryError({ kind: 'cancelled', step: `download ${url.path}` });
    }
    if (item.skipped) {
      return {
        result: {
          remotePath: url.path,
          localPath: item.localPath,
          bytes: 0,
          skipped: item.skipped,
        },
        text: `Skipped ${printable(url.path)}: ${item.skipped}\n`,
      };
    }
    const seconds = (Date.now() - started) / 1000;
    const bytes = item.size ?? item.bytesDone;
    const sha256 = item.sha256 ?? '';
    return {
      result: {
        remotePath: url.path,
        localPath: item.localPath,
        bytes,
        sha256,
        retries: item.retries,
        ...(item.resumedAt ? { resumedAt: item.resumedAt } : {}),
        ...(item.verification ? { verification: item.verification } : {}),
      },
      text: transferSummary(
        'Downloaded',
        bytes,
        seconds,
        `${printable(url.path)} -> ${item.localPath}`,
        sha256,
      ),
    };
  },
};

/** The folder a single download lands in must exist already (as with cp): nothing is created. */
async function requireFolder(folder: string): Promise<void> {
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) {
      throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    }
  } catch (error) {
    throw localFsError('choose the local file', folder, error);
  }
}
