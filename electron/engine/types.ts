import type {
  CertificateInfo,
  CertificateReport,
  DataConnectionRecord,
  DataProtection,
  LogLine,
  SecurityMode,
  TlsVersion,
  TrustDecision,
  ListCommand,
} from '../../shared/models';
import type { ServerQuirks } from './server-quirks';
import type { SessionSecureContexts } from './secure-context';

/** A certificate the user chose to "always trust" for one host and port. */
export interface PinnedCertificate {
  host: string;
  port: number;
  fingerprint256: string;
  certificate: CertificateInfo;
  pinnedAt: string;
}

/** Where pins live. Persistence comes from the caller (site manager, CLI flag, tests). */
export interface PinStore {
  get(host: string, port: number): Promise<PinnedCertificate | undefined>;
  set(pin: PinnedCertificate): Promise<void>;
}

export type ClientCertificate =
  | { kind: 'pem'; cert: Buffer | string; key: Buffer | string; passphrase?: string }
  | { kind: 'pfx'; pfx: Buffer; passphrase?: string };

export interface TlsOptions {
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** Extra trusted CA certificates (PEM), in addition to the bundled roots. */
  ca?: Buffer | string;
  clientCertificate?: ClientCertificate;
}

export interface ActiveModeOptions {
  /** Inclusive port range for the listening socket; any free port when absent. */
  portRange?: [number, number];
}

export interface Timeouts {
  /** TCP connect plus TLS handshake. */
  connectMs: number;
  /** Waiting for a reply to a command. */
  replyMs: number;
  /** A data connection with no bytes moving. */
  dataIdleMs: number;
}

export interface ConnectOptions {
  host: string;
  port?: number;
  mode: SecurityMode;
  user?: string;
  password?: string;
  tls?: TlsOptions;
  /**
   * TLS contexts built once from `tls` and shared by every connection of the session (pass the
   * same object to every pooled connection to a site); built per client when absent.
   */
  secureContexts?: SessionSecureContexts;
  dataProtection?: DataProtection;
  /** Clear the command channel after login (RFC 4217 CCC). */
  ccc?: boolean;
  /** Use PASV only (some NAT routers mangle EPSV); the PASV address is still replaced. */
  disableEpsv?: boolean;
  /**
   * Overrides the per-server round-trip savings (server-quirks.ts decides from the greeting:
   * vsftpd only); for tests and the bench, which force them either way.
   */
  serverQuirks?: Partial<ServerQuirks>;
  /**
   * Folder listings: `auto` (default) uses MLSD when FEAT offers MLST (exact times, sizes and
   * types), else LIST; `mlsd` always MLSD; `list` always LIST (some servers, ProFTPD among them,
   * generate LIST much faster than MLSD for large folders).
   */
  listCommand?: ListCommand;
  /** Active mode (EPRT/PORT) instead of passive (EPSV/PASV). */
  active?: ActiveModeOptions;
  pinStore?: PinStore;
  /**
   * Called with the certificate report when the certificate is neither trusted nor pinned.
   * Nothing is sent to the server until it resolves; without it untrusted certificates are rejected.
   */
  decideTrust?: (report: CertificateReport) => Promise<TrustDecision>;
  timeouts?: Partial<Timeouts>;
  /** Send NOOP after this much idle time on the control connection; 0 disables. */
  keepaliveMs?: number;
  /** Receives the certificate report as soon as it is built, whatever the verdict. */
  onCertificate?: (report: CertificateReport) => void;
  onLog?: (line: LogLine) => void;
  /**
   * "Explicit if available" and the server refused TLS: asked before USER is sent; true continues
   * in clear text. Without it the connection is refused (never a silent downgrade).
   */
  decideInsecure?: (question: InsecureQuestion) => Promise<boolean>;
  /** Identifies this connection in log lines (pools hold several). */
  connectionId?: string;
}

export interface InsecureQuestion {
  host: string;
  port: number;
  /** What the server did, e.g. "AUTH TLS and AUTH SSL refused". */
  reason: string;
}

export interface TransferProgress {
  bytes: number;
  /** Total expected bytes when known. */
  total?: number;
}

export interface TransferOptions {
  /** Resume from this byte offset (REST, or APPE for uploads without REST STREAM). */
  offset?: number;
  onProgress?: (progress: TransferProgress) => void;
  /** Sampling interval for onProgress. */
  progressIntervalMs?: number;
  signal?: AbortSignal;
  /**
   * A segmented download's range: the caller may abort it once it has the bytes it wants, so no
   * round-trip shortcut (early EPSV, early close_notify) that counts on the transfer running to
   * its final reply.
   */
  stopsEarly?: boolean;
}

export interface TransferResult {
  bytes: number;
  record: DataConnectionRecord;
  reply: { code: number; text: string };
}

export interface Features {
  /** Raw FEAT lines, upper-cased keys. */
  raw: Map<string, string>;
  mlst: boolean;
  mlstFacts: string[];
  restStream: boolean;
  utf8: boolean;
  epsv: boolean;
  mfmt: boolean;
  size: boolean;
  mdtm: boolean;
  /** HASH algorithms offered, upper-case (e.g. SHA-256). */
  hash: string[];
  xsha256: boolean;
  xsha1: boolean;
  xmd5: boolean;
  xcrc: boolean;
  clnt: boolean;
  pret: boolean;
  ccc: boolean;
}
