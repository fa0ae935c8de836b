import type { FerryErrorDetail } from '../../shared/errors';
import { usageError, type CliOptions, type OptionSpec } from './args';
import type { ExitCodeValue } from './exit-codes';
import type { CliIo } from './io';
import type { ProgressLine } from './progress';
import type { Session } from './session';
import { parseFerryUrl, type FerryUrl } from '../engine/url';

/** What a command module gets from the runner. */
export interface CommandContext {
  /** Positional arguments after the command name. */
  args: string[];
  options: CliOptions;
  io: CliIo;
  /** The run's connection; the runner closes it and reports what it saw. */
  session: Session;
  /** Aborted on Ctrl-C; pass it to transfers. */
  signal: AbortSignal;
  /** Parses a URL argument and applies the plain-FTP policy (`--allow-plain`). */
  url(text: string): FerryUrl;
  /** A progress line on stderr (drawn only when stderr is a terminal). */
  progress(label: string, total?: number): ProgressLine;
}

/** What a command hands back; the runner prints it (`text`, or one JSON object with --json). */
export interface CommandOutcome {
  /** The operation's result: the `result` field of the JSON output. */
  result: object | null;
  /** Human-readable stdout (without --json). */
  text: string;
  /** Non-zero when the command ran but its answer is a failure (e.g. `cert` on an untrusted server). */
  exitCode?: ExitCodeValue;
  /** Reported like a thrown error (stderr line, JSON `error`), with `result` still printed. */
  error?: FerryErrorDetail;
}

/**
 * One `ferry` command. To add one, write a module exporting a CommandDefinition and add it to
 * the list in commands/index.ts.
 */
export interface CommandDefinition {
  name: string;
  /** Argument synopsis for help: `<url> <local-file>`. */
  synopsis: string;
  /** One line for `ferry --help`. */
  summary: string;
  /** More help for `ferry help <command>`, already wrapped. */
  details?: string;
  /** Options beyond GLOBAL_OPTIONS that this command accepts. */
  options?: readonly OptionSpec[];
  /** Number of positional arguments accepted. */
  args: { min: number; max: number };
  run(context: CommandContext): Promise<CommandOutcome>;
}

/** Checks the URL's scheme against the options: plain FTP needs --allow-plain. */
export function checkedUrl(text: string, options: CliOptions): FerryUrl {
  const url = parseFerryUrl(text);
  if (url.mode === 'plain' && !options.allowPlain) {
    throw usageError(
      'ftp:// is unencrypted (password and files in clear text); use ftpes:// or ftps://, or add --allow-plain',
      'read URL',
    );
  }
  return url;
}
