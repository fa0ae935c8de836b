/**
 * Rename never overwrites silently (issue 12, case 4), through `dispatch` as the renderer calls
 * it: locally, and on a real vsftpd, whose RNTO would replace an existing file without a word.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startServer, stopAll, type RunningServer } from '../../test/servers/servers';
import { createBackend, type Backend } from './backend';
import { connectFtps } from './engine-client';

let server: RunningServer;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3', plain: true });
});
afterAll(stopAll);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function make(): Promise<{ backend: Backend; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-rename-'));
  const backend = createBackend({
    dataDir: join(dir, 'data'),
    emit: () => undefined,
    connectClient: connectFtps,
    runtime: 'bridge',
    version: '0.0.0',
    platform: process.platform,
  });
  cleanups.push(async () => {
    await backend.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  return { backend, dir };
}

it('a local rename onto an existing file is refused and both files keep their bytes', async () => {
  const { backend, dir } = await make();
  await writeFile(join(dir, 'a.txt'), 'A');
  await writeFile(join(dir, 'b.txt'), 'B');
  const result = await backend.dispatch('renameLocal', [join(dir, 'a.txt'), join(dir, 'b.txt')]);
  expect(result).toMatchObject({ ok: false, error: { kind: 'exists', side: 'local' } });
  expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('A');
  expect(await readFile(join(dir, 'b.txt'), 'utf8')).toBe('B');
  expect(await backend.dispatch('renameLocal', [join(dir, 'a.txt'), join(dir, 'c.txt')])).toEqual({
    ok: true,
    value: null,
  });
  expect(await readFile(join(dir, 'c.txt'), 'utf8')).toBe('A');
});

it('a remote rename onto an existing file is refused and both files keep their bytes', async () => {
  const { backend } = await make();
  await server.writeFile('r/a.txt', 'A');
  await server.writeFile('r/b.txt', 'B');
  const connected = await backend.dispatch('connect', [
    {
      host: server.host,
      port: server.port,
      mode: 'plain',
      user: server.user,
      password: server.password,
    },
  ]);
  expect(connected).toMatchObject({ ok: true, value: { status: 'connected' } });
  const result = await backend.dispatch('renameRemote', ['/r/a.txt', '/r/b.txt']);
  expect(result).toMatchObject({
    ok: false,
    error: { kind: 'exists', side: 'remote', path: '/r/b.txt' },
  });
  expect(await readFile(server.path('r/a.txt'), 'utf8')).toBe('A');
  expect(await readFile(server.path('r/b.txt'), 'utf8')).toBe('B');
  expect(await backend.dispatch('renameRemote', ['/r/a.txt', '/r/c.txt'])).toEqual({
    ok: true,
    value: null,
  });
  expect(await readFile(server.path('r/c.txt'), 'utf8')).toBe('A');
});
