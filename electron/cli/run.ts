import { describeError, type FerryErrorDetail } from '../../shared/errors';
import { toErrorDetail } from '../engine/errors';
import { version as packageVersion } from '../../package.json';
import {
  GLOBAL_OPTIONS,
  parseArgv,
  resolveOptions,
  usageError,
  type CliOptions,
  type OptionSpec,
} from './args';
import { checkedUrl, type CommandDefinition, type CommandOutcome } from './command';
import { COMMANDS, findCommand } from './commands/index';
import { ExitCode, exitCodeFor, type ExitCodeValue } from './exit-codes';
import type { CliIo } from './io';
import { jsonForTerminal, printable, terminalSafe } from './format';
import { progressLine } from './progress';
import { redact, redactDetail, secretsOf } from './redact';
import { Session, type SessionSnapshot } from './session';
import { maskUrlPassword, parseFerryUrl } from '../engine/url';

export const VERSION: string = packageVersion;

/** Every option any command knows, so options may appear anywhere on the line. */
function allOptions(): OptionSpec[] {
  const seen = new Map<string, OptionSpec>();
  for (const spec of [...GLOBAL_OPTIONS, ...COMMANDS.flatMap((command) => command.options ?? [])]) {
    seen.set(spec.long, spec);
  }
  return [...seen.values()];
}

function optionLines(specs: readonly OptionSpec[]): string[] {
  const label = (spec: OptionSpec): string =>
    `${spec.short ? `-${spec.short}, ` : '    '}--${spec.long}${spec.value ? ` ${spec.value}` : ''}`;
  const width = Math.max(...specs.map((spec) => label(spec).length));
  return specs.map((spec) => `  ${label(spec).padEnd(width)}  ${spec.description}`);
}

export function mainHelp(): string {
  const width = Math.max(
    ...COMMANDS.map((command) => `${command.name} ${command.synopsis}`.length),
  );
  return [
    `ferry ${VERSION}: FTPS from the command line`,
    '',
    'Usage: ferry <command> [options] <arguments>',
    '',
    'Commands:',
    ...COMMANDS.map(
      (command) => `  ${`${command.name} ${command.synopsis}`.padEnd(width)}  ${command.summary}`,
    ),
    '',
    'URLs:',
    '  ftpes://[user[:password]@]host[:port]/path   explicit TLS (AUTH TLS), port 21',
    '  ftps://...                                   implicit TLS, port 990',
    '  ftp://...                                    plain FTP, refused unless --allow-plain',
    '  The password may also come from FERRY_PASSWORD. The path is relative to the login folder;',
    '  start it with %2F (ftpes://host/%2Fsrv/file) for an absolute path. Percent-escapes decode.',
    '',
    'Options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Exit codes: 0 done, 1 internal error (a bug in ferry), 2 usage, 3 certificate not trusted,',
    '4 login refused, 5 server refused an operation, 6 network or timeout, 7 local file error',
    '(a local file not found included).',
    "Run 'ferry help <command>' for a command's own options. See docs/CLI.md.",
    '',
  ].join('\n');
}

export function commandHelp(command: CommandDefinition): string {
  return [
    `Usage: ferry ${command.name} [options] ${command.synopsis}`,
    '',
    command.summary.charAt(0).toUpperCase() + command.summary.slice(1) + '.',
    ...(command.details ? ['', command.details] : []),
    ...(command.options && command.options.length > 0
      ? ['', 'Options:', ...optionLines(command.options)]
      : []),
    '',
    "Global options: see 'ferry --help'.",
    '',
  ].join('\n');
}

/** Options a command does not accept are usage errors (e.g. `ls -r`). */
function checkApplicable(command: CommandDefinition, options: CliOptions): void {
  const accepted = new Set(
    [...GLOBAL_OPTIONS, ...(command.options ?? [])].map((spec) => spec.long),
  );
  for (const name of options.values.keys()) {
    if (!accepted.has(name)) throw usageError(`--${name} does not apply to ${command.name}`);
  }
}

interface JsonOutput extends SessionSnapshot {
  ferry: string;
  command: string | null;
  url: string | null;
  exitCode: number;
  result: object | null;
  error?: FerryErrorDetail & { message: string };
}

/**
 * Runs one `ferry` invocation and resolves with its exit code. Never throws; everything it
 * prints goes through `io`.
 */
export async function runCli(
  argv: readonly string[],
  rawIo: CliIo,
  signal?: AbortSignal,
): Promise<ExitCodeValue> {
  // Nothing on stderr (errors, warnings, -v, a stack) may show a password this run was given,
  // even one a server quotes back.
  const secrets = secretsOf(argv, rawIo.env);
  // ... nor any control character a server slipped into a name, a reply or an error.
  const stderrUnfiltered = (text: string): void => rawIo.writeStderr(redact(text, secrets));
  const io: CliIo = {
    ...rawIo,
    writeStdout: (text) => rawIo.writeStdout(terminalSafe(text)),
    writeStderr: (text) => stderrUnfiltered(terminalSafe(text)),
  };
  let options: CliOptions | undefined;
  let command: CommandDefinition | undefined;
  let session: Session | undefined;
  let outcome: CommandOutcome | undefined;
  let failure: { detail: FerryErrorDetail; stack?: string | undefined } | undefined;
  const controller = new AbortController();
  const onAbort = (): void => {
    controller.abort();
    void session?.cancel();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const parsed = parseArgv(argv, allOptions());
    options = resolveOptions(parsed.values, io.env);
    const [name, ...args] = parsed.positionals;
    if (options.version) {
      io.writeStdout(`${VERSION}\n`);
      return ExitCode.ok;
    }
    if (name === undefined || name === 'help') {
      const topic = name === 'help' ? args[0] : undefined;
      const about = topic !== undefined ? findCommand(topic) : undefined;
      if (topic !== undefined && !about) throw usageError(`unknown command "${topic}"`);
      if (name === undefined && !options.help) {
        io.writeStderr(mainHelp());
        return ExitCode.usage;
      }
      io.writeStdout(about ? commandHelp(about) : mainHelp());
      return ExitCode.ok;
    }
    command = findCommand(name);
    if (!command)
      throw usageError(
        `unknown command "${maskUrlPassword(name)}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})`,
      );
    if (options.help) {
      io.writeStdout(commandHelp(command));
      return ExitCode.ok;
    }
    checkApplicable(command, options);
    if (args.length < command.args.min || args.length > command.args.max) {
      throw usageError(`usage: ferry ${command.name} ${command.synopsis}`);
    }
    const activeOptions = options;
    session = new Session(activeOptions, io);
    outcome = await command.run({
      args,
      options: activeOptions,
      io,
      session,
      signal: controller.signal,
      url: (text) => checkedUrl(text, activeOptions),
      progress: (label, total) =>
        // The progress line draws with \r and ESC[K itself; its label is escaped by the command.
        progressLine(stderrUnfiltered, io.stderrIsTTY, label, total),
    });
  } catch (error) {
    failure = {
      detail: toErrorDetail(error, command?.name ?? 'ferry'),
      stack: error instanceof Error ? error.stack : undefined,
    };
    if (controller.signal.aborted && failure.detail.kind !== 'usage') {
      failure = { detail: { kind: 'cancelled', step: command?.name ?? 'ferry' } };
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }

  await session?.close();
  const snapshot: SessionSnapshot = session?.snapshot() ?? {
    control: null,
    certificate: null,
    dataConnections: [],
  };
  const unredacted = failure?.detail ?? outcome?.error;
  const errorDetail = unredacted && redactDetail(unredacted, secrets);
  const exitCode: ExitCodeValue = failure
    ? exitCodeFor(failure.detail)
    : (outcome?.exitCode ?? ExitCode.ok);

  const json = options?.json ?? argv.includes('--json');
  if (errorDetail) {
    io.writeStderr(`ferry: ${printable(describeError(errorDetail))}\n`);
    if (errorDetail.kind === 'usage' && !json) io.writeStderr("Run 'ferry --help' for usage.\n");
    if (errorDetail.kind === 'tls-untrusted' && !json && snapshot.certificate && !outcome) {
      // Only the control connection's check comes before USER; a data connection's comes after.
      io.writeStderr(
        errorDetail.step === 'certificate'
          ? `ferry: nothing was sent to the server. To trust exactly this certificate: --pin ${errorDetail.fingerprint256}\n`
          : 'ferry: the user name and password were sent over the control connection you trusted; ' +
              'the data connection showed another certificate, so no file data went over it. ' +
              'Someone may be intercepting the data connection.\n',
      );
    }
    if (failure?.detail.kind === 'internal' && options?.verbose && failure.stack)
      io.writeStderr(`${failure.stack}\n`);
  }
  if (json) {
    const output: JsonOutput = {
      ferry: VERSION,
      command: command?.name ?? null,
      url: sessionUrl(argv, command),
      exitCode,
      ...snapshot,
      result: outcome?.result ?? null,
      ...(errorDetail ? { error: { ...errorDetail, message: describeError(errorDetail) } } : {}),
    };
    rawIo.writeStdout(`${jsonForTerminal(JSON.stringify(output, null, 2))}\n`);
  } else if (outcome) {
    io.writeStdout(outcome.text);
  }
  return exitCode;
}

/** The URL argument without its password, for the JSON output. */
function sessionUrl(
  argv: readonly string[],
  command: CommandDefinition | undefined,
): string | null {
  if (!command) return null;
  const text = argv.find((arg) => /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(arg));
  if (!text) return null;
  try {
    return parseFerryUrl(text).display;
  } catch {
    return null;
  }
}
