/**
 * A saved site's "maximum connections" reaches the transfer queue: with a limit of 1, a folder
 * download runs on one extra logged-in connection, counted in the real server's log.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { TrustPrompt } from '../../shared/ipc';
import { defaultSiteInput } from '../../shared/sites';
import type { TransferItem } from '../../shared/transfers';
import { LOG_PATTERNS, startServer, stopAll } from '../../test/servers/servers';
import { createBackend, type Backend } from './backend';
import { connectFtps } from './engine-client';
import { aesGcmCipher } from './secrets/aes-cipher';

afterAll(stopAll);

it("a site's maximum connections limits the transfer pool", async () => {
  const server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  const dataDir = await mkdtemp(join(tmpdir(), 'ferry-site-limit-'));
  let backend: Backend | undefined;
  try {
    for (let i = 0; i < 6; i++) await server.writeFile(`many/f${i}.txt`, `file ${i}\n`);
    backend = createBackend({
      dataDir,
      emit: (event, payload) => {
        if (event === 'trustPrompt') {
          const prompt = payload as TrustPrompt;
          void backend?.dispatch('answerTrust', [prompt.promptId, 'once']);
        }
      },
      connectClient: connectFtps,
      runtime: 'bridge',
      version: '0.0.0',
      platform: process.platform,
      secretCipher: aesGcmCipher(),
    });
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
    let items: TransferItem[] = [];
    for (let wait = 0; wait < 200; wait++) {
      const result = (await backend.dispatch('getTransfers', [])) as { value: TransferItem[] };
      items = result.value;
      if (items.length >= 6 && items.every((item) => item.state === 'done')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(items.filter((item) => item.state === 'done')).toHaveLength(6);
    expect(await readFile(join(target, 'f5.txt'), 'utf8')).toBe('file 5\n');
    // One login for browsing and exactly one for the transfer pool.
    const logins = (await server.readLog({ sinceReady: true })).match(
      new RegExp(LOG_PATTERNS.vsftpd.userReceived.source, 'g'),
    );
    expect(logins).toHaveLength(2);
  } finally {
    await backend?.dispose();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
