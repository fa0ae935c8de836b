/**
 * The settings' "Keep modification times" reaches the transfer queue: a folder downloaded from
 * vsftpd (LIST gives times to the minute) gets the server's times, asked with one MDTM per file,
 * or, with the setting off, no MDTM at all and the time of arrival. Counted in vsftpd's log.
 */
import { mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startServer, stopAll } from '../../test/servers/servers';
import { settledTransfers, trustingBackend } from '../../test/support/backend';
import type { Backend } from './backend';

afterAll(stopAll);

const LONG_AGO = new Date('2017-07-07T07:07:07Z');

it.each([true, false])('keep modification times: %s', async (preserveTimes) => {
  const server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  const dataDir = await mkdtemp(join(tmpdir(), 'ferry-keep-times-'));
  let backend: Backend | undefined;
  try {
    for (let i = 0; i < 3; i++) {
      await server.writeFile(`dated/f${i}.txt`, `file ${i}\n`);
      await utimes(server.path(`dated/f${i}.txt`), LONG_AGO, LONG_AGO);
    }
    backend = trustingBackend(dataDir);
    await backend.dispatch('updateSettings', [{ preserveTimes }]);
    await backend.dispatch('connect', [
      {
        host: server.host,
        port: server.port,
        mode: 'explicit',
        user: server.user,
        password: server.password,
      },
    ]);
    const target = join(dataDir, 'download');
    await backend.dispatch('addTransfers', [
      [{ direction: 'download', localPath: target, remotePath: '/dated', isDirectory: true }],
    ]);
    const items = await settledTransfers(backend, 3);
    expect(items.filter((item) => item.state === 'done')).toHaveLength(3);
    const mdtm = (await server.readLog()).match(/FTP command: Client "[^"]*", "MDTM /g) ?? [];
    const time = (await stat(join(target, 'f0.txt'))).mtime;
    if (preserveTimes) {
      expect(mdtm).toHaveLength(3);
      expect(time).toEqual(LONG_AGO);
    } else {
      expect(mdtm).toHaveLength(0);
      expect(Date.now() - time.getTime()).toBeLessThan(60_000);
    }
  } finally {
    await backend?.dispose();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
