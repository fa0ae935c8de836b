/**
 * The connection limits reach the transfer queue, counted as logins in the real server's log: a
 * saved site's "maximum connections", and the settings' "connections per server" (a number, or
 * automatic: more connections for a folder of many files).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { defaultSiteInput } from '../../shared/sites';
import type { ConnectionLimit } from '../../shared/settings-limits';
import { LOG_PATTERNS, startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { settledTransfers, trustingBackend } from '../../test/support/backend';
import type { Backend } from './backend';

afterAll(stopAll);

async function logins(server: RunningServer): Promise<number> {
  const log = await server.readLog({ sinceReady: true });
  return (log.match(new RegExp(LOG_PATTERNS.vsftpd.userReceived.source, 'g')) ?? []).length;
}

it("a site's maximum connections limits the transfer pool", async () => {
  const server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  const dataDir = await mkdtemp(join(tmpdir(), 'ferry-site-limit-'));
  let backend: Backend | undefined;
  try {
    for (let i = 0; i < 6; i++) await server.writeFile(`many/f${i}.txt`, `file ${i}\n`);
    backend = trustingBackend(dataDir);
    const saved = await backend.dispatch('createSite', [
      {
        ...defaultSiteInput(),
        name: 'One at a time',
        host: server.host,
        port: server.port,
        mode: 'explicit',
        user: server.user,
        maxConnections: 1,
      },
      { password: server.password },
    ]);
    const siteId = (saved as { value: { site: { id: string } } }).value.site.id;
    expect(await backend.dispatch('connectSite', [siteId, {}])).toMatchObject({
      ok: true,
      value: {
        status: 'session',
        // The session names the site it came from (connect bar, title and status bar show it).
        session: { target: { site: { id: siteId, name: 'One at a time' }, mode: 'explicit' } },
      },
    });
    const target = join(dataDir, 'download');
    await backend.dispatch('addTransfers', [
      [{ direction: 'download', localPath: target, remotePath: '/many', isDirectory: true }],
    ]);
    const items = await settledTransfers(backend, 6);
    expect(items.filter((item) => item.state === 'done')).toHaveLength(6);
    expect(await readFile(join(target, 'f5.txt'), 'utf8')).toBe('file 5\n');
    // One login for browsing and exactly one for the transfer pool.
    expect(await logins(server)).toBe(2);
  } finally {
    await backend?.dispose();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

it.each([
  [2, 3],
  ['auto', 9],
] as Array<[ConnectionLimit, number]>)(
  "the settings' connections per server (%s) reach the pool of a quick connection",
  async (limit, expectedLogins) => {
    const server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
    const dataDir = await mkdtemp(join(tmpdir(), 'ferry-settings-limit-'));
    let backend: Backend | undefined;
    try {
      // Big enough that no file is done before the pump has handed out every slot.
      for (let i = 0; i < 12; i++)
        await server.writeFile(`many/f${i}.bin`, Buffer.alloc(2_000_000, i));
      backend = trustingBackend(dataDir);
      await backend.dispatch('updateSettings', [{ transferConcurrency: limit }]);
      const connected = await backend.dispatch('connect', [
        {
          host: server.host,
          port: server.port,
          mode: 'explicit',
          user: server.user,
          password: server.password,
        },
      ]);
      expect(connected).toMatchObject({ ok: true, value: { status: 'connected' } });
      const target = join(dataDir, 'download');
      await backend.dispatch('addTransfers', [
        [{ direction: 'download', localPath: target, remotePath: '/many', isDirectory: true }],
      ]);
      const items = await settledTransfers(backend, 12);
      expect(items.filter((item) => item.state === 'done')).toHaveLength(12);
      // One login for browsing; the pool's: the number set, or 8 for automatic.
      expect(await logins(server)).toBe(expectedLogins);
    } finally {
      await backend?.dispose();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
