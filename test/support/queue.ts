// Helpers for the queue's integration tests (not shipped: only *.test.ts files import this).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunningServer } from '../servers/servers';
import type { HostileServer } from '../hostile/hostile-server';
import { connectOptionsFor } from './engine';
import type { ConnectOptions } from '../../electron/engine/types';
import type { SiteConfig } from '../../electron/queue/types';

/** Connection settings for a test server; its self-signed certificate is accepted by fingerprint. */
export function siteFor(
  server: RunningServer,
  key = `${server.kind}-${server.port}`,
  overrides: Partial<ConnectOptions> & Pick<SiteConfig, 'maxConnections'> = {},
): SiteConfig {
  const { maxConnections, ...connect } = overrides;
  return {
    key,
    ...(maxConnections !== undefined ? { maxConnections } : {}),
    connect: connectOptionsFor(server, {
      timeouts: { connectMs: 5000, replyMs: 10_000, dataIdleMs: 10_000 },
      ...connect,
    }),
  };
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/** Every file below `root` (relative, `/`-separated) with its SHA-256, plus every folder. */
export async function describeTree(
  root: string,
): Promise<{ files: Map<string, string>; dirs: Set<string> }> {
  const files = new Map<string, string>();
  const dirs = new Set<string>();
  async function walk(rel: string): Promise<void> {
    const full = rel ? path.join(root, ...rel.split('/')) : root;
    for (const dirent of await readdir(full, { withFileTypes: true })) {
      const child = rel ? `${rel}/${dirent.name}` : dirent.name;
      if (dirent.isDirectory()) {
        dirs.add(child);
        await walk(child);
      } else files.set(child, await sha256File(path.join(full, dirent.name)));
    }
  }
  await walk('');
  return { files, dirs };
}

/** Any `.part` file left below `root`. */
export async function partFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { recursive: true }))
    if (entry.endsWith('.part')) out.push(entry);
  return out;
}

/** A tree with nested and empty folders and names with spaces and Unicode. */
export async function makeTree(
  write: (rel: string, data: Buffer) => Promise<unknown>,
  makeDir: (rel: string) => Promise<unknown>,
): Promise<void> {
  const files: Array<[string, number]> = [
    ['top.txt', 100],
    ['with space.bin', 70_000],
    ['Ünïcödé ファイル.dat', 3_000],
    ['a/b/c/deep.bin', 1_200_000],
    ['a/b/sibling file.txt', 10],
    ['a/zero.txt', 0],
    ['dir with spaces/ü/x.bin', 4096],
  ];
  for (const [rel, size] of files) await write(rel, randomBytes(size));
  await makeDir('empty');
  await makeDir('a/empty inside');
}

export async function writeLocal(root: string, rel: string, data: Buffer): Promise<void> {
  const full = path.join(root, ...rel.split('/'));
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, data);
}

export async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Connection settings for the hostile test server: its own certificate only, short timeouts. */
export function hostileSite(s: HostileServer, key: string, maxConnections: number): SiteConfig {
  return {
    key,
    maxConnections,
    connect: {
      host: s.host,
      port: s.port,
      mode: 'explicit',
      user: s.user,
      password: s.password,
      keepaliveMs: 0,
      timeouts: { connectMs: 5000, replyMs: 5000, dataIdleMs: 5000 },
      decideTrust: (report) =>
        Promise.resolve(report.chain[0]?.fingerprint256 === s.fingerprint256 ? 'once' : 'reject'),
    },
  };
}
