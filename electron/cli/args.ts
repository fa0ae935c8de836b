import {
  LIST_COMMANDS,
  type DataProtection,
  type ListCommand,
  type TlsVersion,
} from '../../shared/models';
import {
  AUTO_CONNECTIONS,
  isConnectionLimit,
  type ConnectionLimit,
} from '../../shared/settings-limits';
import { FILE_EXISTS_DECISIONS, type FileExistsAction } from '../../shared/transfers';
import { normalizeFingerprint } from '../engine/certificate';
import { FerryError } from '../engine/errors';
import { maskUrlPassword } from '../engine/url';

/** One command-line option. Boolean unless `value` names its argument. */
export interface OptionSpec {
  /** Long name without the dashes: `tls-max`. */
  long: string;
  /** Single letter without the dash: `r`. */
  short?: string;
  /** Placeholder for the option's argument in help (`FILE`); absent for flags. */
  value?: string;
  /** Accepted arguments, when the set is closed. */
  choices?: readonly string[];
  description: string;
}

export type OptionValues = ReadonlyMap<string, string | true>;

export interface ParsedArgv {
  /** Non-option words in order (the command name is the first). */
  positionals: string[];
  /** Options given, by long name; for repeated ones the last wins. */
  values: Map<string, string | true>;
}

export function usageError(reason: string, step = 'read arguments'): FerryError {
  return new FerryError({ kind: 'usage', step, reason });
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { long: 'json', description: 'print one JSON object (report and result) on stdout' },
  {
    long: 'verbose',
    short: 'v',
    description: 'print the FTP conversation on stderr (PASS masked)',
  },
  { long: 'help', short: 'h', description: 'show help' },
  { long: 'version', description: 'print the version' },
  { long: 'allow-plain', description: 'allow ftp:// (no encryption at all)' },
  {
    long: 'tls-min',
    value: 'VERSION',
    choices: ['1.2', '1.3'],
    description: 'lowest TLS version (default 1.2)',
  },
  {
    long: 'tls-max',
    value: 'VERSION',
    choices: ['1.2', '1.3'],
    description: 'highest TLS version (default 1.3)',
  },
  { long: 'ca', value: 'FILE', description: 'also trust the CA certificates in this PEM file' },
  {
    long: 'pin',
    value: 'SHA256',
    description: 'trust exactly this leaf certificate (SHA-256, hex, colons optional)',
  },
  { long: 'active', description: 'active mode (EPRT/PORT) instead of passive (EPSV/PASV)' },
  {
    long: 'prot',
    value: 'LEVEL',
    choices: ['P', 'C'],
    description: 'data channel protection: P private (default), C clear',
  },
  { long: 'ccc', description: 'clear the command channel after login (CCC)' },
  {
    long: 'list-cmd',
    value: 'CMD',
    choices: LIST_COMMANDS,
    description:
      'folder listings: auto (MLSD when offered, default), mlsd, list (LIST -a), list-bare (no -a: hidden files not listed)',
  },
  {
    long: 'client-cert',
    value: 'FILE',
    description: 'client certificate (PEM), with --client-key',
  },
  {
    long: 'client-key',
    value: 'FILE',
    description: 'client private key (PEM), with --client-cert',
  },
  { long: 'pfx', value: 'FILE', description: 'client certificate and key (PKCS#12)' },
  { long: 'pfx-pass', value: 'PASS', description: 'passphrase of --pfx (or FERRY_PFX_PASSWORD)' },
];

/** Options of the transfer commands (get, put, mirror). */
export const TRANSFER_OPTIONS: readonly OptionSpec[] = [
  { long: 'recursive', short: 'r', description: 'transfer a folder and everything in it' },
  {
    long: 'parallel',
    value: 'N',
    description: `connections for a recursive transfer: 1-10, or auto (default: up to ${AUTO_CONNECTIONS}, fewer when the server refuses more)`,
  },
  {
    long: 'segments',
    value: 'N',
    description: 'connections one large download (64 MiB and up) may use (REST ranges, 1-10)',
  },
  { long: 'no-segments', description: 'download every file over one connection' },
  {
    long: 'no-keep-times',
    description:
      'do not give files their source modification time (saves an MDTM per file on servers without MLSD)',
  },
  {
    long: 'on-exists',
    value: 'POLICY',
    choices: FILE_EXISTS_DECISIONS,
    description: 'when a target file exists: ' + FILE_EXISTS_DECISIONS.join(', '),
  },
];

/**
 * Splits argv into positionals and options, accepting `--name value`, `--name=value`, `-x`,
 * grouped short flags (`-rv`) and `--` (everything after it is positional). Options may come
 * before or after the command. Unknown options are usage errors.
 */
export function parseArgv(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgv {
  const byLong = new Map(specs.map((spec) => [spec.long, spec]));
  const byShort = new Map(
    specs.filter((spec) => spec.short).map((spec) => [spec.short ?? '', spec]),
  );
  const positionals: string[] = [];
  const values = new Map<string, string | true>();

  const take = (
    spec: OptionSpec,
    inline: string | undefined,
    index: number,
    shown: string,
  ): number => {
    if (!spec.value) {
      if (inline !== undefined) throw usageError(`${shown} takes no value`);
      values.set(spec.long, true);
      return index;
    }
    let value = inline;
    let next = index;
    if (value === undefined) {
      next = index + 1;
      value = argv[next];
      if (value === undefined) throw usageError(`${shown} needs a value (${spec.value})`);
    }
    if (spec.choices && !spec.choices.includes(value)) {
      throw usageError(
        `${shown} must be one of ${spec.choices.join(', ')}, not "${maskUrlPassword(value)}"`,
      );
    }
    values.set(spec.long, value);
    return next;
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byLong.get(name);
      if (!spec) throw usageError(`unknown option --${name}`);
      i = take(spec, eq < 0 ? undefined : arg.slice(eq + 1), i, `--${name}`);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const letters = arg.slice(1);
      for (let j = 0; j < letters.length; j++) {
        const letter = letters[j] ?? '';
        const spec = byShort.get(letter);
        if (!spec) throw usageError(`unknown option -${letter}`);
        if (spec.value) {
          // `-p 4` or `-p4`: the rest of the word is the value.
          const inline = j + 1 < letters.length ? letters.slice(j + 1) : undefined;
          i = take(spec, inline, i, `-${letter}`);
          break;
        }
        take(spec, undefined, i, `-${letter}`);
      }
      continue;
    }
    positionals.push(arg);
  }
  return { positionals, values };
}

/** Typed view of the options every command shares, validated. */
export interface CliOptions {
  json: boolean;
  verbose: boolean;
  help: boolean;
  version: boolean;
  allowPlain: boolean;
  tlsMin?: TlsVersion;
  tlsMax?: TlsVersion;
  caFile?: string;
  /** Normalized to Node's `AA:BB:…` form. */
  pin?: string;
  active: boolean;
  prot?: DataProtection;
  ccc: boolean;
  listCommand?: ListCommand;
  clientCertFile?: string;
  clientKeyFile?: string;
  pfxFile?: string;
  pfxPassphrase?: string;
  recursive: boolean;
  parallel?: ConnectionLimit;
  /** Connections one large download may use (1: never segmented). */
  segments?: number;
  /** Give each file its source's modification time (default; `--no-keep-times` turns it off). */
  keepTimes: boolean;
  onExists?: Exclude<FileExistsAction, 'ask'>;
  /** Every option as given, by long name: for options a command module adds itself. */
  values: OptionValues;
}

function stringValue(values: OptionValues, name: string): string | undefined {
  const value = values.get(name);
  return typeof value === 'string' ? value : undefined;
}

function tlsVersion(values: OptionValues, name: string): TlsVersion | undefined {
  const value = stringValue(values, name);
  return value === '1.2' || value === '1.3' ? value : undefined;
}

export function resolveOptions(
  values: OptionValues,
  env: Readonly<Record<string, string | undefined>>,
): CliOptions {
  const flag = (name: string): boolean => values.get(name) === true;
  const tlsMin = tlsVersion(values, 'tls-min');
  const tlsMax = tlsVersion(values, 'tls-max');
  if (tlsMin === '1.3' && tlsMax === '1.2')
    throw usageError('--tls-min 1.3 is above --tls-max 1.2');

  const pinText = stringValue(values, 'pin');
  let pin: string | undefined;
  if (pinText !== undefined) {
    pin = normalizeFingerprint(pinText);
    if (!pin)
      throw usageError(
        `--pin must be a SHA-256 fingerprint (64 hex digits, colons optional), not "${maskUrlPassword(pinText)}"`,
      );
  }

  const clientCertFile = stringValue(values, 'client-cert');
  const clientKeyFile = stringValue(values, 'client-key');
  const pfxFile = stringValue(values, 'pfx');
  const pfxPassphrase = stringValue(values, 'pfx-pass') ?? env.FERRY_PFX_PASSWORD;
  if ((clientCertFile === undefined) !== (clientKeyFile === undefined)) {
    throw usageError('--client-cert and --client-key go together');
  }
  if (pfxFile !== undefined && clientCertFile !== undefined) {
    throw usageError('use either --pfx or --client-cert/--client-key, not both');
  }
  if (values.has('pfx-pass') && pfxFile === undefined) throw usageError('--pfx-pass needs --pfx');

  const parallelText = stringValue(values, 'parallel');
  let parallel: ConnectionLimit | undefined;
  if (parallelText !== undefined) {
    const parsed =
      parallelText === 'auto' || !/^\d+$/.test(parallelText) ? parallelText : Number(parallelText);
    if (!isConnectionLimit(parsed)) {
      throw usageError(
        `--parallel must be auto or a whole number from 1 to 10, not "${maskUrlPassword(parallelText)}"`,
      );
    }
    parallel = parsed;
  }
  const segmentsText = stringValue(values, 'segments');
  let segments: number | undefined = flag('no-segments') ? 1 : undefined;
  if (segmentsText !== undefined) {
    if (segments !== undefined) throw usageError('use either --segments or --no-segments');
    segments = Number(segmentsText);
    if (!/^\d+$/.test(segmentsText) || segments < 1 || segments > 10) {
      throw usageError(
        `--segments must be a whole number from 1 to 10, not "${maskUrlPassword(segmentsText)}"`,
      );
    }
  }
  const onExistsText = stringValue(values, 'on-exists');
  const onExists = FILE_EXISTS_DECISIONS.find((policy) => policy === onExistsText);

  const listCommand = LIST_COMMANDS.find((c) => c === stringValue(values, 'list-cmd'));
  const prot = stringValue(values, 'prot');
  const caFile = stringValue(values, 'ca');
  return {
    json: flag('json'),
    verbose: flag('verbose'),
    help: flag('help'),
    version: flag('version'),
    allowPlain: flag('allow-plain'),
    ...(tlsMin ? { tlsMin } : {}),
    ...(tlsMax ? { tlsMax } : {}),
    ...(caFile !== undefined ? { caFile } : {}),
    ...(pin ? { pin } : {}),
    active: flag('active'),
    ...(prot === 'P' || prot === 'C' ? { prot } : {}),
    ccc: flag('ccc'),
    ...(listCommand ? { listCommand } : {}),
    ...(clientCertFile !== undefined ? { clientCertFile } : {}),
    ...(clientKeyFile !== undefined ? { clientKeyFile } : {}),
    ...(pfxFile !== undefined ? { pfxFile } : {}),
    ...(pfxPassphrase !== undefined && pfxFile !== undefined ? { pfxPassphrase } : {}),
    recursive: flag('recursive'),
    ...(parallel !== undefined ? { parallel } : {}),
    ...(segments !== undefined ? { segments } : {}),
    keepTimes: !flag('no-keep-times'),
    ...(onExists ? { onExists } : {}),
    values,
  };
}
