// The rig's public types (see servers.ts) and the internal ones its modules share.

export type ServerKind = 'vsftpd' | 'proftpd' | 'pureftpd';
export const SERVER_KINDS: readonly ServerKind[] = ['vsftpd', 'proftpd', 'pureftpd'];
export type TlsMode = 'explicit' | 'implicit';
export type TlsMax = '1.2' | '1.3';

/** Which certificate the server presents: one of the shared test certificates (see certs.ts), or
 * any PEM certificate + key. */
export type ServerCertChoice =
  'self-signed' | 'ca-signed' | 'expired' | 'wrong-host' | { certPath: string; keyPath: string };

export interface StartServerOptions {
  kind: ServerKind;
  /** `implicit` is TLS right after connect. pure-ftpd supports only `explicit` (Debian builds it
   * without implicit TLS). Ignored when `plain`. */
  mode: TlsMode;
  /** '1.2' refuses TLS 1.3 handshakes; '1.3' allows 1.2 and 1.3. */
  tlsMax: TlsMax;
  /** Default 'self-signed'. */
  cert?: ServerCertChoice;
  /** Accept PROT C (clear data connections). Default false: data must be TLS. */
  allowPlainData?: boolean;
  /** The opposite of allowPlainData, for readability (default true). Conflicting values throw. */
  requireTlsOnData?: boolean;
  /** ProFTPD only: `TLSRequired auth+data`, so CCC is accepted after login. */
  ccc?: boolean;
  /** ProFTPD only: load mod_digest (`DigestEngine on`), so FEAT lists `HASH` and the legacy
   * XCRC/XMD5/XSHA* commands, and `HASH`/`OPTS HASH` work. Default false. */
  digest?: boolean;
  /** With `digest`: files above this many bytes get no checksum (`DigestMaxSize`). */
  digestMaxSize?: number;
  /** Require a client certificate signed by this CA (ProFTPD `TLSVerifyClient on`, vsftpd
   * `require_cert`/`validate_cert`). Not supported for pure-ftpd. */
  verifyClient?: { caPath: string };
  /** Connection limit per client address (vsftpd max_per_ip, ProFTPD MaxConnectionsPerHost,
   * pure-ftpd -C). Default unlimited. */
  maxPerIp?: number;
  /** Allow PORT/EPRT (active mode). Default false: refused by vsftpd (port_enable=NO) and ProFTPD
   * (<Limit PORT EPRT> DenyAll). pure-ftpd cannot refuse them and always allows active mode. */
  active?: boolean;
  /** No TLS at all (plain FTP). */
  plain?: boolean;
  /** vsftpd only: the address its PASV replies name (`pasv_address`), e.g. a NAT router's or a
   * hostile server's pick. Data still flows to 127.0.0.1. */
  pasvAddress?: string;
}

export interface ReadLogOptions {
  /** Skip what the readiness probe (a connection that sends AUTH TLS and QUIT, never USER)
   * wrote before startServer resolved. */
  sinceReady?: boolean;
}

export interface RunningServer {
  kind: ServerKind;
  mode: TlsMode;
  tlsMax: TlsMax;
  plain: boolean;
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  /** The folder the FTP user sees as `/` (owned by the ftp account). */
  root: string;
  /** uid/gid files uploaded over FTP get; `writeFile`/`mkdir` give the same. */
  uid: number;
  gid: number;
  /** PEM of the certificate the server presents ('' for plain servers). */
  certPem: string;
  /** The server's own copy of that certificate ('' for plain servers). */
  certPath: string;
  /** `AA:BB:…` SHA-256, like Node's `X509Certificate.fingerprint256` ('' for plain servers). */
  fingerprint256: string;
  pasvPorts: { min: number; max: number };
  /** Temp folder with config, logs and the served root; removed by stop(). */
  dir: string;
  pid: number;
  /** Server log: protocol (commands and replies), TLS and transfer lines in one file. */
  logPath: string;
  readLog(options?: ReadLogOptions): Promise<string>;
  /** Polls the log until `pattern` appears (pure-ftpd's log arrives asynchronously through a
   * syslog socket). Resolves with the log, rejects with the log tail after `timeoutMs`. */
  waitForLog(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** Absolute path of `relPath` (a path as the FTP user sees it) inside root. */
  path(relPath: string): string;
  /** Writes a file under root (creating folders), owned by the FTP user. Returns its path. */
  writeFile(relPath: string, data: string | Uint8Array): Promise<string>;
  /** Creates a folder (and parents) under root, owned by the FTP user. Returns its path. */
  mkdir(relPath: string): Promise<string>;
  stop(): Promise<void>;
}

/** Log lines, per server, that tests look for (see LOG_PATTERNS). */
export interface ServerLogPatterns {
  /** The server received USER (what a "no credentials before trust" test must not find). */
  userReceived: RegExp;
  /** A data connection resumed the control connection's TLS session (null: not logged). */
  dataTlsReused: RegExp | null;
  /** A data connection was refused for not resuming the session (null: never refused). */
  dataTlsRejected: RegExp | null;
}

/** Start options after defaults and consistency checks (see resolveOptions in servers.ts). */
export interface Resolved {
  kind: ServerKind;
  mode: TlsMode;
  tlsMax: TlsMax;
  plain: boolean;
  plainData: boolean;
  ccc: boolean;
  digest: boolean;
  digestMaxSize: number | undefined;
  verifyClient: { caPath: string } | undefined;
  maxPerIp: number | undefined;
  active: boolean;
  cert: ServerCertChoice;
  pasvAddress: string | undefined;
}

/** Where one server's files live (its own temp folder). */
export interface Layout {
  dir: string;
  root: string;
  logPath: string;
  certPath: string;
  keyPath: string;
  opensslConf: string;
}

export interface PasvRange {
  min: number;
  max: number;
}

/** What a server module hands back: the command to spawn, and its syslog sink if it has one. */
export interface Launch {
  cmd: string;
  args: string[];
  sink?: LogSink;
}

export interface LogSink {
  close(): Promise<void>;
}

/** The uid/gid of the FTP account (see accounts.ts). */
export interface FtpAccount {
  uid: number;
  gid: number;
}
