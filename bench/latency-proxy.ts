// A WAN-like forwarding TCP proxy for the bench: it listens on a loopback address other than the
// server's (127.0.0.2 by default) on the server's control port and every passive port, and
// forwards each connection to the same port on the server's address. Nothing is rewritten: an
// EPSV reply names only a port, and clients connect data channels to the control peer's address
// (Ferry always; curl by default; lftp with `ftp:prefer-epsv yes`), so the data connections pass
// through the proxy too. PASV replies name the server's own 127.0.0.1, which a client may use to
// bypass the proxy: the proxy counts the connections it carried, and the bench checks them.
//
// Each direction is delayed by half the round-trip time, order kept. A new connection pays what
// TCP's handshake costs over that link: the server sees it half an RTT after the client connects,
// and the client's first bytes arrive one and a half RTTs after it connected. An optional
// bandwidth cap applies per connection and direction. Bytes in flight per direction are bounded
// (a receive window); the source is paused while the window is full.
import net from 'node:net';

export interface LatencyProxyOptions {
  /** Round-trip time added, in ms (each direction gets half). */
  rttMs: number;
  /** Per connection and direction, bytes per second; unlimited when absent. */
  bytesPerSecond?: number;
  /** Bytes in flight per direction before the source is paused (default 8 MiB). */
  windowBytes?: number;
  /** Where the proxy listens (default 127.0.0.2). */
  listenHost?: string;
  /** The server's address (default 127.0.0.1). */
  upstreamHost?: string;
  /** Ports to listen on, each forwarded to `upstreamPort` (the same port when absent). */
  routes: Array<{ listenPort: number; upstreamPort?: number }>;
  /** Called for every connection opened and every chunk forwarded (for timelines). */
  trace?: (event: TraceEvent) => void;
}

export interface TraceEvent {
  /** performance.now() when the proxy saw it. */
  time: number;
  /** Serial number of the connection. */
  connection: number;
  port: number;
  what: 'open' | 'up' | 'down' | 'up-end' | 'down-end';
  bytes: number;
}

export interface ProxyStats {
  /** Connections accepted, all ports. */
  connections: number;
  /** Connections accepted per upstream port (the control port's count is the logins). */
  byPort: Map<number, number>;
  /** Bytes forwarded client → server and server → client. */
  up: number;
  down: number;
}

/** One direction of one connection: delays each chunk, keeps order, caps rate and window. */
class DelayedPipe {
  private lastArrival = 0;
  private lastDeparture = 0;
  private inFlight = 0;
  private ended = false;
  /** Chunks (and the end) in the order they were sent, each with the time it arrives. */
  private readonly queue: Array<{ arrival: number; deliver: () => void }> = [];

  constructor(
    private readonly from: net.Socket,
    private readonly to: net.Socket,
    private readonly oneWayMs: number,
    /** The earliest time a chunk may arrive (the TCP handshake, for client → server). */
    private readonly notBefore: number,
    private readonly bytesPerSecond: number | undefined,
    private readonly windowBytes: number,
    private readonly count: (n: number) => void,
    onEnd: () => void,
  ) {
    from.on('data', (chunk: Buffer) => this.forward(chunk));
    from.on('end', () => {
      onEnd();
      this.schedule(() => this.to.end());
    });
  }

  private arrivalFor(length: number): number {
    const now = performance.now();
    let departure = now;
    if (this.bytesPerSecond) {
      departure = Math.max(now, this.lastDeparture) + (length / this.bytesPerSecond) * 1000;
      this.lastDeparture = departure;
    }
    const arrival = Math.max(departure + this.oneWayMs, this.lastArrival, this.notBefore);
    this.lastArrival = arrival;
    return arrival;
  }

  private forward(chunk: Buffer): void {
    this.count(chunk.length);
    this.inFlight += chunk.length;
    if (this.inFlight >= this.windowBytes) this.from.pause();
    this.enqueue(this.arrivalFor(chunk.length), () => {
      this.inFlight -= chunk.length;
      if (!this.to.destroyed) this.to.write(chunk);
      if (this.inFlight < this.windowBytes && !this.ended) this.from.resume();
    });
  }

  /** The sender's FIN: delivered once everything sent before it has arrived. */
  schedule(action: () => void): void {
    this.ended = true;
    this.afterAll(action);
  }

  /** Runs `action` once everything sent before it has arrived (a FIN or a reset travels too). */
  afterAll(action: () => void): void {
    const arrival = Math.max(performance.now() + this.oneWayMs, this.lastArrival);
    this.lastArrival = arrival;
    this.enqueue(arrival, action);
  }

  /**
   * One queue and one timer per direction: a timer per chunk can fire out of order (chunks that
   * share an arrival time get ever shorter delays, and Node orders timers by their expiry).
   */
  private enqueue(arrival: number, deliver: () => void): void {
    this.queue.push({ arrival, deliver });
    if (this.queue.length === 1) this.wake();
  }

  private wake(): void {
    const head = this.queue[0];
    if (!head) return;
    setTimeout(
      () => {
        while (this.queue.length > 0 && (this.queue[0]?.arrival ?? 0) <= performance.now() + 0.5)
          this.queue.shift()?.deliver();
        this.wake();
      },
      Math.max(0, head.arrival - performance.now()),
    );
  }
}

export class LatencyProxy {
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  readonly stats: ProxyStats = { connections: 0, byPort: new Map(), up: 0, down: 0 };

  private constructor(private readonly options: LatencyProxyOptions) {}

  get host(): string {
    return this.options.listenHost ?? '127.0.0.2';
  }

  static async start(options: LatencyProxyOptions): Promise<LatencyProxy> {
    const proxy = new LatencyProxy(options);
    try {
      for (const route of options.routes) {
        await proxy.listen(route.listenPort, route.upstreamPort ?? route.listenPort);
      }
    } catch (error) {
      await proxy.stop();
      throw error;
    }
    return proxy;
  }

  /** Routes for a server's control port and passive range, same port numbers on both sides. */
  static ftpRoutes(
    controlPort: number,
    passive: { min: number; max: number },
  ): LatencyProxyOptions['routes'] {
    const routes = [{ listenPort: controlPort }];
    for (let port = passive.min; port <= passive.max; port++) routes.push({ listenPort: port });
    return routes;
  }

  private listen(port: number, upstreamPort: number): Promise<void> {
    const server = net.createServer({ allowHalfOpen: true }, (client) =>
      this.accept(client, upstreamPort),
    );
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => resolve());
    });
  }

  private accept(client: net.Socket, upstreamPort: number): void {
    const connection = ++this.stats.connections;
    this.stats.byPort.set(upstreamPort, (this.stats.byPort.get(upstreamPort) ?? 0) + 1);
    const trace = this.options.trace;
    const note = (what: TraceEvent['what'], bytes = 0): void =>
      trace?.({ time: performance.now(), connection, port: upstreamPort, what, bytes });
    note('open');
    const { rttMs, bytesPerSecond } = this.options;
    const oneWay = rttMs / 2;
    const window = this.options.windowBytes ?? 8 * 1024 * 1024;
    const acceptedAt = performance.now();
    client.setNoDelay(true);
    client.pause();
    this.sockets.add(client);
    // Half-open allowed: a FIN from one side must not cut data still travelling the other way.
    const server = new net.Socket({ allowHalfOpen: true });
    this.sockets.add(server);
    server.setNoDelay(true);
    let closed = false;
    const close = (side: 'client' | 'server'): void => {
      if (closed) return;
      closed = true;
      // A reset or close travels like data: it arrives after what its side sent before it (not
      // after what was still travelling towards it: that is lost, and the sender sees the reset).
      (side === 'client' ? up : down).afterAll(() => {
        client.destroy();
        server.destroy();
        this.sockets.delete(client);
        this.sockets.delete(server);
      });
    };
    client.on('error', () => close('client'));
    server.on('error', () => close('server'));
    client.on('close', () => close('client'));
    server.on('close', () => close('server'));
    // The client's first bytes leave after the SYN/SYN-ACK round trip and arrive half an RTT later.
    const up = new DelayedPipe(
      client,
      server,
      oneWay,
      acceptedAt + rttMs + oneWay,
      bytesPerSecond,
      window,
      (n) => {
        this.stats.up += n;
        note('up', n);
      },
      () => note('up-end'),
    );
    const down = new DelayedPipe(
      server,
      client,
      oneWay,
      0,
      bytesPerSecond,
      window,
      (n) => {
        this.stats.down += n;
        note('down', n);
      },
      () => note('down-end'),
    );
    // The server sees the connection when the SYN arrives.
    setTimeout(() => {
      if (closed) return;
      server.connect({ host: this.options.upstreamHost ?? '127.0.0.1', port: upstreamPort });
      server.once('connect', () => client.resume());
    }, oneWay);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await Promise.all(
      this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    );
  }
}
