/**
 * Crash-safe JSON files for the user-data folder.
 *
 * Writes go to a temporary file in the same folder, are flushed to disk (fsync) and then renamed
 * over the target, so a reader (or the next start after a crash or power loss) sees either the
 * whole old file or the whole new one. Reads check a schema version; a file that does not parse,
 * fails validation, or comes from a newer Ferry is moved aside as `<name>.corrupt-<timestamp>.json`
 * and a notice is returned so the UI can say so: nothing is silently lost.
 */
import { randomBytes } from 'node:crypto';
import { open, mkdir, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { StoreNotice } from '../../shared/sites';

export type AtomicData = string | Uint8Array | AsyncIterable<string | Uint8Array>;

const TEMP_SUFFIX = '.tmp';

function tempNameFor(file: string): string {
  return join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`,
  );
}

/** Writes in the same process queue behind each other, so the last call's content wins. */
const queues = new Map<string, Promise<unknown>>();

function serialized<T>(file: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(file) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.catch(() => undefined);
  queues.set(file, settled);
  void settled.then(() => {
    if (queues.get(file) === settled) queues.delete(file);
  });
  return next;
}

/**
 * Replaces `file` atomically with `data` (a string, bytes, or chunks written as they come).
 * The file keeps mode 0600 by default: these files hold site lists and pins.
 */
export function writeFileAtomic(
  file: string,
  data: AtomicData,
  options: { mode?: number } = {},
): Promise<void> {
  return serialized(file, async () => {
    await mkdir(dirname(file), { recursive: true });
    const temp = tempNameFor(file);
    const handle = await open(temp, 'wx', options.mode ?? 0o600);
    let renamed = false;
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) {
        await handle.writeFile(data);
      } else {
        for await (const chunk of data) {
          if (typeof chunk === 'string') await handle.write(chunk);
          else await handle.write(chunk);
        }
      }
      await handle.sync();
      await handle.close();
      await rename(temp, file);
      renamed = true;
      await syncFolder(dirname(file));
    } finally {
      if (!renamed) {
        await handle.close().catch(() => undefined);
        await unlink(temp).catch(() => undefined);
      }
    }
  });
}

/** Writes `value` as indented JSON with {@link writeFileAtomic} (same folder, fsync, rename). */
export function writeJson(file: string, value: unknown): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads a JSON file, or returns `fallback` when it does not exist or does not parse. */
export async function readJson<T>(file: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

/** Makes the rename itself durable where the platform allows opening a folder (not Windows). */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse fsync on a folder; the rename has still happened.
  }
}

/** The envelope every versioned file has on disk. */
export interface VersionedEnvelope<T> {
  schemaVersion: number;
  data: T;
}

export function writeVersionedJson<T>(file: string, schemaVersion: number, data: T): Promise<void> {
  const envelope: VersionedEnvelope<T> = { schemaVersion, data };
  return writeFileAtomic(file, `${JSON.stringify(envelope, null, 2)}\n`);
}

/** Thrown by a `parse` function to reject a file's content; the message becomes the notice. */
export class InvalidContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidContentError';
  }
}

export interface ReadVersionedOptions<T> {
  /** The schema version this build writes. Files with a higher version are set aside. */
  schemaVersion: number;
  /**
   * Checks (and, for older versions, migrates) the `data` of a file written with `version`.
   * Throws InvalidContentError (or anything) when the content is not acceptable.
   */
  parse(data: unknown, version: number): T;
  /** The value used when the file does not exist or was set aside. */
  fallback(): T;
  /**
   * Accepts a file without the envelope (written before versioning) as this version's data.
   * Return undefined when the raw value is not such a file.
   */
  legacy?(raw: unknown): T | undefined;
}

export interface ReadResult<T> {
  value: T;
  /** Set when the file was unreadable and moved aside. */
  notice?: StoreNotice;
  /** Whether a usable file was found. */
  existed: boolean;
}

/** Reads a versioned JSON file; an unusable one is renamed aside and the fallback returned. */
export async function readVersionedJson<T>(
  file: string,
  options: ReadVersionedOptions<T>,
): Promise<ReadResult<T>> {
  await removeAbandonedTemps(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { value: options.fallback(), existed: false };
    }
    throw error;
  }
  let reason: string;
  try {
    const raw: unknown = JSON.parse(text);
    if (isEnvelope(raw)) {
      if (raw.schemaVersion > options.schemaVersion) {
        reason = `it was written by a newer Ferry (schema ${raw.schemaVersion}, this version reads up to ${options.schemaVersion})`;
      } else {
        return { value: options.parse(raw.data, raw.schemaVersion), existed: true };
      }
    } else {
      const legacy = options.legacy?.(raw);
      if (legacy !== undefined) return { value: legacy, existed: true };
      reason = 'it is not a Ferry file of a known format';
    }
  } catch (error) {
    reason =
      error instanceof SyntaxError
        ? `it is not valid JSON (${error.message})`
        : `its content is not valid (${error instanceof Error ? error.message : String(error)})`;
  }
  const setAsideAs = await setAside(file);
  return {
    value: options.fallback(),
    existed: false,
    notice: { file, setAsideAs, reason },
  };
}

function isEnvelope(raw: unknown): raw is VersionedEnvelope<unknown> {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    !Array.isArray(raw) &&
    typeof (raw as { schemaVersion?: unknown }).schemaVersion === 'number' &&
    Number.isInteger((raw as { schemaVersion: number }).schemaVersion) &&
    'data' in raw
  );
}

/** Renames `settings.json` to `settings.corrupt-2024-05-01T10-00-00-000Z.json` (unique). */
export async function setAside(file: string): Promise<string> {
  const ext = extname(file) || '.json';
  const stem = basename(file, extname(file));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let attempt = 0; ; attempt++) {
    const suffix = attempt === 0 ? '' : `-${attempt}`;
    const target = join(dirname(file), `${stem}.corrupt-${stamp}${suffix}${ext}`);
    try {
      // link + unlink would refuse to overwrite; rename overwrites, so check first.
      await readFile(target);
    } catch {
      await rename(file, target);
      return target;
    }
  }
}

/** Deletes temporary files left by writers that died mid-write (their process is gone). */
async function removeAbandonedTemps(file: string): Promise<void> {
  const prefix = `.${basename(file)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    await unlink(join(dirname(file), name)).catch(() => undefined);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
