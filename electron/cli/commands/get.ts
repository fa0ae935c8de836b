import path from 'node:path';
import { FerryError } from '../../engine/errors';
import { validateRemoteName } from '../../engine/safe-path';
import { commitTemp, discardTemp } from '../../files/download-target';
import { TRANSFER_OPTIONS, usageError } from '../args';
import type { CommandDefinition } from '../command';
import { printable } from '../format';
import { HashingFileWriter, isDirectory } from '../local-files';
import { remoteBaseName } from '../url';
import { runRecursive } from './recursive';
import { requireRecursiveFor, transferSummary } from './transfer-common';

export const getCommand: CommandDefinition = {
  name: 'get',
  synopsis: '<url> <local-file>',
  summary: 'download a file',
  details:
    'Writes a temp file <local-file>.<random>.part and renames it when the download is\n' +
    'complete and its size checked (a link at <local-file> is replaced, never followed).\n' +
    'checked. A <local-file> that is a folder (or ends with /) receives the remote name.\n' +
    'Prints the bytes and the SHA-256 of what was written.',
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
    const name = remoteBaseName(url.path);
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
    const step = `download ${url.path}`;
    // Created before connecting: a local problem fails fast, without touching the server.
    const writer = await HashingFileWriter.create(local, step);
    const part = writer.path;
    let complete = false;
    try {
      const client = await context.session.connect(url);
      let expectedSize: number | undefined;
      if (client.features.size) {
        try {
          expectedSize = await client.size(url.path);
        } catch (error) {
          // Let RETR give the authoritative answer (missing file, folder, permissions).
          if (!(error instanceof FerryError && error.kind === 'ftp-reply')) throw error;
        }
      }
      const progress = context.progress(`get ${printable(name)}`, expectedSize);
      const started = Date.now();
      let bytes: number;
      try {
        const result = await client.download(url.path, writer, {
          ...(expectedSize !== undefined ? { expectedSize } : {}),
          onProgress: (sample) => progress.update(sample.bytes, sample.total),
          signal: context.signal,
        });
        bytes = result.bytes;
      } finally {
        progress.done();
      }
      if (writer.written !== bytes) {
        throw new FerryError({
          kind: 'local-fs',
          step,
          path: part,
          code: 'EIO',
          reason: `wrote ${writer.written} of ${bytes} bytes`,
        });
      }
      const sha256 = writer.digest();
      // A file at the target is replaced only because the user named it (as cp does); a link
      // there is replaced, never written through.
      await commitTemp(part, local, true, 'finish download');
      complete = true;
      const seconds = (Date.now() - started) / 1000;
      return {
        result: { remotePath: url.path, localPath: local, bytes, sha256 },
        text: transferSummary(
          'Downloaded',
          bytes,
          seconds,
          `${printable(url.path)} -> ${local}`,
          sha256,
        ),
      };
    } finally {
      if (!complete) {
        writer.destroy();
        await discardTemp(part);
      }
    }
  },
};
