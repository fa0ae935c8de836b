import type { FerryErrorDetail, FerryErrorKind } from '../../shared/errors';

/** The exit codes `ferry` documents (docs/CLI.md). Scripts rely on them: never renumber. */
export const ExitCode = {
  ok: 0,
  /** Unexpected internal failure (a bug in ferry). */
  internal: 1,
  usage: 2,
  untrusted: 3,
  loginRefused: 4,
  serverRefused: 5,
  network: 6,
  localFile: 7,
  /** Interrupted (Ctrl-C): 128 + SIGINT, as shells report it. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const BY_KIND: Record<FerryErrorKind, ExitCodeValue> = {
  usage: ExitCode.usage,
  'unsafe-input': ExitCode.usage,
  'tls-untrusted': ExitCode.untrusted,
  auth: ExitCode.loginRefused,
  'ftp-reply': ExitCode.serverRefused,
  // The server refused to encrypt (AUTH TLS and AUTH SSL answered 5xx): it refused an operation.
  'insecure-refused': ExitCode.serverRefused,
  network: ExitCode.network,
  timeout: ExitCode.network,
  closed: ExitCode.network,
  'tls-handshake': ExitCode.network,
  // A data connection that would not resume the TLS session fails like a handshake does.
  'tls-resumption': ExitCode.network,
  // The server broke the protocol (garbled reply, short download): the connection is unusable.
  protocol: ExitCode.network,
  'local-fs': ExitCode.localFile,
  // Only local files are reported as not found (a server's 550 stays ftp-reply, exit 5).
  'not-found': ExitCode.localFile,
  internal: ExitCode.internal,
  // The server's side (the CLI renames nothing locally): an operation it would not do silently.
  exists: ExitCode.serverRefused,
  cancelled: ExitCode.interrupted,
};

/** The exit code for an error the engine or the CLI reported. */
export function exitCodeFor(detail: FerryErrorDetail): ExitCodeValue {
  return BY_KIND[detail.kind];
}
