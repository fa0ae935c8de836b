// pure-ftpd 1.0.50 (Debian, unpacked by provision-servers.sh): configured by its arguments, users
// in a puredb built with pure-pw, and a log only through syslog, which we capture (see
// PUREFTPD_WRAPPER).
import { execFile, spawnSync } from 'node:child_process';
import { chmod, open, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, FTP_USER, ftpPasswordHash, onPath } from './environment';
import type {
  FtpAccount,
  Launch,
  Layout,
  LogSink,
  PasvRange,
  Resolved,
  ServerLogPatterns,
} from './types';

const execFileAsync = promisify(execFile);

export const PUREFTPD_LOG_PATTERNS: ServerLogPatterns = {
  // Nov 23 13:05:01 pure-ftpd[1234]: (?@127.0.0.1) [DEBUG] Command [user] [ferrytest]
  userReceived: /\[DEBUG\] Command \[user\] /,
  dataTlsReused: null,
  dataTlsRejected: null,
};

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

function pureftpdArgs(o: Resolved, l: Layout, port: number, pasv: PasvRange): string[] {
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

export async function preparePureftpd(
  o: Resolved,
  layout: Layout,
  port: number,
  pasv: PasvRange,
  acct: FtpAccount,
): Promise<Launch> {
  const { dir, root } = layout;
  const hash = await ftpPasswordHash();
  const passwd = join(dir, 'pureftpd.passwd');
  await writeFile(passwd, `${FTP_USER}:${hash}:${acct.uid}:${acct.gid}::${root}/./::::::::::::\n`, {
    mode: 0o600,
  });
  await execFileAsync(BIN.purePw, ['mkdb', join(dir, 'pureftpd.pdb'), '-f', passwd]);
  const pureArgs = pureftpdArgs(o, layout, port, pasv);
  if (!mountNamespaces()) {
    await writeFile(
      layout.logPath,
      'pure-ftpd logs only to syslog and mount namespaces are unavailable here: no log\n',
    );
    return { cmd: BIN.pureftpd, args: pureArgs };
  }
  const sink = await startSyslogSink(join(dir, 'log.sock'), layout.logPath);
  const wrapper = join(dir, 'syslog-ns.sh');
  try {
    await writeFile(wrapper, PUREFTPD_WRAPPER);
  } catch (err) {
    await sink.close().catch(() => undefined);
    throw err;
  }
  const args = ['--mount', '--propagation', 'private', 'sh', wrapper, dir, BIN.pureftpd];
  args.push(...pureArgs);
  return { cmd: 'unshare', args, sink };
}
