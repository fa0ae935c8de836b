/**
 * One TLS secure context per session: a site with its own CA file must not rebuild the CA store
 * (Node's bundled roots plus the CA, ~25 ms of CPU) for every data connection. Runs against a real
 * vsftpd presenting a certificate signed by the test CA, trusted through `tls.ca` alone.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
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

  it('a data context is pinned to the control protocol and built once per protocol', () => {
    const contexts = new SessionSecureContexts({ minVersion: '1.2' });
    expect(contexts.data('TLSv1.3')).toBe(contexts.data('TLSv1.3'));
    expect(contexts.data('TLSv1.2')).not.toBe(contexts.data('TLSv1.3'));
    expect(contexts.data(undefined)).toBe(contexts.control());
    expect(contexts.control()).toBe(contexts.control());
  });
});
