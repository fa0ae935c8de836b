/**
 * Certificate before credentials, against real servers: what the user is asked, and what the
 * server saw (its log) before and after the decision.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CertificateReport } from '../../shared/models';
import { getSharedCerts } from '../../test/servers/certs';
import { startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { describeCertificate } from './certificate';
import { FtpsClient } from './client';
import { FerryError } from './errors';
import { memoryPinStore } from './pin-store';
import { X509Certificate } from 'node:crypto';

afterAll(stopAll);

async function withServer<T>(
  options: Parameters<typeof startServer>[0],
  run: (server: RunningServer) => Promise<T>,
): Promise<T> {
  const server = await startServer(options);
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

function connect(
  server: RunningServer,
  extra: Partial<Parameters<typeof FtpsClient.connect>[0]> = {},
) {
  return FtpsClient.connect({
    host: server.host,
    port: server.port,
    mode: server.mode,
    user: server.user,
    password: server.password,
    keepaliveMs: 0,
    ...extra,
  });
}

async function expectFerryError(promise: Promise<unknown>): Promise<FerryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FerryError);
  return error as FerryError;
}

describe.concurrent('certificate trust', () => {
  it('asks about a self-signed certificate before USER is sent, then logs in after "once"', async () => {
    await withServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' }, async (server) => {
      let asked: CertificateReport | undefined;
      let logAtDecision = '';
      const client = await connect(server, {
        decideTrust: async (report) => {
          asked = report;
          logAtDecision = await server.readLog({ sinceReady: true });
          return 'once';
        },
      });
      await client.close();
      expect(asked?.verdict).toMatchObject({ status: 'untrusted', reasons: ['self-signed'] });
      expect(asked?.chain[0]?.fingerprint256).toBe(server.fingerprint256);
      expect(asked?.session.protocol).toBe('TLSv1.3');
      expect(logAtDecision).toContain('AUTH TLS');
      expect(logAtDecision).not.toMatch(/USER/);
      expect(await server.readLog({ sinceReady: true })).toMatch(/USER/);
    });
  });

  it('sends nothing after "reject" and ends with a typed error', async () => {
    await withServer({ kind: 'proftpd', mode: 'explicit', tlsMax: '1.3' }, async (server) => {
      const error = await expectFerryError(
        connect(server, { decideTrust: () => Promise.resolve('reject') }),
      );
      expect(error.detail).toMatchObject({
        kind: 'tls-untrusted',
        reasons: ['self-signed'],
        fingerprint256: server.fingerprint256,
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await server.readLog({ sinceReady: true })).not.toMatch(/USER/);
    });
  });

  it('rejects an untrusted certificate when nobody can be asked', async () => {
    await withServer({ kind: 'vsftpd', mode: 'implicit', tlsMax: '1.2' }, async (server) => {
      const error = await expectFerryError(connect(server));
      expect(error.kind).toBe('tls-untrusted');
      expect(await server.readLog({ sinceReady: true })).not.toMatch(/USER/);
    });
  });

  it('connects without asking when the certificate is pinned, and pins on "always"', async () => {
    await withServer({ kind: 'proftpd', mode: 'implicit', tlsMax: '1.3' }, async (server) => {
      const pins = memoryPinStore();
      const first = await connect(server, {
        pinStore: pins,
        decideTrust: () => Promise.resolve('always'),
      });
      await first.close();
      expect(pins.all().map((pin) => pin.fingerprint256)).toEqual([server.fingerprint256]);
      let asked = false;
      const second = await connect(server, {
        pinStore: pins,
        decideTrust: () => {
          asked = true;
          return Promise.resolve('reject');
        },
      });
      expect(second.report?.verdict).toEqual({ status: 'pinned' });
      expect(asked).toBe(false);
      await second.close();
    });
  });

  it('reports "changed" when a pinned host presents another certificate', async () => {
    const certs = await getSharedCerts();
    await withServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.2' }, async (server) => {
      const previous = describeCertificate(new X509Certificate(certs.expired.certPem));
      const pins = memoryPinStore([
        {
          host: server.host,
          port: server.port,
          fingerprint256: previous.fingerprint256,
          certificate: previous,
          pinnedAt: new Date(0).toISOString(),
        },
      ]);
      let asked: CertificateReport | undefined;
      const error = await expectFerryError(
        connect(server, {
          pinStore: pins,
          decideTrust: (report) => {
            asked = report;
            return Promise.resolve('reject');
          },
        }),
      );
      expect(error.kind).toBe('tls-untrusted');
      expect(asked?.verdict.status).toBe('changed');
      if (asked?.verdict.status === 'changed') {
        expect(asked.verdict.previous.fingerprint256).toBe(previous.fingerprint256);
        expect(asked.chain[0]?.fingerprint256).toBe(server.fingerprint256);
      }
      expect(await server.readLog({ sinceReady: true })).not.toMatch(/USER/);
    });
  });

  it('trusts a certificate signed by the CA given for the site', async () => {
    const certs = await getSharedCerts();
    await withServer(
      { kind: 'proftpd', mode: 'explicit', tlsMax: '1.3', cert: 'ca-signed' },
      async (server) => {
        const client = await connect(server, {
          tls: { ca: certs.ca.certPem },
          decideTrust: () => Promise.resolve('reject'),
        });
        expect(client.report?.verdict).toEqual({ status: 'trusted', by: 'extra-ca' });
        await client.close();
      },
    );
  });

  it('names a hostname mismatch even when the issuer is trusted', async () => {
    const certs = await getSharedCerts();
    await withServer(
      { kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3', cert: 'wrong-host' },
      async (server) => {
        let asked: CertificateReport | undefined;
        await expectFerryError(
          connect(server, {
            tls: { ca: certs.ca.certPem },
            decideTrust: (report) => {
              asked = report;
              return Promise.resolve('reject');
            },
          }),
        );
        expect(asked?.verdict).toMatchObject({
          status: 'untrusted',
          reasons: ['hostname-mismatch'],
        });
      },
    );
  });

  it('names an expired certificate', async () => {
    const certs = await getSharedCerts();
    await withServer(
      { kind: 'proftpd', mode: 'implicit', tlsMax: '1.2', cert: 'expired' },
      async (server) => {
        let asked: CertificateReport | undefined;
        await expectFerryError(
          connect(server, {
            tls: { ca: certs.ca.certPem },
            decideTrust: (report) => {
              asked = report;
              return Promise.resolve('reject');
            },
          }),
        );
        expect(asked?.verdict.status).toBe('untrusted');
        expect(asked?.verdict.status === 'untrusted' && asked.verdict.reasons).toContain('expired');
        expect(asked?.chain[0]?.expired).toBe(true);
      },
    );
  });
});

describe('every problem of a certificate is named', () => {
  it('an expired certificate from an unknown CA is reported as both', async () => {
    await withServer(
      { kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3', cert: 'expired' },
      async (server) => {
        let asked: CertificateReport | undefined;
        await expectFerryError(
          connect(server, {
            decideTrust: (report) => {
              asked = report;
              return Promise.resolve('reject');
            },
          }),
        );
        expect(asked?.verdict.status === 'untrusted' && [...asked.verdict.reasons].sort()).toEqual([
          'expired',
          'unknown-issuer',
        ]);
      },
    );
  });
});

describe.concurrent('input safety', () => {
  it('refuses a path with CR or LF before anything is sent', async () => {
    await withServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' }, async (server) => {
      const client = await connect(server, { decideTrust: () => Promise.resolve('once') });
      try {
        const error = await expectFerryError(client.list('docs\r\nDELE victim.txt'));
        expect(error.kind).toBe('unsafe-input');
        const error2 = await expectFerryError(client.delete('a\nb'));
        expect(error2.kind).toBe('unsafe-input');
        expect(await client.pwd()).toBe('/');
        expect(await server.readLog({ sinceReady: true })).not.toMatch(/DELE/);
      } finally {
        await client.close();
      }
    });
  });
});
