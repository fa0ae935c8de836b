import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chown, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunningServer } from '../test/servers/servers';

async function writeRandomFile(file: string, mib: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  const chunk = randomBytes(1024 * 1024);
  for (let i = 0; i < mib; i++) {
    chunk.writeUInt32LE(i, 0);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

export async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

export async function fresh(dir: string, owner?: RunningServer): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  if (owner) await chown(dir, owner.uid, owner.gid);
}

export async function sizeOf(file: string): Promise<number> {
  return (await stat(file).catch(() => undefined))?.size ?? -1;
}

/** Fixtures on both sides, made once per server and size (loopback and WAN share them). */
export class Fixtures {
  private readonly made = new Set<string>();

  constructor(
    private readonly server: RunningServer,
    private readonly work: string,
  ) {}

  /** A `mib` MiB file: local and remote name `big-<mib>.bin`. */
  async big(mib: number): Promise<string> {
    const name = `big-${mib}.bin`;
    if (this.made.has(name)) return name;
    const local = path.join(this.work, name);
    if ((await sizeOf(local)) !== mib * 1024 * 1024) await writeRandomFile(local, mib);
    await writeRandomFile(this.server.path(name), mib);
    await chown(this.server.path(name), this.server.uid, this.server.gid);
    this.made.add(name);
    return name;
  }

  /** `count` files of `kib` KiB in ten folders; returns the folder name and the files in it. */
  async tree(count: number, kib: number): Promise<{ dir: string; names: string[] }> {
    const dir = `tree-${count}x${kib}k`;
    const names = Array.from({ length: count }, (_, i) => `d${i % 10}/f${i}.bin`);
    if (this.made.has(dir)) return { dir, names };
    const localTree = path.join(this.work, dir);
    if ((await countFiles(localTree)) !== count) {
      await fresh(localTree);
      for (const name of names)
        await writeLocal(path.join(localTree, name), randomBytes(kib * 1024));
    }
    for (const name of names)
      await this.server.writeFile(`${dir}/${name}`, randomBytes(kib * 1024));
    this.made.add(dir);
    return { dir, names };
  }

  /** A folder of `count` empty files. */
  async list(count: number): Promise<string> {
    const dir = `list-${count}`;
    if (this.made.has(dir)) return dir;
    await this.server.mkdir(dir);
    for (let i = 0; i < count; i++) await writeFile(this.server.path(`${dir}/entry-${i}.txt`), '');
    await chown(this.server.path(dir), this.server.uid, this.server.gid);
    this.made.add(dir);
    return dir;
  }
}

async function writeLocal(file: string, data: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
}
