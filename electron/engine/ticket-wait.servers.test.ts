/**
 * TLS 1.3 tickets and the first data connection. A server sends its tickets right after the
 * handshake, so the client has them before the replies that follow; pure-ftpd 1.0.50 sends none
 * at all, and the first transfer of every connection used to wait two seconds for one. Servers
 * that do send tickets must still be resumed from the very first data connection.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, stopAll, type ServerKind } from '../../test/servers/servers';
import { FtpsClient } from './client';
import { connectOptionsFor } from '../../test/support/engine';

afterAll(async () => {
  await stopAll();
});

function sink(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

describe('first data connection under TLS 1.3', () => {
  it.each<[ServerKind, boolean]>([
    ['pureftpd', false],
    ['vsftpd', true],
    ['proftpd', true],
  ])('%s: no wait for a ticket the server never sends (resumed: %s)', async (kind, resumes) => {
    const server = await startServer({ kind, mode: 'explicit', tlsMax: '1.3' });
    try {
      await server.writeFile('small.bin', randomBytes(1024));
      const client = await FtpsClient.connect(connectOptionsFor(server));
      try {
        expect(client.security.tlsProtocol).toBe('TLSv1.3');
        const start = performance.now();
        await client.download('/small.bin', sink());
        // The wait for a missing ticket was 2,000 ms; a loopback transfer takes a few ms.
        expect(performance.now() - start).toBeLessThan(1000);
        expect(client.dataConnections.map((record) => record.resumed)).toEqual([resumes]);
      } finally {
        await client.close();
      }
    } finally {
      await server.stop();
    }
  });
});
