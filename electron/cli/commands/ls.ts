import type { CommandDefinition } from '../command';
import { formatListing } from '../format';

export const lsCommand: CommandDefinition = {
  name: 'ls',
  synopsis: '<url>',
  summary: 'list a remote folder',
  details: 'Lists the folder the URL names (MLSD when the server offers it, else LIST).',
  args: { min: 1, max: 1 },
  async run(context) {
    const url = context.url(context.args[0] ?? '');
    const client = await context.session.connect(url);
    const path = url.path === '' ? undefined : url.path;
    const entries = await client.list(path);
    return { result: { path: url.path, entries }, text: formatListing(entries) };
  },
};
