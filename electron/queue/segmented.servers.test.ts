// Segmented downloads (one file over several connections with REST ranges) against vsftpd,
// ProFTPD with mod_digest (HASH) and pure-ftpd: the result's SHA-256 equals the source's, the
// ranges really went over several connections, and a paused download continues its ranges.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerKind } from '../../test/servers/servers';
import { startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { FtpsClient } from '../engine/client';
import type { ConnectOptions } from '../engine/types';
import { FaultProxy } from '../../test/support/fault-proxy';
import { TransferQueue } from './queue';
import { exists, partFiles, sha256File, siteFor } from '../../test/support/queue';

const MiB = 1024 * 1024;
const SMALL_POLICY = { thresholdBytes: 2 * MiB, minSegmentBytes: MiB, alignBytes: 64 * 1024 };

let work: string;
const servers = new Map<ServerKind, RunningServer>();

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ferry-segmented-'));
  const [vsftpd, proftpd, pureftpd] = await Promise.all([
    startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' }),
    startServer({ kind: 'proftpd', mode: 'explicit', tlsMax: '1.3', digest: true }),
    startServer({ kind: 'pureftpd', mode: 'explicit', tlsMax: '1.3' }),
  ]);
  servers.set('vsftpd', vsftpd);
  servers.set('proftpd', proftpd);
  servers.set('pureftpd', pureftpd);
});

afterAll(async () => {
  await stopAll();
  await rm(work, { recursive: true, force: true });
});

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Real connections, with each RETR's REST offset and the connection it went over noted. */
function observedConnector(seen: Array<{ connection: string; offset: number }>) {
  return async (options: ConnectOptions): Promise<FtpsClient> => {
    const client = await FtpsClient.connect(options);
    const download = client.download.bind(client);
    client.download = (remote, sink, opts) => {
      seen.push({ connection: options.connectionId ?? '', offset: opts?.offset ?? 0 });
      return download(remote, sink, opts);
    };
    return client;
  };
}

function queueFor(
  server: RunningServer,
  seen: Array<{ connection: string; offset: number }>,
  extra: { statePath?: string; host?: string } = {},
): TransferQueue {
  const queue = new TransferQueue({
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    onExists: { upload: 'overwrite', download: 'overwrite' },
    computeSha256: true,
    segments: { ...SMALL_POLICY, connections: 4 },
    connect: observedConnector(seen),
    ...(extra.statePath !== undefined ? { statePath: extra.statePath } : {}),
  });
  queue.setSite(
    siteFor(server, `${server.kind}-seg`, {
      maxConnections: 4,
      ...(extra.host !== undefined ? { host: extra.host } : {}),
    }),
  );
  return queue;
}

describe.each(['vsftpd', 'proftpd', 'pureftpd'] as const)('segmented download from %s', (kind) => {
  it('fetches one file in four ranges over four connections; SHA-256 equals the source', async () => {
    const server = servers.get(kind);
    if (!server) throw new Error('server missing');
    const data = randomBytes(6 * MiB + 12_345);
    await server.writeFile(`seg/${kind}.bin`, data);
    const seen: Array<{ connection: string; offset: number }> = [];
    const queue = queueFor(server, seen);
    // Four small files first open four connections, which then wait in the pool: the ranges
    // start on all of them at once (on loopback a range is faster than a new TLS login).
    for (let i = 0; i < 4; i++) {
      await server.writeFile(`seg/${kind}-small${i}.bin`, randomBytes(1000));
      queue.add({
        siteKey: `${kind}-seg`,
        direction: 'download',
        remotePath: `/seg/${kind}-small${i}.bin`,
        localPath: path.join(work, kind, `small${i}.bin`),
      });
    }
    await queue.whenIdle();
    expect(new Set(seen.map((s) => s.connection)).size).toBe(4);
    seen.length = 0;
    const target = path.join(work, kind, 'big.bin');
    queue.add({
      siteKey: `${kind}-seg`,
      direction: 'download',
      remotePath: `/seg/${kind}.bin`,
      localPath: target,
    });
    await queue.whenIdle();
    const item = queue.list().find((i) => i.localPath === target);
    await queue.dispose();
    expect(item?.error).toBeUndefined();
    expect(item?.state).toBe('done');
    expect(await sha256File(target)).toBe(sha(data));
    expect(item?.sha256).toBe(sha(data));
    expect(item?.verification).toBe(kind === 'proftpd' ? 'HASH SHA-256' : 'size');
    expect(item?.bytesDone).toBe(data.length);
    expect(item?.segments).toBeUndefined();
    // Four ranges, one RETR each, on four connections; each but the first starts a probe early.
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((s) => s.connection)).size).toBe(4);
    const offsets = seen.map((s) => s.offset).sort((a, b) => a - b);
    expect(offsets[0]).toBe(0);
    for (const offset of offsets.slice(1)) expect(offset % (64 * 1024)).toBe(64 * 1024 - 4096);
    expect(await partFiles(path.dirname(target))).toEqual([]);
  });
});

describe('segmented download, paused and continued', () => {
  it('remembers each range on the item (persisted) and continues every range after a restart', async () => {
    const server = servers.get('vsftpd');
    if (!server) throw new Error('server missing');
    const data = randomBytes(24 * MiB);
    await server.writeFile('seg/resume.bin', data);
    const statePath = path.join(work, 'resume-state.json');
    const target = path.join(work, 'resume', 'big.bin');
    const seen: Array<{ connection: string; offset: number }> = [];
    // Data through a throttling proxy (4 MB/s per connection): unthrottled, the ranges can finish
    // on loopback before the pause lands.
    const proxy = await FaultProxy.start({
      controlPort: server.port,
      passivePorts: server.pasvPorts,
    });
    proxy.throttle(4_000_000);
    const first = queueFor(server, seen, { statePath, host: proxy.host });
    const id = first.add({
      siteKey: `vsftpd-seg`,
      direction: 'download',
      remotePath: '/seg/resume.bin',
      localPath: target,
    });
    // Pause once every range has some bytes on disk.
    await new Promise<void>((resolve) => {
      first.on('progress', () => {
        const item = first.list()[0];
        if (item?.segments?.every((s) => s.done > 0)) resolve();
      });
    });
    const itemId = first.list()[0]?.id ?? '';
    first.pause(itemId);
    await first.whenIdle();
    const paused = first.get(itemId);
    expect(paused?.state).toBe('paused');
    expect(paused?.segments).toHaveLength(4);
    const doneBefore = paused?.segments?.map((s) => s.done) ?? [];
    expect(doneBefore.every((d) => d > 0)).toBe(true);
    await first.dispose();
    await proxy.stop();
    void id;

    seen.length = 0;
    const second = await TransferQueue.open({
      retry: { baseDelayMs: 20, maxDelayMs: 100 },
      onExists: { upload: 'overwrite', download: 'overwrite' },
      computeSha256: true,
      segments: { ...SMALL_POLICY, connections: 4 },
      connect: observedConnector(seen),
      statePath,
    });
    second.setSite(siteFor(server, 'vsftpd-seg', { maxConnections: 4 }));
    const restored = second.get(itemId);
    expect(restored?.segments?.map((s) => s.done)).toEqual(doneBefore);
    second.resume(itemId);
    await second.whenIdle();
    const item = second.get(itemId);
    await second.dispose();
    expect(item?.error).toBeUndefined();
    expect(item?.state).toBe('done');
    expect(await sha256File(target)).toBe(sha(data));
    // Each unfinished range continued from where it stopped (minus the probe), not from its start.
    const starts = (paused?.segments ?? []).map((s) => s.start + s.done - 4096);
    for (const { offset } of seen) expect(starts).toContain(offset);
    expect(await exists(path.join(work, 'resume'))).toBe(true);
    expect(await partFiles(path.join(work, 'resume'))).toEqual([]);
  });
});
