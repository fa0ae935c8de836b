import { localFsError } from '../../files/local-fs-error';
import type { CommandContext, CommandHandlers } from './context';

/** The local pane: listing, folders, rename, and delete (to the Trash where the host has one). */
export function localCommands(c: CommandContext) {
  const { localFs, host } = c;
  return {
    listLocal: (path) => localFs.list(path),
    makeLocalDir: (path) => localFs.mkdir(path),
    renameLocal: (from, to) => localFs.rename(from, to),
    deleteLocal: async (paths) => {
      const trash = host.trashItem;
      if (!trash) return localFs.delete(paths);
      for (const path of paths) {
        try {
          await trash(path);
        } catch (error) {
          throw localFsError('Move to the Trash', path, error);
        }
      }
    },
  } satisfies Partial<CommandHandlers>;
}
