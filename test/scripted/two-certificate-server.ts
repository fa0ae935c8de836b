/**
 * A tiny scripted FTPS server for one hostile case: the control connection presents one
 * certificate and every data connection another (a man in the middle on the data port). It logs
 * in anyone, answers the few commands a listing needs, and records the commands it received.
 * Binds 127.0.0.1 only; `stop()` closes everything it opened.
 */
import net from 'node:net';
import tls from 'node:tls';
import { assertServersAllowed } from '../servers/lane';

export interface Pem {
  certPem: string;
  keyPem: string;
}

export interface TwoCertificateServer {
  host: '127.0.0.1';
  port: number;
  /** Commands in the order received (PASS with its argument masked). */
  commands: string[];
  stop(): Promise<void>;
}

export async function startTwoCertificateServer(
  control: Pem,
  data: Pem,
): Promise<TwoCertificateServer> {
  assertServersAllowed('the two-certificate test server');
  const commands: string[] = [];
  const sockets = new Set<net.Socket>();
  const dataServer = tls.createServer({ cert: data.certPem, key: data.keyPem }, (socket) => {
    sockets.add(socket);
    socket.end('-rw-r--r-- 1 ftp ftp 5 Jan 01 2026 x.txt\r\n');
  });
  await new Promise<void>((resolve) => dataServer.listen(0, '127.0.0.1', resolve));
  const dataPort = (dataServer.address() as net.AddressInfo).port;
  const context = tls.createSecureContext({ cert: control.certPem, key: control.keyPem });

  const controlServer = net.createServer((raw) => {
    sockets.add(raw);
    let socket: net.Socket = raw;
    const reply = (line: string): void => void socket.write(`${line}\r\n`);
    const listen = (stream: net.Socket): void => {
      let buffer = '';
      stream.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          handle(line);
        }
      });
      stream.on('error', () => undefined);
    };
    const handle = (line: string): void => {
      const verb = line.split(' ')[0]?.toUpperCase() ?? '';
      commands.push(verb === 'PASS' ? 'PASS ****' : line);
      switch (verb) {
        case 'AUTH': {
          reply('234 AUTH TLS ok');
          raw.removeAllListeners('data');
          const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: context });
          sockets.add(secure);
          socket = secure;
          listen(secure);
          return;
        }
        case 'USER':
          return reply('331 password please');
        case 'PASS':
          return reply('230 logged in');
        case 'PWD':
          return reply('257 "/" is the current directory');
        case 'EPSV':
          return reply(`229 Entering Extended Passive Mode (|||${dataPort}|)`);
        case 'LIST':
        case 'NLST':
        case 'MLSD':
          reply('150 here it comes');
          return void setTimeout(() => reply('226 done'), 200);
        case 'FEAT':
          return reply('211 no features');
        case 'QUIT':
          reply('221 bye');
          return void socket.end();
        case 'CWD':
          return reply('250 ok');
        default:
          return reply('200 ok');
      }
    };
    listen(raw);
    reply('220 two-certificate test server');
  });
  await new Promise<void>((resolve) => controlServer.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (controlServer.address() as net.AddressInfo).port,
    commands,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => controlServer.close(() => resolve())),
        new Promise<void>((resolve) => dataServer.close(() => resolve())),
      ]);
    },
  };
}
