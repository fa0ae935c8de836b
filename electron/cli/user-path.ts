import path from 'node:path';
import type { CliIo } from './io';

/**
 * A local path as the user typed it: absolute as is, `~` or `~/…` in the home folder (a shell
 * leaves `~` alone inside quotes and after `--option=`), anything else from the working folder.
 */
export function resolveUserPath(text: string, io: Pick<CliIo, 'cwd' | 'env'>): string {
  const home = io.env.HOME ?? io.env.USERPROFILE;
  if (home !== undefined && home !== '' && /^~(?:[/\\]|$)/.test(text)) {
    return path.join(home, text.slice(1));
  }
  return path.resolve(io.cwd, text);
}
