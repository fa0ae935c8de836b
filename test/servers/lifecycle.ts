// Who stops the servers: stop()/stopAll() in the tests, exit hooks when a test forgot, and
// cleanupOrphans for servers whose owning process died (a worker killed with SIGKILL runs no
// exit handler).
import type { ChildProcess } from 'node:child_process';
import { rmSync, unlinkSync } from 'node:fs';
import { readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killTreeNow, startTime, terminate } from './processes';
import type { LogSink } from './types';

/** Written into each server folder, so a later process can clean up after one that died
 * without stopping its servers. */
interface OwnerRecord {
  owner: number;
  ownerStart: string;
  server: number;
  serverStart: string;
  pasvLock: string;
}

const DIR_PREFIX = /^ferry-(vsftpd|proftpd|pureftpd)-/;

/**
 * Stops servers (and removes their folders) whose owning process died without stopping them.
 * startServer runs it once per process.
 */
export async function cleanupOrphans(): Promise<void> {
  const base = tmpdir();
  const names = await readdir(base).catch(() => [] as string[]);
  for (const name of names) {
    if (!DIR_PREFIX.test(name)) continue;
    const dir = join(base, name);
    const raw = await readFile(join(dir, 'owner.json'), 'utf8').catch(() => undefined);
    if (raw === undefined) {
      // No record: a start that failed hard, or one in progress right now (leave those).
      const age = Date.now() - ((await stat(dir).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age > 10 * 60_000) await rm(dir, { recursive: true, force: true });
      continue;
    }
    let rec: OwnerRecord;
    try {
      rec = JSON.parse(raw) as OwnerRecord;
    } catch {
      continue;
    }
    if (startTime(rec.owner) === rec.ownerStart) continue; // its owner still runs
    if (startTime(rec.server) === rec.serverStart) {
      killTreeNow(rec.server);
    }
    await unlink(rec.pasvLock).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

export async function writeOwnerRecord(
  dir: string,
  serverPid: number,
  pasvLock: string,
): Promise<void> {
  const rec: OwnerRecord = {
    owner: process.pid,
    ownerStart: startTime(process.pid) ?? '',
    server: serverPid,
    serverStart: startTime(serverPid) ?? '',
    pasvLock,
  };
  await writeFile(join(dir, 'owner.json'), JSON.stringify(rec) + '\n');
}

export interface Handle {
  child: ChildProcess;
  stop(): Promise<void>;
  killNowSync(): void;
}

const runningServers = new Set<Handle>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  // Last resort when a test forgot stop()/stopAll(): kill synchronously as the process exits.
  process.on('exit', () => {
    for (const h of runningServers) h.killNowSync();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      for (const h of runningServers) h.killNowSync();
      process.removeListener(sig, handler);
      process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}

/** Tracks a started server until it is stopped; stop() is idempotent. */
export function registerServer(
  proc: ChildProcess,
  dir: string,
  pasvLock: string,
  sink: LogSink | undefined,
): Handle {
  const pid = proc.pid as number;
  let stopping: Promise<void> | undefined;
  const handle: Handle = {
    child: proc,
    stop: () => {
      stopping ??= (async () => {
        await terminate(proc);
        await sink?.close().catch(() => undefined);
        await unlink(pasvLock).catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
        runningServers.delete(handle);
      })();
      return stopping;
    },
    killNowSync: () => {
      killTreeNow(pid);
      try {
        unlinkSync(pasvLock);
      } catch {
        // gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  runningServers.add(handle);
  installExitHooks();
  return handle;
}

/** Stops every server this process started (for afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all([...runningServers].map((h) => h.stop()));
}
