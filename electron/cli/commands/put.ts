import path from 'node:path';
import { FerryError } from '../../engine/errors';
import type { UploadResult } from '../../engine/client';
import { TRANSFER_OPTIONS } from '../args';
import type { CommandDefinition } from '../command';
import { printable } from '../format';
import { HashingFileReader } from '../local-files';
import { runRecursive } from './recursive';
import { requireRecursiveFor, transferSummary } from './transfer-common';

export const putCommand: CommandDefinition = {
  name: 'put',
  synopsis: '<local-file> <url>',
  summary: 'upload a file',
  details:
    'A <url> ending with / (or naming the login folder) means "into this folder, same name".\n' +
    'Prints the bytes and the SHA-256 of what was read; checks the size on the server when it\n' +
    'supports SIZE, and gives the file the local modification time where the server offers MFMT\n' +
    '(not with --no-keep-times).',
  options: TRANSFER_OPTIONS,
  args: { min: 2, max: 2 },
  async run(context) {
    if (context.options.recursive) {
      return runRecursive(context, 'upload', context.args[1] ?? '', context.args[0] ?? '');
    }
    requireRecursiveFor(context.options);
    const given = context.args[0] ?? '';
    const url = context.url(context.args[1] ?? '');
    const local = path.resolve(context.io.cwd, given);
    const remotePath =
      url.path === '' || url.path.endsWith('/') ? `${url.path}${path.basename(local)}` : url.path;
    const step = `upload ${remotePath}`;
    // Opened before connecting: a missing or unreadable file fails without touching the server.
    const reader = await HashingFileReader.open(local, step);
    try {
      const client = await context.session.connect(url);
      const progress = context.progress(`put ${path.basename(local)}`, reader.size);
      const started = Date.now();
      let bytes: number;
      let result: UploadResult;
      try {
        // SIZE (to verify) and MFMT (to keep the time) go with the upload's round trips.
        result = await client.upload(reader, remotePath, {
          onProgress: (sample) => progress.update(sample.bytes, reader.size),
          signal: context.signal,
          sizeAfter: client.features.size,
          ...(context.options.keepTimes ? { modifiedTimeAfter: reader.modified } : {}),
        });
        bytes = result.bytes;
      } finally {
        progress.done();
      }
      const seconds = (Date.now() - started) / 1000;
      if (bytes !== reader.size) {
        throw new FerryError({
          kind: 'local-fs',
          step,
          path: local,
          code: 'EIO',
          reason: `the file changed during the upload (${reader.size} bytes before, ${bytes} sent)`,
        });
      }
      const sha256 = reader.digest();
      if (result.remoteSize !== undefined && result.remoteSize !== bytes) {
        throw new FerryError({
          kind: 'protocol',
          step: `verify ${remotePath}`,
          reason: `the server stored ${result.remoteSize} bytes, ${bytes} were sent`,
        });
      }
      if (result.timeKept instanceof FerryError) {
        context.io.writeStderr(
          `ferry: warning: ${printable(remotePath)}: the modification time was not kept (${result.timeKept.message})\n`,
        );
      }
      return {
        result: { localPath: local, remotePath, bytes, sha256 },
        text: transferSummary(
          'Uploaded',
          bytes,
          seconds,
          `${local} -> ${printable(remotePath)}`,
          sha256,
        ),
      };
    } finally {
      reader.destroy();
    }
  },
};
