// The RunningServer a test gets: connection details, the server's log, and files under its root
// owned by the FTP account.
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { FTP_PASSWORD, FTP_USER } from './environment';
import type { Handle } from './lifecycle';
import { sleep } from './processes';
import type {
  FtpAccount,
  Layout,
  PasvRange,
  ReadLogOptions,
  Resolved,
  RunningServer,
} from './types';

export interface Started {
  o: Resolved;
  layout: Layout;
  acct: FtpAccount;
  port: number;
  pasv: PasvRange;
  /** PEM and SHA-256 fingerprint of the presented certificate ('' for plain servers). */
  certPem: string;
  fingerprint256: string;
  /** Log size once the readiness probe's session had ended (see ReadLogOptions.sinceReady). */
  readyOffset: number;
  pid: number;
  handle: Handle;
}

export function runningServer(s: Started): RunningServer {
  const { o, layout, acct } = s;
  const { root } = layout;
  const readLog = async (options?: ReadLogOptions): Promise<string> => {
    const buf = await readFile(layout.logPath);
    return (options?.sinceReady === true ? buf.subarray(s.readyOffset) : buf).toString('utf8');
  };
  return {
    kind: o.kind,
    mode: o.mode,
    tlsMax: o.tlsMax,
    plain: o.plain,
    host: '127.0.0.1',
    port: s.port,
    user: FTP_USER,
    password: FTP_PASSWORD,
    root,
    uid: acct.uid,
    gid: acct.gid,
    certPem: s.certPem,
    certPath: o.plain ? '' : layout.certPath,
    fingerprint256: s.fingerprint256,
    pasvPorts: { min: s.pasv.min, max: s.pasv.max },
    dir: layout.dir,
    pid: s.pid,
    logPath: layout.logPath,
    readLog,
    waitForLog: async (pattern, timeoutMs = 5000) => {
      const test = (text: string): boolean =>
        typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
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
    stop: () => s.handle.stop(),
  };
}

function safeJoin(root: string, relPath: string): string {
  const target = resolve(root, '.' + sep + relPath.replace(/^\/+/, ''));
  const rel = relative(root, target);
  if (rel.startsWith('..') || resolve(root, rel) !== target) {
    throw new Error(`path escapes the server root: ${relPath}`);
  }
  return target;
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
