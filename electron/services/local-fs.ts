import { lstat, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Stats } from 'node:fs';
import type { Listing } from '../../shared/ipc';
import type { RemoteEntry } from '../../shared/models';
import { FerryError } from '../engine/errors';
import { localFsError } from '../files/local-fs-error';

/** The local side of the file panes: plain node:fs. */
export class LocalFsService {
  private stagingDir: string | undefined;

  home(): string {
    return homedir();
  }

  async list(path?: string): Promise<Listing> {
    const dir = resolve(path ?? homedir());
    const names = await guard('List local folder', dir, () => readdir(dir));
    const entries = await Promise.all(
      names.map(async (name): Promise<RemoteEntry | undefined> => {
        const full = join(dir, name);
        try {
          const link = await lstat(full);
          if (link.isSymbolicLink()) {
            const target = await stat(full).catch(() => undefined);
            return {
              ...toEntry(name, target ?? link),
              kind: target?.isDirectory() ? 'dir' : 'link',
            };
          }
          return toEntry(name, link);
        } catch {
          return undefined;
        }
      }),
    );
    return {
      side: 'local',
      path: dir,
      entries: entries.filter((e): e is RemoteEntry => e !== undefined),
    };
  }

  async mkdir(path: string): Promise<void> {
    await guard('Create local folder', path, () => mkdir(resolve(path)));
  }

  /**
   * Renames without replacing: rename(2) would silently overwrite an existing file. A target
   * that is the source itself (a change of case on a case-insensitive disk) is allowed.
   */
  async rename(from: string, to: string): Promise<void> {
    const source = resolve(from);
    const target = resolve(to);
    const existing = await lstat(target).catch(() => undefined);
    if (existing) {
      const itself = await lstat(source).catch(() => undefined);
      if (!itself || itself.ino !== existing.ino || itself.dev !== existing.dev) {
        throw new FerryError({
          kind: 'exists',
          step: 'Rename local item',
          side: 'local',
          path: target,
        });
      }
    }
    await guard('Rename local item', from, () => rename(source, target));
  }

  async delete(paths: string[]): Promise<void> {
    for (const path of paths) {
      const full = resolve(path);
      if (full === resolve('/') || full === homedir()) {
        throw new FerryError({
          kind: 'usage',
          step: 'Delete local item',
          reason: `refusing to delete ${full}`,
        });
      }
      await guard('Delete local item', full, () => rm(full, { recursive: true, force: false }));
    }
  }

  /**
   * Writes the bytes of a dropped file that has no local path (the browser bridge) to a private
   * temporary folder and returns the new path.
   */
  async stage(name: string, bytes: Uint8Array): Promise<string> {
    const safe = basename(name).replace(/[\0/\\]/g, '_') || 'dropped-file';
    this.stagingDir ??= await mkdtemp(join(tmpdir(), 'ferry-drop-'));
    const folder = await mkdtemp(join(this.stagingDir, 'f-'));
    const target = join(folder, safe);
    await writeFile(target, bytes);
    return target;
  }

  async dispose(): Promise<void> {
    if (this.stagingDir) await rm(this.stagingDir, { recursive: true, force: true });
  }
}

function toEntry(name: string, stats: Stats): RemoteEntry {
  return {
    name,
    kind: stats.isDirectory()
      ? 'dir'
      : stats.isFile()
        ? 'file'
        : stats.isSymbolicLink()
          ? 'link'
          : 'other',
    size: stats.isDirectory() ? undefined : stats.size,
    modified: stats.mtime.toISOString(),
    permissions: permissionString(stats.mode),
  };
}

export function permissionString(mode: number): string {
  const bits = 'rwxrwxrwx';
  let out = '';
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? bits[i] : '-';
  return out;
}

async function guard<T>(step: string, path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw localFsError(step, path, error);
  }
}
