// Real FTP(S) servers for tests: vsftpd (from apt), ProFTPD and pure-ftpd (unpacked into
// .cache/servers/root by scripts/provision-servers.sh). Each server runs as a child of the test
// process with its own temp folder (config, logs, pid, scoreboard, served root), bound to
// 127.0.0.1 on a free port with its own passive port range.
//
// Servers need root (they switch to the ferrytest account per session). Missing binaries make
// startServer throw (tests fail, never skip): run `npm run provision`.
//
// Server quirks worth knowing when writing tests against them:
// - vsftpd 3.0.3 has no TLS 1.3 switch; tlsMax '1.2' works through OPENSSL_CONF (MaxProtocol).
//   It accepts PROT C even with force_local_data_ssl and refuses the transfer instead ("522 Data
//   connections must be encrypted"). A data connection that does not resume the control
//   session gets "522 SSL connection failed: session reuse required" and vsftpd then closes
//   the control connection. Each session is two processes (privileged parent + user child).
// - ProFTPD 1.3.8 limits TLS with TLSProtocol; implicit TLS is TLSOptions UseImplicitSSL; CCC
//   needs TLSRequired auth+data. A refused PROT C is "534"; curl then carries on and hangs.
// - ProFTPD's mod_digest (option `digest`) answers HASH in two lines ("213-Computing SHA-256
//   digest", then "213 SHA-256 0-<size> <hex> <path>"), caches digests per session by path, mtime
//   (whole seconds) and range, and refuses XCRC/XMD5/XSHA* on an empty file (501).
// - pure-ftpd 1.0.50 (Debian) has no implicit TLS, cannot refuse PORT/EPRT, logs only via
//   syslog (captured, see PUREFTPD_WRAPPER), and does not require session reuse. Under TLS 1.3
//   it sends no session tickets at all, so TLS 1.3 data connections are always full handshakes
//   (never resumed) and still accepted; under TLS 1.2 it resumes by session id.
// - curl 7.88 times out on active-mode FTPS data connections (plain FTP is fine): use lftp.
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants as fsConstants,
  existsSync,
  readFileSync,
  readdirSync,
  rmSync,
  unlinkSync,
} from 'node:fs';
import {
  chmod,
  chown,
  copyFile,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fingerprint256, getSharedCerts, type TestCerts } from './certs';

const execFileAsync = promisify(execFile);

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

export const LOG_PATTERNS: Record<ServerKind, ServerLogPatterns> = {
  vsftpd: {
    // FTP command: Client "127.0.0.1", "USER ferrytest"
    userReceived: /FTP command: Client "[^"]*", "USER /,
    // DEBUG: Client "127.0.0.1", "SSL version: TLSv1.3, SSL cipher: …, reused, no cert"
    // (the control connection's own handshake logs "not reused").
    dataTlsReused: /"SSL version: [^"]*, reused,/,
    dataTlsRejected: /session reuse required/,
  },
  proftpd: {
    // 2026-… [1234] 127.0.0.1 cmd="USER ferrytest" resp="331 Password required for ferrytest"
    userReceived: /cmd="USER /,
    dataTlsReused: /client reused TLS session for data connection/,
    dataTlsRejected: /client did not reuse TLS session|did not reuse TLS session from control/i,
  },
  pureftpd: {
    // Nov 23 13:05:01 pure-ftpd[1234]: (?@127.0.0.1) [DEBUG] Command [user] [ferrytest]
    userReceived: /\[DEBUG\] Command \[user\] /,
    dataTlsReused: null,
    dataTlsRejected: null,
  },
};

/** The account every server accepts (a system account for vsftpd, virtual users mapped to its
 * uid/gid for ProFTPD and pure-ftpd). Must match scripts/provision-servers.sh. */
export const FTP_USER = 'ferrytest';
export const FTP_PASSWORD = 'ferrytest-pw';
const VSFTPD_PAM_SERVICE = 'ferry-vsftpd';
const PROVISION_HINT = 'run `npm run provision` (as root) first';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where provision-servers.sh unpacks ProFTPD and pure-ftpd. */
export const SERVERS_ROOT = join(REPO_ROOT, '.cache', 'servers', 'root');

const BIN = {
  vsftpd: '/usr/sbin/vsftpd',
  proftpd: join(SERVERS_ROOT, 'usr/sbin/proftpd'),
  proftpdModules: join(SERVERS_ROOT, 'usr/lib/proftpd'),
  pureftpd: join(SERVERS_ROOT, 'usr/sbin/pure-ftpd'),
  purePw: join(SERVERS_ROOT, 'usr/bin/pure-pw'),
};

const PASV_BLOCK = 64;
const START_TIMEOUT_MS = 15_000;

// ---------------------------------------------------------------------------------------------
// Availability

function executable(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(cmd: string): boolean {
  const dirs = (process.env.PATH ?? '/usr/bin:/bin').split(':');
  return dirs.some((d) => d !== '' && executable(join(d, cmd)));
}

interface FtpAccount {
  uid: number;
  gid: number;
}

let account: FtpAccount | undefined;
function ftpAccount(): FtpAccount | undefined {
  if (account !== undefined) return account;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${FTP_USER}:`));
  if (line === undefined) return undefined;
  const [, , uid, gid] = line.split(':');
  account = { uid: Number(uid), gid: Number(gid) };
  return account;
}

/**
 * Throws a clear error when `kind` cannot run here (not root, binaries or the ftp account
 * missing). Call it in beforeAll so a missing server fails the suite instead of skipping it.
 */
export function serverAvailable(kind: ServerKind): void {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${kind} test server unavailable: the test servers must run as root (they switch to the ` +
        `${FTP_USER} account per session)`,
    );
  }
  if (!onPath('openssl')) missing.push('openssl');
  if (ftpAccount() === undefined) missing.push(`the ${FTP_USER} account`);
  switch (kind) {
    case 'vsftpd':
      if (!executable(BIN.vsftpd)) missing.push(BIN.vsftpd);
      if (!existsSync(`/etc/pam.d/${VSFTPD_PAM_SERVICE}`)) {
        missing.push(`/etc/pam.d/${VSFTPD_PAM_SERVICE}`);
      }
      break;
    case 'proftpd':
      if (!executable(BIN.proftpd)) missing.push('.cache/servers/root/usr/sbin/proftpd');
      if (!existsSync(join(BIN.proftpdModules, 'mod_tls.so'))) {
        missing.push('.cache/servers/root/usr/lib/proftpd/mod_tls.so');
      }
      break;
    case 'pureftpd':
      if (!executable(BIN.pureftpd)) missing.push('.cache/servers/root/usr/sbin/pure-ftpd');
      if (!executable(BIN.purePw)) missing.push('.cache/servers/root/usr/bin/pure-pw');
      break;
  }
  if (missing.length > 0) {
    throw new Error(
      `${kind} test server unavailable (missing: ${missing.join(', ')}); ${PROVISION_HINT}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Ports

/** A free TCP port on 127.0.0.1 (bind to port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => {
        if (addr !== null && typeof addr === 'object') resolvePort(addr.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

function portBindable(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => res(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => res(true)));
  });
}

function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low !== undefined && high !== undefined && low > 0 && high >= low) return [low, high];
  } catch {
    // not Linux: use the common default
  }
  return [32768, 60999];
}

const PASV_LOCK_DIR = join(tmpdir(), 'ferry-pasv-locks');

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims a block of passive ports below the kernel's ephemeral range (so outgoing connections
 * never squat on them), coordinated across Vitest workers by lock files holding the owner's pid.
 */
async function claimPasvRange(): Promise<{ min: number; max: number; lockPath: string }> {
  await mkdir(PASV_LOCK_DIR, { recursive: true });
  const [ephemeralLow, ephemeralHigh] = ephemeralRange();
  const bases: number[] = [];
  for (let b = 10_000; b + PASV_BLOCK <= Math.min(ephemeralLow, 32_768); b += PASV_BLOCK) {
    bases.push(b);
  }
  if (bases.length === 0) {
    for (let b = ephemeralHigh + 1; b + PASV_BLOCK <= 65_535; b += PASV_BLOCK) bases.push(b);
  }
  for (let i = bases.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [bases[i], bases[j]] = [bases[j] as number, bases[i] as number];
  }
  for (const base of bases) {
    const lockPath = join(PASV_LOCK_DIR, `${base}.lock`);
    if (!(await tryLock(lockPath))) continue;
    const ports = Array.from({ length: PASV_BLOCK }, (_, k) => base + k);
    const free = await Promise.all(ports.map(portBindable));
    if (free.every(Boolean)) return { min: base, max: base + PASV_BLOCK - 1, lockPath };
    await unlink(lockPath).catch(() => undefined);
  }
  throw new Error('no free passive port range found');
}

async function tryLock(lockPath: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(lockPath, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && pidAlive(owner)) return false;
      await unlink(lockPath).catch(() => undefined); // stale: its owner died
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Processes

function readStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: parse after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '?', ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

/** Kernel start time of a process (clock ticks since boot): tells a pid from its reuse. */
function startTime(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** All descendants of `pid`, deepest first. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (st === undefined) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(Number(name));
    children.set(st.ppid, list);
  }
  const order: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift() as number;
    for (const c of children.get(p) ?? []) {
      order.push(c);
      queue.push(c);
    }
  }
  return order.reverse();
}

/** Running (not gone, not a zombie). */
function running(pid: number): boolean {
  const st = readStat(pid);
  return st !== undefined && st.state !== 'Z';
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitUntil(cond: () => boolean, timeoutMs: number, stepMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await sleep(stepMs);
  }
  return cond();
}

// ---------------------------------------------------------------------------------------------
// Shared setup

let passwordHash: Promise<string> | undefined;
/** crypt(3) SHA-512 hash of FTP_PASSWORD, for ProFTPD's AuthUserFile and pure-ftpd's passwd. */
function ftpPasswordHash(): Promise<string> {
  passwordHash ??= new Promise<string>((res, rej) => {
    const child = execFile(
      'openssl',
      ['passwd', '-6', '-stdin'],
      (err: Error | null, stdout: string) => {
        if (err !== null) rej(err);
        else res(stdout.trim());
      },
    );
    child.stdin?.end(FTP_PASSWORD + '\n');
  });
  return passwordHash;
}

function opensslConf(tlsMax: TlsMax): string {
  // vsftpd 3.0.3 and pure-ftpd have no switch for TLS 1.3, but OpenSSL applies the
  // system_default section of the file OPENSSL_CONF names to every SSL_CTX they create.
  return [
    'openssl_conf = openssl_init',
    '[openssl_init]',
    'ssl_conf = ssl_sect',
    '[ssl_sect]',
    'system_default = system_default_sect',
    '[system_default_sect]',
    'MinProtocol = TLSv1.2',
    ...(tlsMax === '1.2' ? ['MaxProtocol = TLSv1.2'] : []),
    'CipherString = DEFAULT:@SECLEVEL=2',
    '',
  ].join('\n');
}

async function resolveCert(
  choice: ServerCertChoice,
): Promise<{ certPath: string; keyPath: string; certPem: string; fingerprint256: string }> {
  if (typeof choice === 'object') {
    const [certPem, fp] = await Promise.all([
      readFile(choice.certPath, 'utf8'),
      fingerprint256(choice.certPath),
    ]);
    return { certPath: choice.certPath, keyPath: choice.keyPath, certPem, fingerprint256: fp };
  }
  const certs: TestCerts = await getSharedCerts();
  const files = {
    'self-signed': certs.selfSigned,
    'ca-signed': certs.caSigned,
    expired: certs.expired,
    'wrong-host': certs.wrongHost,
  }[choice];
  return files;
}

let namespaceSupport: boolean | undefined;
/** Whether we may run pure-ftpd in a private mount namespace (to hand it our own /dev/log). */
function mountNamespaces(): boolean {
  namespaceSupport ??=
    onPath('unshare') &&
    spawnSync('unshare', ['--mount', '--propagation', 'private', 'true'], { stdio: 'ignore' })
      .status === 0;
  return namespaceSupport;
}

// pure-ftpd logs only through syslog(3), i.e. to /dev/log. glibc falls back to a stream socket
// when /dev/log is not a datagram socket (a Node server can only be a stream socket), so each
// pure-ftpd runs in its own mount namespace where /dev is a small tmpfs with the few device
// nodes it needs and /dev/log is our socket. Its own chroot does not matter: glibc connects once
// (LOG_NDELAY) before it.
const PUREFTPD_WRAPPER = `set -e
d="$1"; shift
mkdir -p "$d/hostdev"
mount --bind /dev "$d/hostdev"
mount -t tmpfs -o mode=0755,size=64k ferry-dev /dev
for n in null zero full random urandom tty; do
  if [ -e "$d/hostdev/$n" ]; then : > "/dev/$n"; mount --bind "$d/hostdev/$n" "/dev/$n"; fi
done
: > /dev/log
mount --bind "$d/log.sock" /dev/log
umount "$d/hostdev"
exec "$@"
`;

interface LogSink {
  close(): Promise<void>;
}

/** Receives glibc syslog messages (NUL-terminated on stream sockets) and appends them as lines. */
async function startSyslogSink(socketPath: string, logPath: string): Promise<LogSink> {
  const log = await open(logPath, 'a');
  let chain: Promise<unknown> = Promise.resolve();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    let buf = '';
    sock.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const parts = buf.split(/\0|\n/);
      buf = parts.pop() ?? '';
      const lines = parts
        .filter((p) => p !== '')
        .map((p) => p.replace(/^<\d+>/, '') + '\n')
        .join('');
      if (lines !== '') chain = chain.then(() => log.appendFile(lines));
    });
    sock.on('error', () => undefined);
    sock.on('close', () => sockets.delete(sock));
  });
  server.unref();
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(socketPath, () => res());
  });
  await chmod(socketPath, 0o666);
  return {
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((res) => server.close(() => res()));
      await chain.catch(() => undefined);
      await log.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Configs

interface Layout {
  dir: string;
  root: string;
  logPath: string;
  certPath: string;
  keyPath: string;
  opensslConf: string;
}

interface Resolved {
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

function yn(v: boolean): string {
  return v ? 'YES' : 'NO';
}

function vsftpdConfig(o: Resolved, l: Layout, port: number, pasv: { min: number; max: number }) {
  const lines = [
    'listen=YES',
    'listen_ipv6=NO',
    'listen_address=127.0.0.1',
    `listen_port=${port}`,
    // Foreground, so the test owns the process and sees its stderr.
    'background=NO',
    'anonymous_enable=NO',
    'local_enable=YES',
    `pam_service_name=${VSFTPD_PAM_SERVICE}`,
    'write_enable=YES',
    'local_umask=022',
    'chroot_local_user=YES',
    `local_root=${l.root}`,
    // The chroot is the user's writable root; vsftpd refuses that unless told otherwise.
    'allow_writeable_chroot=YES',
    'secure_chroot_dir=/var/run/vsftpd/empty',
    'nopriv_user=nobody',
    // The seccomp sandbox and the network/PID namespaces vsftpd sets up by default fail in many
    // containers ("500 OOPS: prctl PR_SET_SECCOMP failed", "clone" errors).
    'seccomp_sandbox=NO',
    'isolate=NO',
    'isolate_network=NO',
    'pasv_enable=YES',
    `pasv_min_port=${pasv.min}`,
    `pasv_max_port=${pasv.max}`,
    `port_enable=${yn(o.active)}`,
    'connect_from_port_20=NO',
    o.maxPerIp === undefined ? 'max_per_ip=0' : `max_per_ip=${o.maxPerIp}`,
    ...(o.pasvAddress ? [`pasv_address=${o.pasvAddress}`, 'pasv_addr_resolve=NO'] : []),
    // vsftpd sleeps a second after each login by default; tests log in a lot.
    'delay_failed_login=0',
    'delay_successful_login=0',
    'dirmessage_enable=NO',
    'syslog_enable=NO',
    'xferlog_enable=YES',
    'dual_log_enable=YES',
    'xferlog_std_format=NO',
    `xferlog_file=${join(l.dir, 'xferlog')}`,
    `vsftpd_log_file=${l.logPath}`,
    // Every command and reply ("FTP command: …", "FTP response: …"); PASS shows as <password>.
    'log_ftp_protocol=YES',
  ];
  if (!o.plain) {
    lines.push(
      'ssl_enable=YES',
      `implicit_ssl=${yn(o.mode === 'implicit')}`,
      'allow_anon_ssl=NO',
      `rsa_cert_file=${l.certPath}`,
      `rsa_private_key_file=${l.keyPath}`,
      // 3.0.3's default cipher list is DES-CBC3-SHA, which OpenSSL 3 no longer offers.
      'ssl_ciphers=HIGH',
      'ssl_sslv2=NO',
      'ssl_sslv3=NO',
      'ssl_tlsv1=YES',
      'require_ssl_reuse=YES',
      'force_local_logins_ssl=YES',
      `force_local_data_ssl=${yn(!o.plainData)}`,
      // "SSL version: TLSv1.x, …, reused|not reused, …" per TLS connection.
      'debug_ssl=YES',
    );
    if (o.verifyClient !== undefined) {
      lines.push(
        'ssl_request_cert=YES',
        'require_cert=YES',
        'validate_cert=YES',
        `ca_certs_file=${o.verifyClient.caPath}`,
      );
    } else {
      lines.push('ssl_request_cert=NO', 'require_cert=NO');
    }
  }
  return lines.join('\n') + '\n';
}

function proftpdConfig(
  o: Resolved,
  l: Layout,
  port: number,
  pasv: { min: number; max: number },
): string {
  const f = (name: string) => join(l.dir, name);
  const lines = [
    'ServerType standalone',
    'ServerName "Ferry test ProFTPD"',
    'DefaultAddress 127.0.0.1',
    'SocketBindTight on',
    'UseIPv6 off',
    `Port ${port}`,
    `PassivePorts ${pasv.min} ${pasv.max}`,
    // The daemon drops to nobody; sessions run as the virtual user's uid/gid.
    'User nobody',
    'Group nogroup',
    'Umask 022',
    'MaxInstances 100',
    `PidFile ${f('proftpd.pid')}`,
    `ScoreboardFile ${f('proftpd.scoreboard')}`,
    `DelayTable ${f('proftpd.delay')}`,
    // mod_ctrls is built in and would otherwise create a socket under /run/proftpd.
    'ControlsEngine off',
    `ControlsSocket ${f('proftpd.ctrls')}`,
    'WtmpLog off',
    'UseLastlog off',
    'UseReverseDNS off',
    'UseFtpUsers off',
    'RequireValidShell off',
    'AuthOrder mod_auth_file.c',
    `AuthUserFile ${f('ftpd.passwd')}`,
    `AuthGroupFile ${f('ftpd.group')}`,
    'DefaultRoot ~',
    'AllowOverwrite on',
    'AllowStoreRestart on',
    'TimeoutIdle 600',
    o.maxPerIp === undefined ? '' : `MaxConnectionsPerHost ${o.maxPerIp}`,
    // Everything goes to one file: startup/errors, the TLS log ("client reused TLS session for
    // data connection") and one line per command with its reply (PASS shows as "(hidden)").
    `SystemLog ${l.logPath}`,
    `TransferLog ${f('xferlog')}`,
    'LogFormat ferry "%{iso8601} [%P] %a cmd=\\"%r\\" resp=\\"%s %S\\""',
    `ExtendedLog ${l.logPath} ALL ferry`,
  ];
  if (!o.active) lines.push('<Limit PORT EPRT>', '  DenyAll', '</Limit>');
  if (!o.plain) {
    const tlsOptions: string[] = [];
    if (o.mode === 'implicit') tlsOptions.push('UseImplicitSSL');
    const required = o.ccc ? (o.plainData ? 'auth' : 'auth+data') : o.plainData ? 'ctrl' : 'on';
    lines.push(
      `ModulePath ${BIN.proftpdModules}`,
      'LoadModule mod_tls.c',
      'TLSEngine on',
      `TLSLog ${l.logPath}`,
      `TLSProtocol ${o.tlsMax === '1.2' ? 'TLSv1.2' : 'TLSv1.2 TLSv1.3'}`,
      `TLSRequired ${required}`,
      `TLSRSACertificateFile ${l.certPath}`,
      `TLSRSACertificateKeyFile ${l.keyPath}`,
      'TLSRenegotiate none',
      // Session reuse on data connections stays required (no NoSessionReuseRequired).
      tlsOptions.length > 0 ? `TLSOptions ${tlsOptions.join(' ')}` : '',
    );
    if (o.verifyClient !== undefined) {
      lines.push('TLSVerifyClient on', `TLSCACertificateFile ${o.verifyClient.caPath}`);
    } else {
      lines.push('TLSVerifyClient off');
    }
  }
  if (o.digest) {
    // FEAT: "HASH CRC32;MD5;SHA-1*;SHA-256;SHA-512;" (SHA-1 until OPTS HASH), XCRC, XMD5, XSHA*.
    if (o.plain) lines.push(`ModulePath ${BIN.proftpdModules}`);
    lines.push('LoadModule mod_digest.c', 'DigestEngine on');
    if (o.digestMaxSize !== undefined) lines.push(`DigestMaxSize ${o.digestMaxSize}`);
  }
  return lines.filter((x) => x !== '').join('\n') + '\n';
}

function pureftpdArgs(
  o: Resolved,
  l: Layout,
  port: number,
  pasv: { min: number; max: number },
): string[] {
  const args = [
    '-S',
    `127.0.0.1,${port}`,
    '-l',
    `puredb:${join(l.dir, 'pureftpd.pdb')}`,
    '-E', // no anonymous logins
    '-H', // no reverse DNS
    '-A', // chroot everyone
    '-d', // log every command: "[DEBUG] Command [user] [ferrytest]"; PASS shows as <*>
    '-1', // pid in log lines
    '-p',
    `${pasv.min}:${pasv.max}`,
    '-g',
    join(l.dir, 'pure-ftpd.pid'),
    '-U',
    '133:022', // files 644, folders 755
    '-c',
    '100',
  ];
  if (o.maxPerIp !== undefined) args.push('-C', String(o.maxPerIp));
  if (o.plain) {
    args.push('-Y', '0');
  } else {
    // 2: TLS required on the control connection; 3: on data connections too.
    args.push('-Y', o.plainData ? '2' : '3', '-2', `${l.certPath},${l.keyPath}`);
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// Readiness

/**
 * Connects like a client would before logging in: reads the 220 (over TLS for implicit), for
 * explicit TLS also does AUTH TLS and a handshake (so a bad certificate or TLS setting fails
 * here, not in the test), then QUIT. Returns null when nothing listens yet.
 */
async function probe(port: number, o: Resolved): Promise<'ok' | null> {
  const implicit = !o.plain && o.mode === 'implicit';
  const clientCertRequired = o.verifyClient !== undefined;
  const explicitTls = !o.plain && o.mode === 'explicit';
  return new Promise((res, rej) => {
    let settled = false;
    const finish = (err: Error | null, value: 'ok' | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err !== null) rej(err);
      else res(value);
    };
    const timer = setTimeout(
      () => finish(new Error('no reply from the server within 5 s'), null),
      5000,
    );
    let sock: net.Socket | tls.TLSSocket;
    let stage: 'banner' | 'auth' | 'quit' = 'banner';
    let buf = '';
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('latin1');
      for (;;) {
        const idx = buf.indexOf('\n');
        if (idx < 0) return;
        const line = buf.slice(0, idx).replace(/\r$/, '');
        buf = buf.slice(idx + 1);
        const m = /^(\d{3}) /.exec(line);
        if (m === null) continue; // continuation of a multi-line reply
        const code = m[1];
        if (stage === 'banner') {
          if (code !== '220') return finish(new Error(`unexpected greeting: ${line}`), null);
          if (explicitTls) {
            stage = 'auth';
            sock.write('AUTH TLS\r\n');
          } else {
            stage = 'quit';
            sock.write('QUIT\r\n');
          }
        } else if (stage === 'auth') {
          if (code !== '234') return finish(new Error(`AUTH TLS refused: ${line}`), null);
          sock.removeListener('data', onData);
          const secure = tls.connect({ socket: sock, rejectUnauthorized: false });
          secure.once('secureConnect', () => {
            stage = 'quit';
            buf = '';
            secure.on('data', onData);
            secure.write('QUIT\r\n');
          });
          secure.once('error', (e: Error) =>
            // Without a client certificate the handshake must fail when one is required; the
            // server answered AUTH TLS, which is all this probe needs to know.
            clientCertRequired
              ? finish(null, 'ok')
              : finish(new Error(`TLS handshake failed: ${e.message}`), null),
          );
          secure.once('close', () => finish(null, 'ok'));
          sock = secure;
          return;
        } else {
          // Any reply to QUIT will do; wait for the server to close.
        }
      }
    };
    let connected = false;
    const onConnectError = (e: NodeJS.ErrnoException): void => {
      if (!connected && (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET')) {
        finish(null, null);
      } else if (implicit && connected && clientCertRequired) {
        finish(null, 'ok'); // see AUTH TLS above
      } else {
        finish(e, null);
      }
    };
    if (implicit) {
      sock = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    } else {
      sock = net.connect({ host: '127.0.0.1', port });
    }
    sock.once('connect', () => {
      connected = true;
    });
    sock.once('error', onConnectError);
    sock.on('data', onData);
    sock.once('close', () => {
      if (stage === 'quit') finish(null, 'ok');
      else if (stage === 'banner') finish(null, null);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Start / stop

/** Written into each server folder, so a later process can clean up after one that died
 * without stopping its servers (a worker killed with SIGKILL runs no exit handler). */
interface OwnerRecord {
  owner: number;
  ownerStart: string;
  server: number;
  serverStart: string;
  pasvLock: string;
}

const DIR_PREFIX = /^ferry-(vsftpd|proftpd|pureftpd)-/;
let swept: Promise<void> | undefined;

/**
 * Stops servers (and removes their folders) whose owning process died without stopping them.
 * startServer runs it once per process.
 */
export async function cleanupOrphans(): Promise<void> {
  const base = tmpdir();
  const names = await readdir(base).catch(() => [] as string[]);
  for (const name of names) {
    if (!DIR_PREFIX.test(name)) continue;
    const dir = join(base, name);
    const raw = await readFile(join(dir, 'owner.json'), 'utf8').catch(() => undefined);
    if (raw === undefined) {
      // No record: a start that failed hard, or one in progress right now (leave those).
      const age = Date.now() - ((await stat(dir).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age > 10 * 60_000) await rm(dir, { recursive: true, force: true });
      continue;
    }
    let rec: OwnerRecord;
    try {
      rec = JSON.parse(raw) as OwnerRecord;
    } catch {
      continue;
    }
    if (startTime(rec.owner) === rec.ownerStart) continue; // its owner still runs
    if (startTime(rec.server) === rec.serverStart) {
      for (const p of descendants(rec.server)) signal(p, 'SIGKILL');
      signal(-rec.server, 'SIGKILL');
      signal(rec.server, 'SIGKILL');
    }
    await unlink(rec.pasvLock).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

interface Handle {
  child: ChildProcess;
  stop(): Promise<void>;
  killNowSync(): void;
}

const runningServers = new Set<Handle>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  // Last resort when a test forgot stop()/stopAll(): kill synchronously as the process exits.
  process.on('exit', () => {
    for (const h of runningServers) h.killNowSync();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      for (const h of runningServers) h.killNowSync();
      process.removeListener(sig, handler);
      process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}

function safeJoin(root: string, relPath: string): string {
  const target = resolve(root, '.' + sep + relPath.replace(/^\/+/, ''));
  const rel = relative(root, target);
  if (rel.startsWith('..') || resolve(root, rel) !== target) {
    throw new Error(`path escapes the server root: ${relPath}`);
  }
  return target;
}

function resolveOptions(opts: StartServerOptions): Resolved {
  const plain = opts.plain === true;
  if (
    opts.allowPlainData !== undefined &&
    opts.requireTlsOnData !== undefined &&
    opts.allowPlainData === opts.requireTlsOnData
  ) {
    throw new Error('allowPlainData and requireTlsOnData contradict each other');
  }
  const plainData = opts.allowPlainData ?? opts.requireTlsOnData === false;
  const r: Resolved = {
    kind: opts.kind,
    mode: opts.mode,
    tlsMax: opts.tlsMax,
    plain,
    plainData,
    ccc: opts.ccc === true,
    digest: opts.digest === true,
    digestMaxSize: opts.digestMaxSize,
    verifyClient: opts.verifyClient,
    maxPerIp: opts.maxPerIp,
    active: opts.active === true,
    cert: opts.cert ?? 'self-signed',
    pasvAddress: opts.pasvAddress,
  };
  if (r.pasvAddress !== undefined && r.kind !== 'vsftpd') {
    throw new Error('pasvAddress is only supported for vsftpd');
  }
  if (plain && opts.mode === 'implicit') throw new Error('a plain server cannot be implicit');
  if (r.kind === 'pureftpd' && !plain && r.mode === 'implicit') {
    throw new Error('pure-ftpd (Debian build) has no implicit TLS; use mode "explicit"');
  }
  if (r.ccc && r.kind !== 'proftpd') throw new Error('ccc is only available with ProFTPD');
  if (r.ccc && plain) throw new Error('ccc needs TLS');
  if (r.digest && r.kind !== 'proftpd') throw new Error('digest is only available with ProFTPD');
  if (r.digestMaxSize !== undefined && !r.digest) throw new Error('digestMaxSize needs digest');
  if (r.verifyClient !== undefined && r.kind === 'pureftpd') {
    throw new Error('verifyClient is not supported for pure-ftpd');
  }
  if (r.maxPerIp !== undefined && (!Number.isInteger(r.maxPerIp) || r.maxPerIp < 1)) {
    throw new Error('maxPerIp must be a positive integer');
  }
  return r;
}

/** Starts a server and resolves once it has answered a client (see probe). */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  serverAvailable(opts.kind);
  const o = resolveOptions(opts);
  const acct = ftpAccount() as FtpAccount;
  swept ??= cleanupOrphans();
  await swept;
  let lastError: Error | undefined;
  // A port found free can be taken before the server binds it; try again with another.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(o, acct);
    } catch (err) {
      lastError = err as Error;
      if (!/address already in use|could not bind|unable to bind/i.test(lastError.message)) break;
    }
  }
  throw lastError ?? new Error('server did not start');
}

async function startOnce(o: Resolved, acct: FtpAccount): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), `ferry-${o.kind}-`));
  // The ftp account must traverse into root; ProFTPD refuses logs in world-writable folders.
  await chmod(dir, 0o711);
  const root = join(dir, 'root');
  await mkdir(root);
  await chown(root, acct.uid, acct.gid);
  await chmod(root, 0o755);

  const layout: Layout = {
    dir,
    root,
    logPath: join(dir, `${o.kind}.log`),
    certPath: join(dir, 'server.crt'),
    keyPath: join(dir, 'server.key'),
    opensslConf: join(dir, 'openssl.cnf'),
  };
  let certPem = '';
  let fp = '';
  let pasvLock: string | undefined;
  let sink: LogSink | undefined;
  let child: ChildProcess | undefined;

  const cleanupFailed = async (): Promise<void> => {
    if (child?.pid !== undefined) {
      for (const p of descendants(child.pid)) signal(p, 'SIGKILL');
      signal(-child.pid, 'SIGKILL');
      signal(child.pid, 'SIGKILL');
      const c = child;
      await waitUntil(() => c.exitCode !== null || c.signalCode !== null, 3000);
    }
    await sink?.close().catch(() => undefined);
    if (pasvLock !== undefined) await unlink(pasvLock).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    if (!o.plain) {
      const cert = await resolveCert(o.cert);
      // Own copies: vsftpd rereads them for every session, and the shared set may go away.
      await Promise.all([
        copyFile(cert.certPath, layout.certPath),
        copyFile(cert.keyPath, layout.keyPath),
      ]);
      await chmod(layout.keyPath, 0o600);
      certPem = cert.certPem;
      fp = cert.fingerprint256;
    }
    await writeFile(layout.opensslConf, opensslConf(o.tlsMax));
    await writeFile(layout.logPath, '');

    const pasv = await claimPasvRange();
    pasvLock = pasv.lockPath;
    const port = await freePort();
    const env = { ...process.env, OPENSSL_CONF: layout.opensslConf };
    let cmd: string;
    let args: string[];

    switch (o.kind) {
      case 'vsftpd': {
        // /run is often a tmpfs: the folder provision made may be gone after a reboot.
        await mkdir('/var/run/vsftpd/empty', { recursive: true });
        const conf = join(dir, 'vsftpd.conf');
        await writeFile(conf, vsftpdConfig(o, layout, port, pasv));
        cmd = BIN.vsftpd;
        args = [conf];
        break;
      }
      case 'proftpd': {
        const hash = await ftpPasswordHash();
        await writeFile(
          join(dir, 'ftpd.passwd'),
          `${FTP_USER}:${hash}:${acct.uid}:${acct.gid}::${root}:/usr/sbin/nologin\n`,
          { mode: 0o600 },
        );
        await writeFile(join(dir, 'ftpd.group'), `${FTP_USER}:x:${acct.gid}:\n`, { mode: 0o600 });
        const conf = join(dir, 'proftpd.conf');
        await writeFile(conf, proftpdConfig(o, layout, port, pasv));
        cmd = BIN.proftpd;
        args = ['-n', '-c', conf];
        break;
      }
      case 'pureftpd': {
        const hash = await ftpPasswordHash();
        const passwd = join(dir, 'pureftpd.passwd');
        await writeFile(
          passwd,
          `${FTP_USER}:${hash}:${acct.uid}:${acct.gid}::${root}/./::::::::::::\n`,
          { mode: 0o600 },
        );
        await execFileAsync(BIN.purePw, ['mkdb', join(dir, 'pureftpd.pdb'), '-f', passwd]);
        const pureArgs = pureftpdArgs(o, layout, port, pasv);
        if (mountNamespaces()) {
          const sockPath = join(dir, 'log.sock');
          sink = await startSyslogSink(sockPath, layout.logPath);
          const wrapper = join(dir, 'syslog-ns.sh');
          await writeFile(wrapper, PUREFTPD_WRAPPER);
          cmd = 'unshare';
          args = ['--mount', '--propagation', 'private', 'sh', wrapper, dir, BIN.pureftpd];
          args.push(...pureArgs);
        } else {
          await writeFile(
            layout.logPath,
            'pure-ftpd logs only to syslog and mount namespaces are unavailable here: no log\n',
          );
          cmd = BIN.pureftpd;
          args = pureArgs;
        }
        break;
      }
    }

    const output: string[] = [];
    const proc = spawn(cmd, args, {
      cwd: dir,
      env,
      // Own process group, so stop() can signal the daemon and its session processes together.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const collect = (chunk: Buffer): void => {
      if (output.join('').length < 64 * 1024) output.push(chunk.toString('utf8'));
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    if (proc.pid !== undefined) {
      const rec: OwnerRecord = {
        owner: process.pid,
        ownerStart: startTime(process.pid) ?? '',
        server: proc.pid,
        serverStart: startTime(proc.pid) ?? '',
        pasvLock: pasv.lockPath,
      };
      await writeFile(join(dir, 'owner.json'), JSON.stringify(rec) + '\n');
    }
    let spawnError: Error | undefined;
    proc.once('error', (e) => {
      spawnError = e;
    });
    const exited = (): boolean =>
      spawnError !== undefined || proc.exitCode !== null || proc.signalCode !== null;

    const describeDeath = async (why: string): Promise<Error> => {
      const log = await readFile(layout.logPath, 'utf8').catch(() => '');
      return new Error(
        `${o.kind} ${why}` +
          (spawnError !== undefined ? `: ${spawnError.message}` : '') +
          (proc.exitCode !== null ? ` (exit code ${proc.exitCode})` : '') +
          (proc.signalCode !== null ? ` (signal ${proc.signalCode})` : '') +
          `\n--- output ---\n${output.join('').trim()}\n--- log (tail) ---\n${log
            .split('\n')
            .slice(-30)
            .join('\n')}`,
      );
    };

    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (exited()) throw await describeDeath('exited during startup');
      if (Date.now() > deadline) throw await describeDeath('did not accept connections in time');
      let result: 'ok' | null;
      try {
        result = await probe(port, o);
      } catch (err) {
        if (exited()) throw await describeDeath('exited during startup');
        throw await describeDeath(`failed the startup probe: ${(err as Error).message}`);
      }
      if (result === 'ok') break;
      await sleep(50);
    }
    // Let the probe's session end, so it never counts against maxPerIp and its log lines are
    // written before the sinceReady mark.
    const pid = proc.pid as number;
    await waitUntil(() => descendants(pid).every((p) => !running(p)), 3000);
    if (sink !== undefined) await waitForStableSize(layout.logPath);
    const readyOffset = (await stat(layout.logPath)).size;

    let stopping: Promise<void> | undefined;
    const lock = pasvLock;
    const logSink = sink;
    const handle: Handle = {
      child: proc,
      stop: () => {
        stopping ??= (async () => {
          await terminate(proc);
          await logSink?.close().catch(() => undefined);
          await unlink(lock).catch(() => undefined);
          await rm(dir, { recursive: true, force: true });
          runningServers.delete(handle);
        })();
        return stopping;
      },
      killNowSync: () => {
        for (const p of descendants(pid)) signal(p, 'SIGKILL');
        signal(-pid, 'SIGKILL');
        signal(pid, 'SIGKILL');
        try {
          unlinkSync(lock);
        } catch {
          // gone
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
    runningServers.add(handle);
    installExitHooks();

    const readLog = async (options?: ReadLogOptions): Promise<string> => {
      const buf = await readFile(layout.logPath);
      return (options?.sinceReady === true ? buf.subarray(readyOffset) : buf).toString('utf8');
    };

    return {
      kind: o.kind,
      mode: o.mode,
      tlsMax: o.tlsMax,
      plain: o.plain,
      host: '127.0.0.1',
      port,
      user: FTP_USER,
      password: FTP_PASSWORD,
      root,
      uid: acct.uid,
      gid: acct.gid,
      certPem,
      certPath: o.plain ? '' : layout.certPath,
      fingerprint256: fp,
      pasvPorts: { min: pasv.min, max: pasv.max },
      dir,
      pid,
      logPath: layout.logPath,
      readLog,
      waitForLog: async (pattern, timeoutMs = 5000) => {
        const test = (s: string): boolean =>
          typeof pattern === 'string' ? s.includes(pattern) : pattern.test(s);
        const end = Date.now() + timeoutMs;
        for (;;) {
          const log = await readLog();
          if (test(log)) return log;
          if (Date.now() > end) {
            throw new Error(
              `${o.kind} log never matched ${String(pattern)}; tail:\n` +
                log.split('\n').slice(-20).join('\n'),
            );
          }
          await sleep(50);
        }
      },
      path: (relPath) => safeJoin(root, relPath),
      writeFile: async (relPath, data) => {
        const target = safeJoin(root, relPath);
        await mkdirOwned(root, dirname(target), acct);
        await writeFile(target, data);
        await chown(target, acct.uid, acct.gid);
        return target;
      },
      mkdir: async (relPath) => {
        const target = safeJoin(root, relPath);
        await mkdirOwned(root, target, acct);
        return target;
      },
      stop: () => handle.stop(),
    };
  } catch (err) {
    await cleanupFailed();
    throw err;
  }
}

async function mkdirOwned(root: string, target: string, acct: FtpAccount): Promise<void> {
  const rel = relative(root, target);
  if (rel === '') return;
  let current = root;
  for (const part of rel.split(sep)) {
    current = join(current, part);
    try {
      await mkdir(current);
      await chown(current, acct.uid, acct.gid);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

async function waitForStableSize(path: string): Promise<void> {
  let last = -1;
  for (let i = 0; i < 20; i++) {
    const size = (await stat(path)).size;
    if (size === last) return;
    last = size;
    await sleep(50);
  }
}

/** Gone from the process table (zombies still count as present: pgrep lists them). */
function gone(pid: number): boolean {
  return readStat(pid) === undefined;
}

/**
 * Stops a server and everything it forked. Session processes go first, leaves before their
 * parents, while the daemon still lives to reap them: an orphan is left to init, which may be
 * slow to reap it (a zombie that pgrep still lists). Then the daemon's process group; SIGKILL
 * for anything still there after a grace period.
 */
async function terminate(proc: ChildProcess): Promise<void> {
  const pid = proc.pid;
  if (pid === undefined) return;
  const done = (): boolean => proc.exitCode !== null || proc.signalCode !== null;
  const seen = new Set<number>();
  for (let round = 0; round < 6; round++) {
    const all = descendants(pid).filter(running);
    if (all.length === 0) break;
    all.forEach((p) => seen.add(p));
    const parents = new Set(all.map((p) => readStat(p)?.ppid));
    const leaves = all.filter((p) => !parents.has(p));
    for (const p of leaves) signal(p, round < 3 ? 'SIGTERM' : 'SIGKILL');
    await waitUntil(() => leaves.every(gone), 500, 10);
  }
  if (!done()) {
    signal(-pid, 'SIGTERM');
    signal(pid, 'SIGTERM');
    if (!(await waitUntil(done, 3000))) {
      signal(-pid, 'SIGKILL');
      signal(pid, 'SIGKILL');
      await waitUntil(done, 3000);
    }
  }
  const stragglers = [...seen].filter(running);
  for (const p of stragglers) signal(p, 'SIGKILL');
  // Orphans are reaped by init; give it a moment so they do not show up as zombies.
  await waitUntil(() => [...seen].every(gone), 2000);
}

/** Stops every server this process started (for afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all([...runningServers].map((h) => h.stop()));
}
