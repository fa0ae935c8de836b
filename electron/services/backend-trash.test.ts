/** Local delete goes to the Trash when the app has one (Electron's shell.trashItem). */
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createBackend, type Backend } from './backend';
import type { ConnectClient } from './remote-client';

const refuse: ConnectClient = () => Promise.reject(new Error('no network in this test'));
const dirs: string[] = [];
const backends: Backend[] = [];

afterEach(async () => {
  for (const backend of backends.splice(0)) await backend.dispose();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function setUp(trashItem?: (path: string) => Promise<void>) {
  const root = await mkdtemp(join(tmpdir(), 'ferry-trash-'));
  dirs.push(root);
  const backend = createBackend({
    dataDir: join(root, 'data'),
    emit: () => undefined,
    connectClient: refuse,
    runtime: 'bridge',
    version: '0.0.0',
    platform: process.platform,
    ...(trashItem ? { trashItem } : {}),
  });
  backends.push(backend);
  const file = join(root, 'notes.txt');
  await writeFile(file, 'keep me\n');
  return { backend, root, file };
}

it('moves a deleted local file to the Trash, where it can be restored', async () => {
  let trashDir = '';
  const { backend, root, file } = await setUp(async (path) => {
    // Stands in for shell.trashItem: a real move into a trash folder.
    await rename(path, join(trashDir, basename(path)));
  });
  trashDir = join(root, 'Trash');
  await mkdir(trashDir);
  expect(await backend.dispatch('getAppInfo', [])).toMatchObject({
    ok: true,
    value: { localTrash: true },
  });
  expect(await backend.dispatch('deleteLocal', [[file]])).toEqual({ ok: true, value: null });
  await expect(stat(file)).rejects.toThrow();
  expect(await readFile(join(trashDir, 'notes.txt'), 'utf8')).toBe('keep me\n');
});

it('without a Trash, deletes permanently and says so in the app info', async () => {
  const { backend, file } = await setUp();
  expect(await backend.dispatch('getAppInfo', [])).toMatchObject({
    ok: true,
    value: { localTrash: false },
  });
  expect(await backend.dispatch('deleteLocal', [[file]])).toEqual({ ok: true, value: null });
  await expect(stat(file)).rejects.toThrow();
});

it('a Trash failure is a local-fs error naming the path', async () => {
  const { backend, file } = await setUp(() =>
    Promise.reject(Object.assign(new Error('no trash here'), { code: 'ENOTSUP' })),
  );
  const result = await backend.dispatch('deleteLocal', [[file]]);
  expect(result).toMatchObject({
    ok: false,
    error: { kind: 'local-fs', path: file, code: 'ENOTSUP', step: 'Move to the Trash' },
  });
  expect(await readFile(file, 'utf8')).toBe('keep me\n');
});

it('imports a FileZilla file named with ~ (the home folder), as the field suggests', async () => {
  const { backend, root } = await setUp();
  const { copyFile } = await import('node:fs/promises');
  await copyFile(
    join(import.meta.dirname, 'filezilla', 'fixtures', 'sitemanager.xml'),
    join(root, 'sitemanager.xml'),
  );
  const home = process.env.HOME;
  process.env.HOME = root;
  try {
    const result = await backend.dispatch('previewImport', ['~/sitemanager.xml']);
    expect(result.ok).toBe(true);
  } finally {
    process.env.HOME = home;
  }
});
