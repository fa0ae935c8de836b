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
//
// Layout: types.ts (options, RunningServer), environment.ts (root, account, binaries,
// certificate), ports.ts, processes.ts, lifecycle.ts (stop, exit hooks, orphans), probe.ts
// (readiness), running.ts (what a test gets), one module per server (vsftpd.ts, proftpd.ts,
// pureftpd.ts) and this file, which starts them.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmod,
  chown,
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ftpAccount, opensslConf, resolveCert, serverAvailable } from './environment';
import { assertServersAllowed } from './lane';
import { cleanupOrphans, registerServer, writeOwnerRecord } from './lifecycle';
import { claimPasvRange, freePort } from './ports';
import { descendants, killTreeNow, running, sleep, waitUntil } from './processes';
import { probe } from './probe';
import { PROFTPD_LOG_PATTERNS, prepareProftpd } from './proftpd';
import { PUREFTPD_LOG_PATTERNS, preparePureftpd } from './pureftpd';
import { runningServer } from './running';
import type {
  FtpAccount,
  Launch,
  Layout,
  LogSink,
  PasvRange,
  Resolved,
  RunningServer,
  ServerKind,
  ServerLogPatterns,
  StartServerOptions,
} from './types';
import { VSFTPD_LOG_PATTERNS, prepareVsftpd } from './vsftpd';

export { FTP_PASSWORD, FTP_USER, SERVERS_ROOT, serverAvailable } from './environment';
export { cleanupOrphans, stopAll } from './lifecycle';
export { freePort } from './ports';
export {
  SERVER_KINDS,
  type ReadLogOptions,
  type RunningServer,
  type ServerCertChoice,
  type ServerKind,
  type ServerLogPatterns,
  type StartServerOptions,
  type TlsMax,
  type TlsMode,
} from './types';

export const LOG_PATTERNS: Record<ServerKind, ServerLogPatterns> = {
  vsftpd: VSFTPD_LOG_PATTERNS,
  proftpd: PROFTPD_LOG_PATTERNS,
  pureftpd: PUREFTPD_LOG_PATTERNS,
};

const START_TIMEOUT_MS = 15_000;
let swept: Promise<void> | undefined;

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
  assertServersAllowed(`a ${opts.kind} test server`);
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

/** What is left to undo when a start fails halfway. */
interface StartedSoFar {
  pasvLock?: string;
  sink?: LogSink;
  child?: ChildProcess;
}

async function startOnce(o: Resolved, acct: FtpAccount): Promise<RunningServer> {
  const layout = await makeLayout(o.kind, acct);
  const partial: StartedSoFar = {};
  try {
    const cert = o.plain ? { certPem: '', fingerprint256: '' } : await installCert(o, layout);
    await writeFile(layout.opensslConf, opensslConf(o.tlsMax));
    await writeFile(layout.logPath, '');

    const pasv = await claimPasvRange();
    partial.pasvLock = pasv.lockPath;
    const port = await freePort();
    const launch = await prepare(o, layout, port, pasv, acct);
    partial.sink = launch.sink;
    const spawned = spawnServer(o.kind, launch, layout);
    const proc = spawned.proc;
    partial.child = proc;
    if (proc.pid !== undefined) await writeOwnerRecord(layout.dir, proc.pid, pasv.lockPath);
    await waitReady(port, o, spawned);

    // Let the probe's session end, so it never counts against maxPerIp and its log lines are
    // written before the sinceReady mark.
    const pid = proc.pid as number;
    await waitUntil(() => descendants(pid).every((p) => !running(p)), 3000);
    if (launch.sink !== undefined) await waitForStableSize(layout.logPath);
    const readyOffset = (await stat(layout.logPath)).size;
    const handle = registerServer(proc, layout.dir, pasv.lockPath, launch.sink);
    return runningServer({ o, layout, acct, port, pasv, ...cert, readyOffset, pid, handle });
  } catch (err) {
    await cleanupFailed(layout.dir, partial);
    throw err;
  }
}

async function makeLayout(kind: ServerKind, acct: FtpAccount): Promise<Layout> {
  const dir = await mkdtemp(join(tmpdir(), `ferry-${kind}-`));
  // The ftp account must traverse into root; ProFTPD refuses logs in world-writable folders.
  await chmod(dir, 0o711);
  const root = join(dir, 'root');
  await mkdir(root);
  await chown(root, acct.uid, acct.gid);
  await chmod(root, 0o755);
  return {
    dir,
    root,
    logPath: join(dir, `${kind}.log`),
    certPath: join(dir, 'server.crt'),
    keyPath: join(dir, 'server.key'),
    opensslConf: join(dir, 'openssl.cnf'),
  };
}

async function installCert(
  o: Resolved,
  layout: Layout,
): Promise<{ certPem: string; fingerprint256: string }> {
  const cert = await resolveCert(o.cert);
  // Own copies: vsftpd rereads them for every session, and the shared set may go away.
  await Promise.all([
    copyFile(cert.certPath, layout.certPath),
    copyFile(cert.keyPath, layout.keyPath),
  ]);
  await chmod(layout.keyPath, 0o600);
  return { certPem: cert.certPem, fingerprint256: cert.fingerprint256 };
}

function prepare(
  o: Resolved,
  layout: Layout,
  port: number,
  pasv: PasvRange,
  acct: FtpAccount,
): Promise<Launch> {
  switch (o.kind) {
    case 'vsftpd':
      return prepareVsftpd(o, layout, port, pasv);
    case 'proftpd':
      return prepareProftpd(o, layout, port, pasv, acct);
    case 'pureftpd':
      return preparePureftpd(o, layout, port, pasv, acct);
  }
}

async function cleanupFailed(dir: string, partial: StartedSoFar): Promise<void> {
  const child = partial.child;
  if (child?.pid !== undefined) {
    killTreeNow(child.pid);
    await waitUntil(() => child.exitCode !== null || child.signalCode !== null, 3000);
  }
  await partial.sink?.close().catch(() => undefined);
  if (partial.pasvLock !== undefined) await unlink(partial.pasvLock).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}

interface Spawned {
  proc: ChildProcess;
  exited: () => boolean;
  /** An error with the server's output and log tail, for a start that failed. */
  describeDeath: (why: string) => Promise<Error>;
}

function spawnServer(kind: ServerKind, launch: Launch, layout: Layout): Spawned {
  const output: string[] = [];
  const proc = spawn(launch.cmd, launch.args, {
    cwd: layout.dir,
    env: { ...process.env, OPENSSL_CONF: layout.opensslConf },
    // Own process group, so stop() can signal the daemon and its session processes together.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer): void => {
    if (output.join('').length < 64 * 1024) output.push(chunk.toString('utf8'));
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  let spawnError: Error | undefined;
  proc.once('error', (e) => {
    spawnError = e;
  });
  const exited = (): boolean =>
    spawnError !== undefined || proc.exitCode !== null || proc.signalCode !== null;

  const describeDeath = async (why: string): Promise<Error> => {
    const log = await readFile(layout.logPath, 'utf8').catch(() => '');
    return new Error(
      `${kind} ${why}` +
        (spawnError !== undefined ? `: ${spawnError.message}` : '') +
        (proc.exitCode !== null ? ` (exit code ${proc.exitCode})` : '') +
        (proc.signalCode !== null ? ` (signal ${proc.signalCode})` : '') +
        `\n--- output ---\n${output.join('').trim()}\n--- log (tail) ---\n${log
          .split('\n')
          .slice(-30)
          .join('\n')}`,
    );
  };
  return { proc, exited, describeDeath };
}

async function waitReady(port: number, o: Resolved, spawned: Spawned): Promise<void> {
  const { exited, describeDeath } = spawned;
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
    if (result === 'ok') return;
    await sleep(50);
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
