/**
 * A data connection ended right after its TLS handshake still sends close_notify. Node counts
 * the handshake's last flight as a write in progress until its next immediate; a shutdown in
 * that window sent the TCP FIN without close_notify, and vsftpd answered 426 "Failure reading
 * network stream" to an empty upload ("unexpected eof" in its log). The window opens when the
 * 150 reply and the handshake's end are read in the same event-loop turn, which a busy machine
 * makes common: the test keeps both cores busy and uploads many empty files over three
 * connections.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterAll, expect, it } from 'vitest';
import { startServer, stopAll } from '../../test/servers/servers';
import { connectOptionsFor } from '../../test/support/engine';
import { FtpsClient } from './client';

const CONNECTIONS = 3;
const FILES_EACH = 60;

const busy: ChildProcess[] = [];

afterAll(async () => {
  for (const child of busy) child.kill('SIGKILL');
  await stopAll();
});

/** Busy child processes; each also stops by itself after a minute should this run die first. */
function keepCoresBusy(count: number): void {
  const spin = 'const end = Date.now() + 60000; while (Date.now() < end);';
  for (let i = 0; i < count; i++) {
    busy.push(spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }));
  }
}

it('empty uploads over TLS 1.3 on a busy machine all end with close_notify (vsftpd)', async () => {
  const server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  keepCoresBusy(2);
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, c) => {
      const client = await FtpsClient.connect(connectOptionsFor(server));
      try {
        for (let i = 0; i < FILES_EACH; i++) {
          const name = `/empty-${c}-${i}.bin`;
          const result = await client.upload(Readable.from([]), name).then(
            (done) => done,
            (error: unknown) => {
              failures.push(`${name}: ${String(error)}`);
              return undefined;
            },
          );
          if (result) expect(result.record.protocol).toBe('TLSv1.3');
        }
      } finally {
        await client.close();
      }
    }),
  );
  for (const child of busy.splice(0)) child.kill('SIGKILL');
  expect(failures).toEqual([]);
  expect((await server.readLog({ sinceReady: true })).match(/unexpected eof/gi) ?? []).toEqual([]);
  expect((await stat(server.path(`empty-${CONNECTIONS - 1}-${FILES_EACH - 1}.bin`))).size).toBe(0);
}, 120_000);
