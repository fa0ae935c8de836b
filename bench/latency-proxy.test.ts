// The bench's latency proxy delays as configured and forwards bytes intact. Everything binds
// 127.0.0.1 (the bench itself listens on 127.0.0.2): an echo server on one port, the proxy on
// another.
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LatencyProxy } from './latency-proxy';

const HOST = '127.0.0.1';
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server on a free port, each connection handed to `handler`. */
async function startUpstream(handler: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    handler(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, () => resolve()));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as net.AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startProxy(
  upstreamPort: number,
  options: { rttMs: number; bytesPerSecond?: number },
): Promise<{ proxy: LatencyProxy; port: number }> {
  const port = await freePort();
  const proxy = await LatencyProxy.start({
    ...options,
    listenHost: HOST,
    upstreamHost: HOST,
    routes: [{ listenPort: port, upstreamPort }],
  });
  cleanups.push(() => proxy.stop());
  return { proxy, port };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port, allowHalfOpen: true });
    socket.setNoDelay(true);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `text` and resolves with the ms until the echo is back. */
function echoTime(socket: net.Socket, text: string): Promise<number> {
  const start = performance.now();
  return new Promise((resolve) => {
    let got = '';
    const onData = (chunk: Buffer): void => {
      got += chunk.toString();
      if (got.length < text.length) return;
      socket.off('data', onData);
      resolve(performance.now() - start);
    };
    socket.on('data', onData);
    socket.write(text);
  });
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('LatencyProxy', () => {
  it('delays each round trip by the RTT, and a new connection by the TCP handshake too', async () => {
    const upstream = await startUpstream((socket) => socket.pipe(socket));
    const { port, proxy } = await startProxy(upstream, { rttMs: 120 });
    const socket = await connect(port);
    cleanups.push(() => Promise.resolve(void socket.destroy()));
    // SYN/SYN-ACK, then the request and its answer: two RTTs for the first exchange.
    const first = await echoTime(socket, 'ping');
    expect(first).toBeGreaterThanOrEqual(240 - 2);
    expect(first).toBeLessThan(240 + 150);
    for (let i = 0; i < 3; i++) {
      const next = await echoTime(socket, `ping ${i}`);
      expect(next).toBeGreaterThanOrEqual(120 - 2);
      expect(next).toBeLessThan(120 + 150);
    }
    expect(proxy.stats.connections).toBe(1);
  });

  it('forwards bytes intact and in order both ways, including the half-close', async () => {
    const upload = randomBytes(3 * 1024 * 1024 + 17);
    const reply = randomBytes(2 * 1024 * 1024 + 5);
    let receivedHash = '';
    const upstream = await startUpstream((socket) => {
      const hash = createHash('sha256');
      socket.on('data', (chunk: Buffer) => hash.update(chunk));
      // The client's FIN arrives after all its bytes; the answer still flows back afterwards.
      socket.on('end', () => {
        receivedHash = hash.digest('hex');
        socket.end(reply);
      });
    });
    const { port, proxy } = await startProxy(upstream, { rttMs: 20 });
    const socket = await connect(port);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve) => socket.on('end', () => resolve()));
    // Many small writes: order must survive the per-chunk timers.
    for (let offset = 0; offset < upload.length; offset += 1000) {
      socket.write(upload.subarray(offset, offset + 1000));
    }
    socket.end();
    await ended;
    expect(receivedHash).toBe(sha256(upload));
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(reply));
    expect(proxy.stats.up).toBe(upload.length);
    expect(proxy.stats.down).toBe(reply.length);
  });

  it('keeps the order of a burst written before the handshake delay is over', async () => {
    // Every chunk of the burst arrives at the same moment (after the SYN/SYN-ACK round trip):
    // one timer per chunk, each a little shorter than the one before, delivered them reversed.
    const upload = randomBytes(2 * 1024 * 1024);
    let received = Buffer.alloc(0);
    const done = new Promise<void>((resolve) => {
      void startUpstream((socket) => {
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('end', () => {
          received = Buffer.concat(chunks);
          resolve();
        });
      }).then(async (upstream) => {
        const { port } = await startProxy(upstream, { rttMs: 200 });
        const socket = await connect(port);
        for (let offset = 0; offset < upload.length; offset += 512)
          socket.write(upload.subarray(offset, offset + 512));
        socket.end();
      });
    });
    await done;
    expect(received.length).toBe(upload.length);
    expect(sha256(received)).toBe(sha256(upload));
  });

  it('caps the bandwidth of each connection and direction', async () => {
    const payload = randomBytes(1024 * 1024);
    const upstream = await startUpstream((socket) => socket.end(payload));
    // 4 MiB/s: one MiB takes at least a quarter of a second after the first byte.
    const { port } = await startProxy(upstream, { rttMs: 10, bytesPerSecond: 4 * 1024 * 1024 });
    const socket = await connect(port);
    const start = performance.now();
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    await new Promise<void>((resolve) => socket.on('end', () => resolve()));
    const elapsed = performance.now() - start;
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(payload));
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(250 + 600);
  });
});
