import { randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { FaultProxy, type Cut } from '../../test/support/fault-proxy';
import { TransferQueue } from './queue';
import { partFiles, sha256File, siteFor } from '../../test/support/queue';

const MiB = 1024 * 1024;
const CUTS = 30;
let server: RunningServer;
let proxy: FaultProxy;
let work: string;

beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  proxy = await FaultProxy.start({ controlPort: server.port, passivePorts: server.pasvPorts });
  work = await mkdtemp(path.join(tmpdir(), 'ferry-faults-'));
});

afterAll(async () => {
  await proxy.stop();
  await stopAll();
  await rm(work, { recursive: true, force: true });
});

function nextCut(): Cut {
  const n = proxy.fired.length;
  // Every third cut takes the control connection down mid-transfer; the rest cut the data one.
  return {
    target: n % 3 === 2 ? 'control' : 'data',
    afterBytes: randomInt(64 * 1024, 8 * MiB),
    reset: n % 2 === 0,
  };
}

it(`survives ${CUTS} cuts of data and control connections across uploads and downloads of a 20 MiB file`, async () => {
  const data = randomBytes(20 * MiB);
  const src = path.join(work, 'src.bin');
  await writeFile(src, data);
  await server.writeFile('down.bin', data);
  const want = await sha256File(src);

  proxy.onCut = () => {
    if (proxy.fired.length < CUTS) proxy.arm(nextCut());
  };
  proxy.arm(nextCut());
  const queue = new TransferQueue({
    retry: { maxRetries: 10, baseDelayMs: 20, maxDelayMs: 200 },
    onExists: { upload: 'overwrite', download: 'overwrite' },
    computeSha256: true,
  });
  queue.setSite(siteFor(server, 'proxied', { host: proxy.host, maxConnections: 2 }));
  const dest = path.join(work, 'dest');
  let round = 0;
  while (proxy.fired.length < CUTS && round < 6) {
    for (let i = 0; i < 2; i++) {
      queue.add({
        siteKey: 'proxied',
        direction: 'upload',
        localPath: src,
        remotePath: `/up-${round}-${i}.bin`,
      });
      queue.add({
        siteKey: 'proxied',
        direction: 'download',
        localPath: path.join(dest, `down-${round}-${i}.bin`),
        remotePath: '/down.bin',
      });
    }
    await queue.whenIdle();
    round++;
  }
  proxy.disarm();
  expect(proxy.fired.length).toBeGreaterThanOrEqual(CUTS);
  expect(proxy.fired.some((c) => c.target === 'control')).toBe(true);

  const items = queue.list();
  expect(
    items.filter((i) => i.state !== 'done').map((i) => [i.remotePath, i.state, i.error]),
  ).toEqual([]);
  for (const item of items) {
    const file =
      item.direction === 'upload' ? server.path(item.remotePath.slice(1)) : item.localPath;
    expect(await sha256File(file)).toBe(want);
    expect(item.sha256).toBe(want);
  }
  const retries = items.reduce((sum, i) => sum + i.retries, 0);
  // Every data cut interrupts a transfer; a control cut can land while its connection is idle
  // between items (the pool then just reconnects), so only data cuts must each cost a retry.
  const dataCuts = proxy.fired.filter((c) => c.target === 'data').length;
  expect(dataCuts).toBeGreaterThanOrEqual(CUTS * 0.6);
  expect(retries).toBeGreaterThanOrEqual(dataCuts);
  expect(items.some((i) => i.direction === 'upload' && (i.resumedAt?.length ?? 0) > 0)).toBe(true);
  expect(items.some((i) => i.direction === 'download' && (i.resumedAt?.length ?? 0) > 0)).toBe(
    true,
  );
  expect(await partFiles(dest)).toEqual([]);
  await queue.dispose();
}, 150_000);
