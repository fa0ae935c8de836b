// Readiness: a server counts as started once it has answered like a client expects.
import net from 'node:net';
import tls from 'node:tls';
import type { Resolved } from './types';

/**
 * Connects like a client would before logging in: reads the 220 (over TLS for implicit), for
 * explicit TLS also does AUTH TLS and a handshake (so a bad certificate or TLS setting fails
 * here, not in the test), then QUIT. Returns null when nothing listens yet.
 */
export async function probe(port: number, o: Resolved): Promise<'ok' | null> {
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
