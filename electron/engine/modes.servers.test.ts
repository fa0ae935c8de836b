/**
 * Connection choices against real servers: active mode, clear data channel, CCC, client
 * certificates, and the plain-FTP rules (fallback only when asked, and never silently).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSharedCerts } from '../../test/servers/certs';
import { startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { FtpsClient } from './client';
import { FerryError } from './errors';
import type { ConnectOptions } from './types';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
let work: string;
const payload = randomBytes(256 * 1024);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ferry-modes-'));
  await writeFile(join(work, 'payload.bin'), payload);
});

afterAll(async () => {
  await stopAll();
  await rm(work, { recursive: true, force: true });
});

async function withServer(
  options: Parameters<typeof startServer>[0],
  run: (server: RunningServer) => Promise<void>,
): Promise<void> {
  const server = await startServer(options);
  try {
    await run(server);
  } finally {
    await server.stop();
  }
}

function connect(server: RunningServer, extra: Partial<ConnectOptions> = {}): Promise<FtpsClient> {
  return FtpsClient.connect({
    host: server.host,
    port: server.port,
    mode: server.plain ? 'plain' : server.mode,
    user: server.user,
    password: server.password,
    keepaliveMs: 0,
    decideTrust: () => Promise.resolve('once'),
    ...extra,
  });
}

/** Upload, download and list: the bytes must round-trip. */
async function roundTrip(client: FtpsClient, server: RunningServer, name: string): Promise<void> {
  await client.upload(createReadStream(join(work, 'payload.bin')), name);
  expect(sha256(await readFile(join(server.root, name)))).toBe(sha256(payload));
  const local = join(work, `${name}.down`);
  await client.download(name, createWriteStream(local));
  expect(sha256(await readFile(local))).toBe(sha256(payload));
  expect((await client.list()).some((entry) => entry.name === name)).toBe(true);
}

describe.concurrent('connection modes', () => {
  it.each(['vsftpd', 'proftpd'] as const)('active mode (EPRT/PORT) on %s', async (kind) => {
    await withServer({ kind, mode: 'explicit', tlsMax: '1.3', active: true }, async (server) => {
      const client = await connect(server, { active: {} });
      try {
        await roundTrip(client, server, `active-${kind}.bin`);
        expect(client.dataConnections.every((record) => record.resumed)).toBe(true);
        expect(await server.readLog()).toMatch(/EPRT|PORT/);
      } finally {
        await client.close();
      }
    });
  });

  it('PROT C: clear data connections where the server allows them', async () => {
    await withServer(
      { kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3', allowPlainData: true },
      async (server) => {
        const client = await connect(server, { dataProtection: 'C' });
        try {
          expect(client.security.dataProtection).toBe('C');
          await roundTrip(client, server, 'prot-c.bin');
          expect(client.dataConnections.every((record) => !record.tls)).toBe(true);
        } finally {
          await client.close();
        }
      },
    );
  });

  it('PROT C refused by a server that requires TLS on data is a clear error', async () => {
    await withServer({ kind: 'proftpd', mode: 'explicit', tlsMax: '1.3' }, async (server) => {
      const error = await connect(server, { dataProtection: 'C' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FerryError);
      expect((error as FerryError).detail).toMatchObject({ kind: 'ftp-reply', command: 'PROT C' });
    });
  });

  it('CCC on ProFTPD: the command channel continues in plaintext, data stays encrypted', async () => {
    await withServer(
      { kind: 'proftpd', mode: 'explicit', tlsMax: '1.3', ccc: true },
      async (server) => {
        const client = await connect(server, { ccc: true });
        try {
          expect(client.security.cccActive).toBe(true);
          await roundTrip(client, server, 'after-ccc.bin');
          expect(client.dataConnections.every((record) => record.tls && record.resumed)).toBe(true);
          expect(await server.readLog()).toMatch(/CCC/);
        } finally {
          await client.close();
        }
      },
    );
  });

  describe('client certificates (ProFTPD TLSVerifyClient on)', () => {
    it('accepts the right certificate as PEM and as PKCS#12, and refuses a client without one', async () => {
      const certs = await getSharedCerts();
      await withServer(
        {
          kind: 'proftpd',
          mode: 'explicit',
          tlsMax: '1.3',
          verifyClient: { caPath: certs.clientCa.certPath },
        },
        async (server) => {
          const pem = await connect(server, {
            tls: {
              clientCertificate: {
                kind: 'pem',
                cert: certs.client.certPem,
                key: certs.client.keyPem,
              },
            },
          });
          await roundTrip(pem, server, 'client-cert.bin');
          await pem.close();
          const pfx = await connect(server, {
            tls: {
              clientCertificate: {
                kind: 'pfx',
                pfx: certs.client.p12,
                passphrase: certs.client.p12Passphrase,
              },
            },
          });
          expect((await pfx.list()).length).toBeGreaterThan(0);
          await pfx.close();
          const error = await connect(server).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(FerryError);
          expect(['tls-handshake', 'closed', 'network']).toContain((error as FerryError).kind);
        },
      );
    });
  });

  describe('plain FTP', () => {
    it('"explicit if available" asks before USER when the server refuses TLS, and continues only on yes', async () => {
      await withServer(
        { kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3', plain: true },
        async (server) => {
          const asked: Array<{ host: string; port: number; reason: string; log: string }> = [];
          const client = await connect(server, {
            mode: 'explicit-if-available',
            decideInsecure: async (question) => {
              asked.push({ ...question, log: await server.readLog({ sinceReady: true }) });
              return true;
            },
          });
          try {
            expect(asked).toHaveLength(1);
            expect(asked[0]).toMatchObject({ host: server.host, port: server.port });
            expect(asked[0]?.reason).toMatch(/AUTH TLS/);
            // The question came after AUTH was refused and before any USER.
            expect(asked[0]?.log).toMatch(/FTP command: .*"AUTH TLS"/);
            expect(asked[0]?.log).not.toMatch(/FTP command: .*"USER /);
            expect(client.security.insecureFallback).toBe(true);
            expect(client.security.dataProtection).toBe('none');
            await roundTrip(client, server, 'fallback.bin');
          } finally {
            await client.close();
          }
        },
      );
    });

    it('"explicit if available" stops before USER when the answer is no, or when nobody is asked', async () => {
      await withServer(
        { kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3', plain: true },
        async (server) => {
          for (const extra of [
            { decideInsecure: () => Promise.resolve(false) },
            {} as Partial<ConnectOptions>,
          ]) {
            const error = await connect(server, {
              mode: 'explicit-if-available',
              ...extra,
            }).catch((e: unknown) => e);
            expect(error).toBeInstanceOf(FerryError);
            expect((error as FerryError).kind).toBe('insecure-refused');
          }
          expect(await server.readLog({ sinceReady: true })).not.toMatch(/FTP command: .*"USER /);
        },
      );
    });

    it('"explicit" (TLS required) refuses a server without TLS before sending USER', async () => {
      await withServer(
        { kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3', plain: true },
        async (server) => {
          const error = await connect(server, { mode: 'explicit' }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(FerryError);
          expect((error as FerryError).kind).toBe('insecure-refused');
          // vsftpd's refusal text itself says "Please login with USER and PASS": match the command.
          expect(await server.readLog({ sinceReady: true })).not.toMatch(/FTP command: .*"USER /);
          expect(await server.readLog({ sinceReady: true })).toMatch(/FTP command: .*"AUTH TLS"/);
        },
      );
    });

    it('"explicit if available" uses TLS when the server offers it', async () => {
      await withServer({ kind: 'pureftpd', mode: 'explicit', tlsMax: '1.3' }, async (server) => {
        const client = await connect(server, { mode: 'explicit-if-available' });
        try {
          expect(client.security.insecureFallback).toBe(false);
          expect(client.security.tlsProtocol).toBe('TLSv1.3');
        } finally {
          await client.close();
        }
      });
    });
  });
});

describe('PASV address', () => {
  it('connects to the control peer when a PASV reply names another address, and logs it', async () => {
    // 192.0.2.1 is TEST-NET-1: nothing answers there, so only the control peer can work.
    await withServer(
      { kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3', pasvAddress: '192.0.2.1' },
      async (server) => {
        const warnings: string[] = [];
        const client = await connect(server, {
          disableEpsv: true,
          onLog: (line) => {
            if (line.direction === 'warning') warnings.push(line.text);
          },
        });
        try {
          await roundTrip(client, server, 'pasv.bin');
          expect(await server.readLog()).toMatch(/227 Entering Passive Mode \(192,0,2,1,/);
          expect(warnings.some((w) => w.includes('192.0.2.1') && w.includes('127.0.0.1'))).toBe(
            true,
          );
        } finally {
          await client.close();
        }
      },
    );
  });
});
