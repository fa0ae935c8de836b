// A fault-injecting TCP proxy for tests. It listens on one loopback address (127.0.0.3 by
// default, never a public interface) on the server's control port and every passive port, 1:1,
// and forwards to the server on 127.0.0.1: the engine connects data channels to the control
// peer's address with the EPSV port, so they pass through the proxy too. It cannot read the
// (encrypted) stream; it cuts connections after a number of bytes.
import net from 'node:net';

export type Cut = { target: 'data' | 'control'; afterBytes: number; reset: boolean };

interface Pair {
  client: net.Socket;
  server: net.Socket;
  control: boolean;
  bytes: number;
}

export class FaultProxy {
  private readonly servers: net.Server[] = [];
  private readonly pairs = new Set<Pair>();
  private armed: Cut | undefined;
  /** Bytes per second from server to client on data connections opened from now on. */
  private rate: number | undefined;
  /** Cuts that fired, in order. */
  readonly fired: Cut[] = [];
  /** Called after each cut fires (e.g. to arm the next one). */
  onCut: ((cut: Cut) => void) | undefined;

  private constructor(
    readonly host: string,
    private readonly upstream: string,
    private readonly controlPort: number,
  ) {}

  static async start(options: {
    controlPort: number;
    passivePorts: { min: number; max: number };
    listenHost?: string;
    upstreamHost?: string;
  }): Promise<FaultProxy> {
    const proxy = new FaultProxy(
      options.listenHost ?? '127.0.0.3',
      options.upstreamHost ?? '127.0.0.1',
      options.controlPort,
    );
    const ports = [options.controlPort];
    for (let p = options.passivePorts.min; p <= options.passivePorts.max; p++) ports.push(p);
    await Promise.all(ports.map((port) => proxy.listen(port)));
    return proxy;
  }

  private listen(port: number): Promise<void> {
    const server = net.createServer((client) => this.accept(client, port));
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => resolve());
    });
  }

  private accept(client: net.Socket, port: number): void {
    client.setNoDelay(true);
    const server = net.connect({ host: this.upstream, port });
    server.setNoDelay(true);
    const pair: Pair = { client, server, control: port === this.controlPort, bytes: 0 };
    this.pairs.add(pair);
    const count = (chunk: Buffer): void => {
      if (pair.control) return;
      pair.bytes += chunk.length;
      const cut = this.armed;
      if (!cut || pair.bytes < cut.afterBytes) return;
      this.armed = undefined;
      this.fired.push(cut);
      if (cut.target === 'data') this.kill(pair, cut.reset);
      else for (const other of this.pairs) if (other.control) this.kill(other, cut.reset);
      this.onCut?.(cut);
    };
    client.on('data', count);
    server.on('data', count);
    client.pipe(server);
    const rate = pair.control ? undefined : this.rate;
    if (rate) {
      // Throttled: each chunk holds the server side back for as long as it takes at `rate`.
      server.on('data', (chunk: Buffer) => {
        client.write(chunk);
        server.pause();
        setTimeout(() => server.resume(), (chunk.length / rate) * 1000);
      });
      server.on('end', () => client.end());
    } else server.pipe(client);
    const close = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('error', close);
    server.on('error', close);
    client.on('close', close);
    server.on('close', close);
  }

  private kill(pair: Pair, reset: boolean): void {
    this.pairs.delete(pair);
    if (reset) {
      pair.client.resetAndDestroy();
      pair.server.resetAndDestroy();
    } else {
      pair.client.destroy();
      pair.server.destroy();
    }
  }

  /** The next data connection that moves `afterBytes` is cut (or, for `control`, the control connections are). */
  arm(cut: Cut): void {
    this.armed = cut;
  }

  /** Slows data connections opened from now on (server → client) to about `bytesPerSecond`. */
  throttle(bytesPerSecond: number | undefined): void {
    this.rate = bytesPerSecond;
  }

  disarm(): void {
    this.armed = undefined;
  }

  async stop(): Promise<void> {
    for (const pair of this.pairs) this.kill(pair, false);
    await Promise.all(
      this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    );
  }
}
