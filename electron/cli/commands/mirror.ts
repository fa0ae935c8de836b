import { TRANSFER_OPTIONS } from '../args';
import type { CommandDefinition } from '../command';
import { runRecursive } from './recursive';

export const mirrorCommand: CommandDefinition = {
  name: 'mirror',
  synopsis: '<url> <local-dir> | --reverse <local-dir> <url>',
  summary: 'make a local folder match a remote one (or the reverse)',
  details:
    'Copies every file and folder (empty ones too) with --parallel N connections; files that\n' +
    'exist with the same size and an older or equal time are skipped (change with --on-exists).\n' +
    'Every file is verified (server checksum when offered, else size); --json lists each file.',
  options: [
    ...TRANSFER_OPTIONS.filter((option) => option.long !== 'recursive'),
    {
      long: 'reverse',
      short: 'R',
      description: 'upload: make the remote folder match the local one',
    },
  ],
  args: { min: 2, max: 2 },
  run(context) {
    const [first = '', second = ''] = context.args;
    return context.options.values.has('reverse')
      ? runRecursive(context, 'upload', second, first, 'overwrite-if-size-differs-or-newer')
      : runRecursive(context, 'download', first, second, 'overwrite-if-size-differs-or-newer');
  },
};
