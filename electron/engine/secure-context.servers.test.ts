/**
 * One TLS secure context per session: a site with its own CA file must not rebuild the CA store
 * (Node's bundled roots plus the CA, ~25 ms of CPU) for every data connection. Runs against a real
 * vsftpd presenting a certificate signed by the test CA, trusted through `tls.ca` alone.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LatencyProxy, type TraceEvent } from '../../bench/latency-proxy';
import { getSharedCerts } from '../../test/servers/certs';
import { startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { FtpsClient } from './client';
import { SessionSecureContexts } from './secure-context';
import type { ConnectOptions } from './types';

let server: RunningServer;
let caPem: string;

beforeAll(async () => {
  caPem = (await getSharedCerts()).ca.certPem;
  server = await startServer({
    kind: 'vsftpd',
    mode: 'explicit',
    tlsMax: '1.3',
    cert: 'ca-signed',
  });
  for (let i = 0; i < 6; i++) await server.writeFile(`f${i}.bin`, randomBytes(16 * 1024));
});

afterAll(async () => {
  await stopAll();
});

afterEach(() => {
  vi.restoreAllMocks();
});

function options(extra: Partial<ConnectOptions> = {}): ConnectOptions {
  return {
    host: server.host,
    port: server.port,
    mode: 'explicit',
    user: server.user,
    password: server.password,
    keepaliveMs: 0,
    tls: { ca: caPem },
    // Trust must come from the CA file: no pin, no prompt.
    decideTrust: () => Promise.resolve('reject'),
    ...extra,
  };
}

function sink(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

describe('secure contexts', () => {
  it('data connections build no TLS context of their own (site with a CA file)', async () => {
    const builds = vi.spyOn(tls, 'createSecureContext');
    const client = await FtpsClient.connect(options());
    try {
      expect(client.report?.verdict).toEqual({ status: 'trusted', by: 'extra-ca' });
      await client.download('/f0.bin', sink());
      const afterFirst = builds.mock.calls.length;
      for (let i = 1; i < 6; i++) await client.download(`/f${i}.bin`, sink());
      await client.list('/');
      // Six more data connections, and not one more context.
      expect(builds.mock.calls.length).toBe(afterFirst);
      // The CA store was built once for the whole session.
      const withCa = builds.mock.calls.filter(([o]) => o?.ca !== undefined);
      expect(withCa).toHaveLength(1);
      expect(client.dataConnections).toHaveLength(7);
      expect(client.dataConnections.every((record) => record.resumed)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('connections given the same contexts (a pool to one site) build none at all', async () => {
    const contexts = new SessionSecureContexts({ ca: caPem });
    const first = await FtpsClient.connect(options({ secureContexts: contexts }));
    await first.download('/f0.bin', sink());
    const builds = vi.spyOn(tls, 'createSecureContext');
    const second = await FtpsClient.connect(options({ secureContexts: contexts }));
    try {
      expect(second.report?.verdict).toEqual({ status: 'trusted', by: 'extra-ca' });
      await second.download('/f1.bin', sink());
      await first.download('/f2.bin', sink());
      expect(builds).not.toHaveBeenCalled();
      expect(second.dataConnections.every((record) => record.resumed)).toBe(true);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it("a TLS 1.3 data connection offers the control connection's key share: no HelloRetryRequest", async () => {
    // vsftpd accepts only P-256; Node offers an X25519 key share unless told otherwise. Through a
    // relay on another loopback address (the engine connects data to the control peer), count
    // the client's flights on each data connection before the file's bytes: ClientHello and
    // Finished, or three with a HelloRetryRequest in between.
    const events: TraceEvent[] = [];
    const relay = await LatencyProxy.start({
      rttMs: 20,
      listenHost: '127.0.0.4',
      routes: LatencyProxy.ftpRoutes(server.port, server.pasvPorts),
      trace: (event) => events.push(event),
    });
    const client = await FtpsClient.connect(
      options({
        host: '127.0.0.4',
        // The certificate names 127.0.0.1, not the relay's address: accept it by fingerprint.
        decideTrust: (report) =>
          Promise.resolve(
            report.chain[0]?.fingerprint256 === server.fingerprint256 ? 'once' : 'reject',
          ),
      }),
    );
    try {
      expect(client.security.tlsProtocol).toBe('TLSv1.3');
      for (let i = 0; i < 3; i++) await client.download(`/f${i}.bin`, sink());
      expect(client.dataConnections.every((record) => record.resumed)).toBe(true);
    } finally {
      await client.close();
      await relay.stop();
    }
    const data = [
      ...new Set(events.filter((e) => e.port !== server.port).map((e) => e.connection)),
    ];
    expect(data).toHaveLength(3);
    for (const connection of data) {
      let flights = 0;
      let last: TraceEvent['what'] | undefined;
      for (const event of events.filter((e) => e.connection === connection)) {
        if (event.what === 'down' && event.bytes >= 16 * 1024) break;
        if (event.what === 'up' && last !== 'up') flights++;
        if (event.what === 'up' || event.what === 'down') last = event.what;
      }
      expect(flights).toBe(2);
    }
  });

  it('a data context is pinned to the control protocol and built once per protocol', () => {
    const contexts = new SessionSecureContexts({ minVersion: '1.2' });
    expect(contexts.data('TLSv1.3')).toBe(contexts.data('TLSv1.3'));
    expect(contexts.data('TLSv1.2')).not.toBe(contexts.data('TLSv1.3'));
    expect(contexts.data(undefined)).toBe(contexts.control());
    expect(contexts.control()).toBe(contexts.control());
  });
});
