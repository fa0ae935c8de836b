/** Domain models shared by the engine, the queue, the CLI and the renderer. Pure types only. */

export type SecurityMode = 'explicit' | 'explicit-if-available' | 'implicit' | 'plain';
export type TlsVersion = '1.2' | '1.3';
export const TLS_VERSIONS: readonly TlsVersion[] = ['1.2', '1.3'];
export type DataProtection = 'P' | 'C';
/** Which command lists folders: MLSD when offered (auto), always MLSD, or always LIST. */
/**
 * `list` asks `LIST -a` (hidden files), falling back to a bare LIST where refused; `list-bare`
 * never sends `-a`, for servers that read it as a file name (their listings miss hidden files).
 */
export type ListCommand = 'auto' | 'mlsd' | 'list' | 'list-bare';
export const LIST_COMMANDS: readonly ListCommand[] = ['auto', 'mlsd', 'list', 'list-bare'];

export interface ConnectionTarget {
  host: string;
  port: number;
  mode: SecurityMode;
}

export type RemoteEntryKind = 'file' | 'dir' | 'link' | 'other';

/** How much of a listed time the server gave: LIST shows minutes (recent) or days, MLSD seconds. */
export type TimePrecision = 'day' | 'minute' | 'second';

export interface RemoteEntry {
  name: string;
  kind: RemoteEntryKind;
  /** Bytes, when the server said. */
  size?: number;
  /** ISO-8601 time, when the server said. */
  modified?: string;
  /** Set with `modified`: the finer parts of a `minute` or `day` time are zero, not known. */
  modifiedPrecision?: TimePrecision;
  /** Unix permission string (`rwxr-xr-x`) or MLSD `UNIX.mode`/`perm` as given. */
  permissions?: string;
  /** For symlinks listed by LIST (`a -> b`). */
  linkTarget?: string;
  owner?: string;
  group?: string;
}

export interface DistinguishedName {
  CN?: string;
  O?: string;
  OU?: string;
  C?: string;
  ST?: string;
  L?: string;
  emailAddress?: string;
  /** The full one-line form, e.g. `CN=example.com, O=Example`. */
  text: string;
}

export interface CertificateInfo {
  subject: DistinguishedName;
  issuer: DistinguishedName;
  subjectAltNames: string[];
  validFrom: string;
  validTo: string;
  expired: boolean;
  notYetValid: boolean;
  serialNumber: string;
  publicKeyAlgorithm: string;
  publicKeyBits?: number;
  publicKeyCurve?: string;
  signatureAlgorithm: string;
  weakSignature: boolean;
  selfSigned: boolean;
  isCA: boolean;
  fingerprint256: string;
  fingerprint1: string;
  /** DER, base64: kept so a changed certificate can be compared with the pinned one. */
  rawBase64: string;
}

export interface TlsSessionInfo {
  protocol: string;
  cipher: string;
  cipherStandardName?: string;
  keyExchange?: string;
}

export type UntrustedReason =
  | 'self-signed'
  | 'unknown-issuer'
  | 'hostname-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'revoked'
  | 'other';

export type TrustVerdict =
  | { status: 'trusted'; by: 'system' | 'extra-ca' }
  | { status: 'pinned' }
  | { status: 'untrusted'; reasons: UntrustedReason[]; detail: string }
  | { status: 'changed'; previous: CertificateInfo; reasons: UntrustedReason[]; detail: string };

export interface CertificateReport {
  host: string;
  port: number;
  /** Leaf first, then intermediates and root as sent by the server. */
  chain: CertificateInfo[];
  session: TlsSessionInfo;
  verdict: TrustVerdict;
}

export type TrustDecision = 'reject' | 'once' | 'always';

export interface DataConnectionRecord {
  command: string;
  resumed: boolean;
  protocol: string;
  tls: boolean;
  /** Watched only where no size can catch a truncation: the TLS layer ended on close_notify. */
  closeNotify?: boolean;
}

export type LogDirection = 'command' | 'reply' | 'info' | 'tls' | 'warning' | 'error';

export interface LogLine {
  time: string;
  direction: LogDirection;
  text: string;
  connectionId?: string;
}
