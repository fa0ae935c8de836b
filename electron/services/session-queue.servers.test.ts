/**
 * The session drives the queue by events (createBackend wires session.onEnded/onConnected to the
 * queue): when the session ends, its server's transfers stop and wait; when it connects again,
 * they run to the end. On a real vsftpd, through `dispatch` as the renderer calls it.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { TransferItem } from '../../shared/transfers';
import { startServer, stopAll } from '../../test/servers/servers';
import { createBackend } from './backend';
import { connectFtps } from './engine-client';

afterAll(stopAll);

const FILES = 300;

it('ending the session stops its transfers; connecting again finishes them', async () => {
  const server = await startServer({
    kind: 'vsftpd',
    mode: 'explicit',
    tlsMax: '1.3',
    plain: true,
  });
  const dir = await mkdtemp(join(tmpdir(), 'ferry-session-queue-'));
  const backend = createBackend({
    dataDir: join(dir, 'data'),
    emit: () => undefined,
    connectClient: connectFtps,
    runtime: 'bridge',
    version: '0.0.0',
    platform: process.platform,
  });
  const events: string[] = [];
  backend.session.onConnected(() => events.push('connected'));
  const stopListening = backend.session.onEnded(() => events.push('ended'));
  const login = { host: server.host, port: server.port, mode: 'plain' as const };
  const connect = () =>
    backend.dispatch('connect', [{ ...login, user: server.user, password: server.password }]);
  const items = async () =>
    ((await backend.dispatch('getTransfers', [])) as { value: TransferItem[] }).value;
  const done = async () => (await items()).filter((item) => item.state === 'done').length;
  try {
    for (let i = 0; i < FILES; i++) await server.writeFile(`many/f${i}.txt`, `file ${i}\n`);
    expect(await connect()).toMatchObject({ ok: true, value: { status: 'connected' } });
    const target = join(dir, 'download');
    await backend.dispatch('addTransfers', [
      [{ direction: 'download', localPath: target, remotePath: '/many', isDirectory: true }],
    ]);
    for (let wait = 0; wait < 200 && (await done()) === 0; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await backend.dispatch('disconnect', []);
    expect(events).toEqual(['connected', 'ended']);

    // Ended: whatever was mid-file settles, then nothing more finishes.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const stoppedAt = await done();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await done()).toBe(stoppedAt);
    expect(stoppedAt).toBeLessThan(FILES);
    expect((await items()).filter((item) => item.state === 'failed')).toEqual([]);

    // Connected again: the waiting items run to the end.
    stopListening();
    expect(await connect()).toMatchObject({ ok: true, value: { status: 'connected' } });
    for (let wait = 0; wait < 300 && (await done()) < FILES; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await done()).toBe(FILES);
    expect((await readdir(target)).length).toBe(FILES);
    expect(events).toEqual(['connected', 'ended', 'connected']);
  } finally {
    await backend.dispose();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
