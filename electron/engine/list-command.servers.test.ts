/**
 * The listing command choice against ProFTPD, which offers MLST: `auto` and `mlsd` send MLSD,
 * `list` sends LIST, and the entries agree on what both formats carry.
 */
import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { FtpsClient } from './client';
import { connectOptionsFor } from '../../test/support/engine';
import type { ListCommand } from '../../shared/models';
import type { RemoteEntry } from '../../shared/models';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ kind: 'proftpd', mode: 'explicit', tlsMax: '1.3' });
  await server.writeFile('listing/plain.txt', 'x'.repeat(1234));
  await server.writeFile('listing/with space.bin', Buffer.alloc(70_000, 7));
  await server.writeFile('listing/sub/inner.txt', 'inner');
});

afterAll(() => stopAll());

async function listWith(listCommand: ListCommand): Promise<RemoteEntry[]> {
  const client = await FtpsClient.connect(connectOptionsFor(server, { listCommand }));
  try {
    return await client.list('/listing');
  } finally {
    await client.close();
  }
}

const summary = (entries: RemoteEntry[]): string[] =>
  entries
    .filter((e) => e.name !== '.' && e.name !== '..')
    .map(
      (e) => `${e.kind} ${e.name} ${e.kind === 'file' ? e.size : ''} ${e.modified?.slice(0, 16)}`,
    )
    .sort();

it('auto and mlsd send MLSD, list sends LIST, and both describe the same folder', async () => {
  const before = (await server.readLog()).length;
  const auto = await listWith('auto');
  const mlsd = await listWith('mlsd');
  const list = await listWith('list');
  const log = (await server.readLog()).slice(before);
  expect(log.match(/cmd="MLSD \/listing"/g)).toHaveLength(2);
  expect(log.match(/cmd="LIST -a \/listing"/g)).toHaveLength(1);
  const minute = async (name: string): Promise<string> =>
    (await stat(server.path(`listing/${name}`))).mtime.toISOString().slice(0, 16);
  const expected = [
    `dir sub  ${await minute('sub')}`,
    `file plain.txt 1234 ${await minute('plain.txt')}`,
    `file with space.bin 70000 ${await minute('with space.bin')}`,
  ];
  expect(summary(auto)).toEqual(expected);
  expect(summary(mlsd)).toEqual(expected);
  expect(summary(list)).toEqual(expected);
});
