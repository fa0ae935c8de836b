import type {
  AppInfo,
  CommandArgs,
  CommandName,
  CommandValue,
  ConnectPrefill,
  PickFileOptions,
} from '../../../shared/ipc';
import type { EmitEvent } from '../events';
import type { LocalFsService } from '../local-fs';
import type { LogFanout } from '../log';
import type { TransferService } from '../queue-transfers';
import type { SessionService } from '../session';
import type { Stores } from '../stores';

/** One handler per IPC command, taking the validated arguments. */
export type CommandHandlers = {
  [K in CommandName]: (...args: CommandArgs<K>) => Promise<CommandValue<K>> | CommandValue<K>;
};

/** What the host process provides: Electron's main process, or the Playwright bridge. */
export interface HostOptions {
  runtime: AppInfo['runtime'];
  version: string;
  platform: string;
  /** The connect-bar prefill of the URL Ferry was opened with (taken once by the renderer). */
  takeLaunchPrefill?: () => ConnectPrefill | null;
  /** A native file dialog (Electron); the bridge has none and the UI falls back to a text field. */
  pickFile?: (options: PickFileOptions) => Promise<string | null>;
  /**
   * Moves a local item to the Trash / Recycle Bin (Electron: `shell.trashItem`). Without one,
   * local delete is permanent and the renderer says so.
   */
  trashItem?: (path: string) => Promise<void>;
}

/** The services the command handlers work on. */
export interface CommandContext extends Stores {
  host: HostOptions;
  emit: EmitEvent;
  session: SessionService;
  transfers: TransferService;
  localFs: LocalFsService;
  log: LogFanout;
}
