import net from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { DataConnectionRecord } from '../../shared/models';
import type { ControlConnection } from './control';
import { CloseNotifyWatch } from './close-notify';
import { FerryError, toErrorDetail } from './errors';
import type { FtpReply } from './reply-parser';
import type { SessionSecureContexts } from './secure-context';
import { chooseDataHost, parseEpsvReply, parsePasvReply } from './passive';
import type { ActiveModeOptions } from './types';

export interface DataChannelSettings {
  control: ControlConnection;
  /** PROT P: the data connection runs TLS resuming the control session. */
  protect: boolean;
  /** Options shared with the control connection (host, servername). */
  tlsOptions: tls.ConnectionOptions;
  /** The session's secure contexts: a data connection never builds its own (CA, certificate). */
  secureContexts: SessionSecureContexts;
  /** The control connection's negotiated protocol, pinned for data connections. */
  controlProtocol: tls.SecureVersion | undefined;
  controlLeafFingerprint: string | undefined;
  /** The control connection's key exchange group (e.g. `prime256v1`), offered first. */
  controlGroup: string | undefined;
  active: ActiveModeOptions | undefined;
  /** Shared per session: EPSV is not retried once the server refused it. */
  passiveState: { epsvRefused: boolean };
  /** An EPSV already sent (before the previous transfer's final reply): its reply is used first. */
  prefetchedEpsv?: Promise<FtpReply> | undefined;
  connectTimeoutMs: number;
  dataIdleMs: number;
}

export interface DataConnection {
  /** The stream to read or write: TLS over TCP, or TCP for PROT C. */
  readonly stream: Duplex;
  /** Connected, handshake done, resumption checked. */
  readonly ready: Promise<void>;
  /** The TCP connection has closed. */
  readonly closed: Promise<void>;
  readonly record: DataConnectionRecord;
  /** With `watchCloseNotify`, once the stream has ended: whether TLS ended on close_notify. */
  readonly closeNotify: boolean | undefined;
  destroy(error?: FerryError): void;
}

export interface DataConnectionOptions {
  /** Names the transfer in errors (`download /a/b.bin`); defaults to the command's verb. */
  step?: string;
  /** Watch how TLS ends (close_notify or a bare FIN): for transfers no size can check. */
  watchCloseNotify?: boolean;
  /**
   * The client will end TLS (close_notify) before the server's data ends, and keep TCP open
   * until the server closes it (no half-closed TCP).
   */
  earlyCloseNotify?: boolean;
}

const TLS13_TICKET_WAIT_MS = 2000;
/** Readable buffer of a data connection: fewer pauses and resumes of the socket per MiB than the 16 KiB default. */
const DATA_BUFFER = 1024 * 1024;

/** Sends EPSV/PASV or EPRT/PORT (the caller holds the command lock) and starts the connection. */
export async function openDataConnection(
  settings: DataChannelSettings,
  command: string,
  options: DataConnectionOptions = {},
): Promise<DataConnection> {
  return settings.active
    ? openActive(settings, command, options)
    : openPassive(settings, command, options);
}

async function passiveAddress(
  settings: DataChannelSettings,
): Promise<{ host: string; port: number }> {
  const { control, passiveState } = settings;
  const peer = control.remoteAddress;
  const early = await settings.prefetchedEpsv?.catch(() => undefined);
  if (early?.code === 229) return { host: peer, port: parseEpsvReply(early.text) };
  if (!passiveState.epsvRefused) {
    const reply = await control.send('EPSV', { step: 'open data connection (EPSV)' });
    if (reply.code === 229) return { host: peer, port: parseEpsvReply(reply.text) };
    passiveState.epsvRefused = true;
    control.log('info', `EPSV refused (${reply.code}); using PASV`);
  }
  const reply = await control.send('PASV', { step: 'open data connection (PASV)' });
  if (reply.code !== 227) {
    throw new FerryError({
      kind: 'ftp-reply',
      step: 'open data connection',
      command: 'PASV',
      code: reply.code,
      text: reply.text,
    });
  }
  const offered = parsePasvReply(reply.text);
  const chosen = chooseDataHost(offered.host, peer);
  if (chosen.replaced) {
    control.log(
      'warning',
      `PASV named ${offered.host}; connecting to the control peer ${chosen.host} instead`,
    );
  }
  return { host: chosen.host, port: offered.port };
}

async function openPassive(
  settings: DataChannelSettings,
  command: string,
  options: DataConnectionOptions,
): Promise<DataConnection> {
  const address = await passiveAddress(settings);
  const tcp = net.connect({ host: address.host, port: address.port });
  tcp.setNoDelay(true);
  const connected = new Promise<net.Socket>((resolve, reject) => {
    tcp.once('connect', () => resolve(tcp));
    tcp.once('error', reject);
  });
  // The handshake starts at once, overlapping with the transfer command.
  return wrap(settings, command, options, tcp, connected);
}

async function listenForActive(settings: DataChannelSettings): Promise<net.Server> {
  const host = settings.control.localAddress;
  const [low, high] = settings.active?.portRange ?? [0, 0];
  for (let port = low; port <= high; port++) {
    const server = net.createServer();
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen({ host, port, exclusive: true }, () => resolve(true));
    });
    if (ok) return server;
  }
  throw new FerryError({
    kind: 'network',
    step: 'active mode listen',
    code: 'EADDRINUSE',
    reason: `no free port in ${low}-${high}`,
  });
}

async function openActive(
  settings: DataChannelSettings,
  command: string,
  options: DataConnectionOptions,
): Promise<DataConnection> {
  const { control } = settings;
  const server = await listenForActive(settings);
  const address = server.address() as net.AddressInfo;
  const family = net.isIPv6(address.address) ? 2 : 1;
  let reply = await control.send(`EPRT |${family}|${address.address}|${address.port}|`, {
    step: 'open data connection (EPRT)',
  });
  if (reply.code >= 500 && family === 1) {
    const [a, b, c, d] = address.address.split('.');
    reply = await control.send(
      `PORT ${a},${b},${c},${d},${address.port >> 8},${address.port & 255}`,
      { step: 'open data connection (PORT)' },
    );
  }
  if (reply.code !== 200) {
    server.close();
    throw new FerryError({
      kind: 'ftp-reply',
      step: 'open data connection (active)',
      command: 'EPRT/PORT',
      code: reply.code,
      text: reply.text,
    });
  }
  const peer = control.remoteAddress;
  // The server connects only after the transfer command; TLS starts on the accepted socket.
  const accepted = new Promise<net.Socket>((resolve, reject) => {
    const timer = setTimeout(() => {
      server.close();
      reject(
        new FerryError({
          kind: 'timeout',
          step: 'active mode: waiting for the server to connect',
          ms: settings.connectTimeoutMs,
        }),
      );
    }, settings.connectTimeoutMs);
    server.on('connection', (socket) => {
      // Only the control peer may connect: anyone else could inject or steal data.
      if (socket.remoteAddress !== peer && socket.remoteAddress !== `::ffff:${peer}`) {
        control.log(
          'warning',
          `Refused a data connection from ${socket.remoteAddress ?? '?'} (expected ${peer})`,
        );
        socket.destroy();
        return;
      }
      clearTimeout(timer);
      server.close();
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
  return wrap(settings, command, options, undefined, accepted, () => server.close());
}

function pickSession(settings: DataChannelSettings): Promise<Buffer | undefined> {
  const { control } = settings;
  const ticket = control.tickets.take();
  if (ticket) return Promise.resolve(ticket);
  if (settings.controlProtocol !== 'TLSv1.3') return Promise.resolve(control.tls?.getSession());
  // A server sends its TLS 1.3 tickets right after the handshake, so they are read before any
  // reply it sent later: with a reply read and no ticket, it sends none (pure-ftpd 1.0.50), and
  // waiting would stall the first transfer of every connection for nothing.
  if (control.repliesOverTls > 0) return Promise.resolve(control.tls?.getSession());
  return control.tickets
    .waitForTicket(TLS13_TICKET_WAIT_MS)
    .then(() => control.tickets.take() ?? control.tls?.getSession());
}

/**
 * Starts TLS on a data socket, offering a ticket of this control connection and pinned to its
 * protocol version; resolves once the handshake is done and resumption checked.
 */
function secure(
  settings: DataChannelSettings,
  command: string,
  tcp: net.Socket,
  session: Buffer | undefined,
  record: DataConnectionRecord,
  failure: () => FerryError | undefined,
  watch: CloseNotifyWatch | undefined,
): { socket: TLSSocket; handshake: Promise<void> } {
  const { control } = settings;
  // `highWaterMark` is honoured by tls.connect (it builds the socket's streams) but missing from
  // @types/node's ConnectionOptions.
  const options: tls.ConnectionOptions & { highWaterMark: number } = {
    ...settings.tlsOptions,
    socket: watch ?? tcp,
    highWaterMark: DATA_BUFFER,
    ...(session ? { session } : {}),
    // Pinned to the control connection's protocol (the version range is part of the context).
    secureContext: settings.secureContexts.data(settings.controlProtocol, settings.controlGroup),
  };
  const socket = tls.connect(options);
  watch?.watch(socket);
  control.tickets.collectFrom(socket);
  const step = `data connection for ${command}`;
  const handshake = new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', () => {
      record.resumed = socket.isSessionReused();
      record.protocol = socket.getProtocol() ?? record.protocol;
      if (!record.resumed) {
        const leaf = socket.getPeerCertificate()?.fingerprint256;
        if (leaf && settings.controlLeafFingerprint && leaf !== settings.controlLeafFingerprint) {
          reject(
            new FerryError({
              kind: 'tls-untrusted',
              step,
              reasons: [
                'the data connection presented another certificate than the control connection',
              ],
              fingerprint256: leaf,
            }),
          );
          socket.destroy();
          return;
        }
        control.log(
          'warning',
          `Data connection for ${command} did not resume the TLS session; the server may refuse it`,
        );
      } else {
        control.log(
          'tls',
          `Data connection for ${command}: ${record.protocol}, TLS session resumed`,
        );
      }
      // Ready one event-loop turn later: Node counts the handshake's last flight as a write in
      // progress until its next immediate, and ending the stream in that window sent the TCP FIN
      // without close_notify (vsftpd then failed empty uploads with 426). Native immediates run
      // before this one, so the write is done when the caller can end the stream.
      setImmediate(resolve);
    });
    socket.once('error', (error: Error) => {
      reject(
        failure() ??
          new FerryError({ kind: 'tls-handshake', step, reason: error.message }, { cause: error }),
      );
    });
    socket.once('close', () => {
      reject(
        failure() ??
          new FerryError({
            kind: 'closed',
            step,
            reason: 'closed before the TLS handshake finished',
          }),
      );
    });
  });
  return { socket, handshake };
}

async function wrap(
  settings: DataChannelSettings,
  command: string,
  options: DataConnectionOptions,
  early: net.Socket | undefined,
  connected: Promise<net.Socket>,
  cleanup?: () => void,
): Promise<DataConnection> {
  const record: DataConnectionRecord = {
    command,
    resumed: false,
    protocol: settings.protect ? (settings.controlProtocol ?? 'unknown') : 'none',
    tls: settings.protect,
  };
  let failure: FerryError | undefined;
  let tcp = early;
  let stream: Duplex | undefined;
  let destroyed = false;
  let watch: CloseNotifyWatch | undefined;
  const session = settings.protect ? await pickSession(settings) : undefined;
  const step = options.step
    ? `data connection for ${options.step}`
    : `data connection for ${command}`;

  const attach = (socket: net.Socket): Promise<void> => {
    tcp = socket;
    if (destroyed) {
      socket.destroy();
      return Promise.reject(failure ?? new FerryError({ kind: 'cancelled', step }));
    }
    socket.setTimeout(settings.dataIdleMs, () => {
      failure = new FerryError({ kind: 'timeout', step, ms: settings.dataIdleMs });
      socket.destroy(failure);
      stream?.destroy(failure);
    });
    if (!settings.protect) {
      stream = socket;
      return Promise.resolve();
    }
    if (options.watchCloseNotify || options.earlyCloseNotify) {
      watch = new CloseNotifyWatch(socket, Boolean(options.earlyCloseNotify));
    }
    const secured = secure(settings, command, socket, session, record, () => failure, watch);
    stream = secured.socket;
    return secured.handshake;
  };

  let ready: Promise<void>;
  let closed: Promise<void>;
  if (early) {
    const handshake = attach(early);
    handshake.catch(() => undefined);
    ready = connected.then(
      () => handshake,
      (error: unknown) => {
        throw failure ?? new FerryError(toErrorDetail(error, 'open data connection'));
      },
    );
    closed = new Promise<void>((resolve) => early.once('close', () => resolve()));
  } else {
    ready = connected.then(attach);
    closed = connected.then(
      (socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())),
      () => undefined,
    );
  }
  ready.catch(() => undefined);
  return {
    get stream(): Duplex {
      if (!stream)
        throw new FerryError({ kind: 'protocol', step, reason: 'data connection not ready' });
      return stream;
    },
    ready,
    closed,
    record,
    get closeNotify(): boolean | undefined {
      return watch?.closeNotify;
    },
    destroy(error?: FerryError): void {
      destroyed = true;
      failure ??= error;
      cleanup?.();
      stream?.destroy(error);
      tcp?.destroy();
    },
  };
}
