/**
 * A saved site's "Large downloads" choice reaches the transfer queue: with segmented downloads off,
 * a 64 MiB file (the default threshold) comes over one connection in one RETR, no REST; with the
 * default, in ranges (REST) over several. Counted in the real server's log.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { defaultSiteInput } from '../../shared/sites';
import { startServer, stopAll } from '../../test/servers/servers';
import { settledTransfers, trustingBackend } from '../../test/support/backend';
import type { Backend } from './backend';

afterAll(stopAll);

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

it.each([false, true])(
  'segmented downloads %s on a saved site',
  async (segmented) => {
    const server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
    const dataDir = await mkdtemp(join(tmpdir(), 'ferry-site-segments-'));
    let backend: Backend | undefined;
    try {
      const data = randomBytes(64 * 1024 * 1024);
      await server.writeFile('big.bin', data);
      backend = trustingBackend(dataDir);
      const saved = await backend.dispatch('createSite', [
        {
          ...defaultSiteInput(),
          name: 'Large files',
          host: server.host,
          port: server.port,
          mode: 'explicit',
          user: server.user,
          maxConnections: 4,
          segmentedDownloads: segmented,
        },
        { password: server.password },
      ]);
      const siteId = (saved as { value: { site: { id: string } } }).value.site.id;
      await backend.dispatch('connectSite', [siteId, {}]);
      const target = join(dataDir, 'big.bin');
      await backend.dispatch('addTransfers', [
        [{ direction: 'download', localPath: target, remotePath: '/big.bin' }],
      ]);
      const items = await settledTransfers(backend, 1, 60);
      expect(items[0]?.state).toBe('done');
      expect(sha(await readFile(target))).toBe(sha(data));
      const log = await server.readLog({ sinceReady: true });
      const retrs = log.match(/FTP command: Client "[^"]*", "RETR /g) ?? [];
      const rests = log.match(/FTP command: Client "[^"]*", "REST /g) ?? [];
      if (segmented) {
        // 64 MiB, 16 MiB at least per range, 4 connections: four ranges, three of them with REST.
        expect(retrs).toHaveLength(4);
        expect(rests).toHaveLength(3);
      } else {
        expect(retrs).toHaveLength(1);
        expect(rests).toHaveLength(0);
      }
    } finally {
      await backend?.dispose();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
  120_000,
);
