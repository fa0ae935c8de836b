// A scriptable hostile (or merely broken) FTPS server for tests. It speaks enough FTP for the
// engine, the queue and the CLI to log in, list, download and upload, and lets a test decide,
// command by command, where it lies: arbitrary listing names (MLSD and LIST), silence on a chosen
// command, data connections cut with or without TLS close_notify, a SIZE that lies, REST refused,
// replies carrying escape sequences. It binds 127.0.0.1 only; stop() ends every socket it opened.
import { Duplex } from 'node:stream';
import net from 'node:net';
import tls from 'node:tls';
import { getSharedCerts } from '../servers/certs';
import { assertServersAllowed } from '../servers/lane';

import type { HostileScript, HostileServer, RetrPlan } from './script';

export type { HookAnswer, HostileMode, HostileScript, HostileServer, RetrPlan } from './script';

const DEFAULT_FEATURES = [
  'UTF8',
  'MLST type*;size*;modify*;',
  'SIZE',
  'MDTM',
  'REST STREAM',
  'EPSV',
];

/** Lets a TLS layer write through, so the raw TCP socket can be ended without close_notify. */
class RawCarrier extends Duplex {
  constructor(readonly raw: net.Socket) {
    super();
    raw.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) raw.pause();
    });
    raw.on('end', () => this.push(null));
    raw.on('error', (error) => this.destroy(error));
  }
  override _read(): void {
    this.raw.resume();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (e?: Error | null) => void): void {
    if (this.raw.destroyed) callback();
    else this.raw.write(chunk, () => callback());
  }
  override _final(callback: () => void): void {
    this.raw.end();
    callback();
  }
  override _destroy(error: Error | null, callback: (e?: Error | null) => void): void {
    this.raw.destroy();
    callback(error);
  }
}

function normalize(path: string, cwd: string): string {
  const joined = path.startsWith('/') ? path : `${cwd === '/' ? '' : cwd}/${path}`;
  const out: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

function mdtm(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

// eslint-disable-next-line max-lines-per-function -- a test double: one closure holds the virtual file system and every socket, so stop() can end them all
export async function startHostileServer(script: HostileScript = {}): Promise<HostileServer> {
  assertServersAllowed('the hostile test server');
  const certs = await getSharedCerts();
  const secureContext = tls.createSecureContext({
    cert: certs.selfSigned.certPem,
    key: certs.selfSigned.keyPem,
  });
  const mode = script.mode ?? 'explicit';
  const files = new Map<string, Buffer>();
  for (const [path, content] of Object.entries(script.files ?? {})) {
    files.set(normalize(path, '/'), Buffer.from(content));
  }
  const dirs = new Set<string>(['/', ...(script.dirs ?? []).map((d) => normalize(d, '/'))]);
  for (const path of files.keys()) {
    let parent = path;
    while (parent !== '/') {
      parent = parent.slice(0, parent.lastIndexOf('/')) || '/';
      dirs.add(parent);
    }
  }
  const modified = new Date(Date.UTC(2026, 0, 15, 10, 30, 0));
  const sockets = new Set<net.Socket | net.Server>();
  const commands: string[] = [];

  const children = (dir: string): Array<{ name: string; dir: boolean; size: number }> => {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const out = new Map<string, { name: string; dir: boolean; size: number }>();
    for (const d of dirs) {
      if (d !== dir && d.startsWith(prefix) && !d.slice(prefix.length).includes('/')) {
        out.set(d, { name: d.slice(prefix.length), dir: true, size: 0 });
      }
    }
    for (const [f, content] of files) {
      if (f.startsWith(prefix) && !f.slice(prefix.length).includes('/')) {
        out.set(f, { name: f.slice(prefix.length), dir: false, size: content.length });
      }
    }
    return [...out.values()];
  };

  const listLines = (dir: string, all: boolean): string[] => {
    const raw = script.listLines?.[dir];
    if (raw) return raw;
    const hide = (script.listHidesDotfiles ?? true) && !all;
    return children(dir)
      .filter((c) => !(hide && c.name.startsWith('.')))
      .map(
        (c) =>
          `${c.dir ? 'd' : '-'}rw-r--r--    1 1000     1000     ${String(c.size).padStart(8)} ${MONTHS[modified.getUTCMonth()]} ${String(modified.getUTCDate()).padStart(2)} 10:30 ${c.name}`,
      );
  };

  const mlsdLines = (dir: string): string[] =>
    script.mlsdLines?.[dir] ??
    children(dir).map(
      (c) => `type=${c.dir ? 'dir' : 'file'};size=${c.size};modify=${mdtm(modified)}; ${c.name}`,
    );

  const server = net.createServer((raw) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    raw.on('error', () => undefined);
    void session(raw);
  });

  // eslint-disable-next-line max-lines-per-function -- one FTP session's command loop, read top to bottom like the protocol; each verb shares the session's state
  async function session(raw: net.Socket): Promise<void> {
    let stream: Duplex = raw;
    let buffer = '';
    let protect = false;
    let cwd = '/';
    let offset = 0;
    let renameFrom: string | undefined;
    let pendingData: Promise<net.Socket> | undefined;
    const lines: string[] = [];
    let wake: (() => void) | undefined;
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('latin1');
      let at: number;
      while ((at = buffer.indexOf('\r\n')) >= 0) {
        lines.push(buffer.slice(0, at));
        buffer = buffer.slice(at + 2);
      }
      wake?.();
    };
    const nextLine = async (): Promise<string | undefined> => {
      while (lines.length === 0) {
        if (stream.destroyed || raw.destroyed) return undefined;
        const current = stream;
        await new Promise<void>((resolve) => {
          wake = resolve;
          current.once('close', resolve);
        }).finally(() => {
          current.removeAllListeners('close');
        });
        wake = undefined;
      }
      return lines.shift();
    };
    const reply = (text: string): void => {
      if (!stream.destroyed) stream.write(`${text}\r\n`);
    };
    const upgrade = async (): Promise<void> => {
      raw.off('data', onData);
      const secured = new tls.TLSSocket(raw, { isServer: true, secureContext });
      secured.on('error', () => undefined);
      await new Promise<void>((resolve) => secured.once('secure', () => resolve()));
      stream = secured;
      secured.on('data', onData);
    };

    const openDataListener = async (): Promise<number> => {
      const listener = net.createServer();
      sockets.add(listener);
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      pendingData = new Promise<net.Socket>((resolve) => {
        listener.once('connection', (socket) => {
          sockets.add(socket);
          socket.on('error', () => undefined);
          listener.close();
          sockets.delete(listener);
          resolve(socket);
        });
      });
      pendingData.catch(() => undefined);
      return (listener.address() as net.AddressInfo).port;
    };

    /** The data connection, secured when PROT P; `carrier` ends TCP without close_notify. */
    const takeData = async (): Promise<
      { out: Duplex; carrier: RawCarrier | undefined; raw: net.Socket } | undefined
    > => {
      const waiting = pendingData;
      pendingData = undefined;
      if (!waiting) return undefined;
      const socket = await waiting;
      if (!protect) return { out: socket, carrier: undefined, raw: socket };
      const carrier = new RawCarrier(socket);
      const secured = new tls.TLSSocket(carrier, {
        isServer: true,
        secureContext,
      });
      secured.on('error', () => undefined);
      await new Promise<void>((resolve) => secured.once('secure', () => resolve()));
      return { out: secured, carrier, raw: socket };
    };

    const sendData = async (payload: Buffer, plan?: RetrPlan): Promise<boolean> => {
      const data = await takeData();
      if (!data) {
        reply('425 Use PASV or EPSV first');
        return false;
      }
      if (plan?.delayMs) await new Promise((resolve) => setTimeout(resolve, plan.delayMs));
      const bytes = plan?.cutAfter !== undefined ? payload.subarray(0, plan.cutAfter) : payload;
      await new Promise<void>((resolve) => data.out.write(bytes, () => resolve()));
      if (plan?.stall) {
        await new Promise<void>((resolve) => data.raw.once('close', () => resolve()));
        return false;
      }
      if (plan?.closeNotify === false) {
        data.raw.end();
      } else {
        data.out.end();
      }
      await new Promise<void>((resolve) => {
        if (data.raw.closed) resolve();
        else data.raw.once('close', () => resolve());
        setTimeout(resolve, 2000).unref();
      });
      return true;
    };

    const receiveData = async (): Promise<Buffer | undefined> => {
      const data = await takeData();
      if (!data) {
        reply('425 Use PASV or EPSV first');
        return undefined;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of data.out as AsyncIterable<Buffer>) chunks.push(chunk);
      return Buffer.concat(chunks);
    };

    raw.on('data', onData);
    if (mode === 'implicit') await upgrade();
    reply(script.greeting ?? '220 Hostile FTP server ready');

    for (;;) {
      const line = await nextLine();
      if (line === undefined) return;
      const space = line.indexOf(' ');
      const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
      const arg = space < 0 ? '' : line.slice(space + 1);
      commands.push(verb === 'PASS' ? 'PASS ****' : line);
      const hooked = script.on?.(verb, arg);
      if (hooked === null) continue;
      if (hooked !== undefined) {
        reply(hooked);
        if (verb === 'PASV' || verb === 'EPSV') pendingData = undefined;
        continue;
      }
      const path = normalize(arg, cwd);
      switch (verb) {
        case 'AUTH':
          if (mode !== 'explicit') {
            reply('502 TLS not available');
            break;
          }
          reply('234 Proceed with negotiation.');
          await upgrade();
          break;
        case 'USER':
          reply('331 Please specify the password.');
          break;
        case 'PASS':
          reply('230 Login successful.');
          break;
        case 'PBSZ':
          reply('200 PBSZ=0');
          break;
        case 'PROT':
          protect = arg.toUpperCase() === 'P';
          reply(`200 PROT now ${protect ? 'Private' : 'Clear'}.`);
          break;
        case 'FEAT':
          reply(
            [
              '211-Features:',
              ...(script.features ?? DEFAULT_FEATURES).map((f) => ` ${f}`),
              '211 End',
            ].join('\r\n'),
          );
          break;
        case 'OPTS':
        case 'TYPE':
        case 'NOOP':
        case 'CLNT':
          reply('200 OK');
          break;
        case 'PWD':
          reply(`257 "${cwd}" is the current directory`);
          break;
        case 'CWD':
          if (dirs.has(path)) {
            cwd = path;
            reply('250 Directory successfully changed.');
          } else reply('550 Failed to change directory.');
          break;
        case 'EPSV':
          reply(`229 Entering Extended Passive Mode (|||${await openDataListener()}|)`);
          break;
        case 'PASV': {
          const port = await openDataListener();
          reply(`227 Entering Passive Mode (127,0,0,1,${port >> 8},${port & 255}).`);
          break;
        }
        case 'SIZE': {
          const content = files.get(path);
          reply(content ? `213 ${content.length}` : '550 Could not get file size.');
          break;
        }
        case 'MDTM':
          reply(
            files.has(path) ? `213 ${mdtm(modified)}` : '550 Could not get file modification time.',
          );
          break;
        case 'REST':
          offset = Number(arg);
          reply(`350 Restart position accepted (${offset}).`);
          break;
        case 'LIST':
        case 'NLST':
        case 'MLSD': {
          const flags = arg.startsWith('-') ? (arg.split(' ')[0] ?? '') : '';
          const target = normalize(flags ? arg.slice(flags.length).trim() : arg, cwd);
          const text =
            verb === 'MLSD'
              ? mlsdLines(target)
              : verb === 'NLST'
                ? children(target).map((c) => c.name)
                : listLines(target, flags.includes('a'));
          reply('150 Here comes the directory listing.');
          if (await sendData(Buffer.from(text.map((l) => `${l}\r\n`).join(''), 'utf8'))) {
            reply('226 Directory send OK.');
          }
          break;
        }
        case 'RETR': {
          const content = files.get(path);
          const plan = script.retr?.(path, offset);
          const start = offset;
          offset = 0;
          if (!content && !plan) {
            pendingData = undefined;
            reply('550 Failed to open file.');
            break;
          }
          reply('150 Opening BINARY mode data connection.');
          const payload = plan?.content ?? (content ?? Buffer.alloc(0)).subarray(start);
          if (await sendData(payload, plan)) {
            const final =
              plan?.finalReply === undefined ? '226 Transfer complete.' : plan.finalReply;
            if (final !== null) reply(final);
          }
          break;
        }
        case 'STOR':
        case 'APPE': {
          reply('150 Ok to send data.');
          const data = await receiveData();
          if (data) {
            const before = files.get(path) ?? Buffer.alloc(0);
            const start = verb === 'APPE' ? before.length : offset;
            files.set(path, Buffer.concat([before.subarray(0, start), data]));
            reply('226 Transfer complete.');
          }
          offset = 0;
          break;
        }
        case 'DELE':
          if (files.delete(path)) reply('250 Delete operation successful.');
          else reply('550 Delete operation failed.');
          break;
        case 'MKD':
          dirs.add(path);
          reply(`257 "${path}" created`);
          break;
        case 'RMD':
          if (children(path).length > 0 || !dirs.has(path))
            reply('550 Remove directory operation failed.');
          else {
            dirs.delete(path);
            reply('250 Remove directory operation successful.');
          }
          break;
        case 'RNFR':
          renameFrom = path;
          reply(
            files.has(path) || dirs.has(path) ? '350 Ready for RNTO.' : '550 RNFR command failed.',
          );
          break;
        case 'RNTO': {
          const from = renameFrom;
          renameFrom = undefined;
          const content = from ? files.get(from) : undefined;
          if (from && content) {
            files.delete(from);
            files.set(path, content);
            reply('250 Rename successful.');
          } else reply('550 RNTO command failed.');
          break;
        }
        case 'QUIT':
          reply('221 Goodbye.');
          stream.end();
          return;
        default:
          reply('502 Command not implemented.');
      }
    }
  }

  sockets.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    mode,
    user: 'hostile',
    password: 'hostile-pw',
    fingerprint256: certs.selfSigned.fingerprint256,
    commands,
    files,
    stop(): Promise<void> {
      server.close();
      for (const socket of sockets) {
        if (socket instanceof net.Socket) socket.destroy();
        else socket.close();
      }
      sockets.clear();
      return Promise.resolve();
    },
  };
}
