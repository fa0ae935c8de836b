// The server processes as the kernel sees them (/proc): their descendants (each FTP session is
// one or two processes), whether they still run, and stopping all of them.
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

function readStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: parse after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '?', ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

/** Kernel start time of a process (clock ticks since boot): tells a pid from its reuse. */
export function startTime(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** All descendants of `pid`, deepest first. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (st === undefined) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(Number(name));
    children.set(st.ppid, list);
  }
  const order: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift() as number;
    for (const c of children.get(p) ?? []) {
      order.push(c);
      queue.push(c);
    }
  }
  return order.reverse();
}

/** Running (not gone, not a zombie). */
export function running(pid: number): boolean {
  const st = readStat(pid);
  return st !== undefined && st.state !== 'Z';
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitUntil(
  cond: () => boolean,
  timeoutMs: number,
  stepMs = 25,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await sleep(stepMs);
  }
  return cond();
}

/** Gone from the process table (zombies still count as present: pgrep lists them). */
function gone(pid: number): boolean {
  return readStat(pid) === undefined;
}

/**
 * Stops a server and everything it forked. Session processes go first, leaves before their
 * parents, while the daemon still lives to reap them: an orphan is left to init, which may be
 * slow to reap it (a zombie that pgrep still lists). Then the daemon's process group; SIGKILL
 * for anything still there after a grace period.
 */
export async function terminate(proc: ChildProcess): Promise<void> {
  const pid = proc.pid;
  if (pid === undefined) return;
  const done = (): boolean => proc.exitCode !== null || proc.signalCode !== null;
  const seen = new Set<number>();
  for (let round = 0; round < 6; round++) {
    const all = descendants(pid).filter(running);
    if (all.length === 0) break;
    all.forEach((p) => seen.add(p));
    const parents = new Set(all.map((p) => readStat(p)?.ppid));
    const leaves = all.filter((p) => !parents.has(p));
    for (const p of leaves) signal(p, round < 3 ? 'SIGTERM' : 'SIGKILL');
    await waitUntil(() => leaves.every(gone), 500, 10);
  }
  if (!done()) {
    signal(-pid, 'SIGTERM');
    signal(pid, 'SIGTERM');
    if (!(await waitUntil(done, 3000))) {
      signal(-pid, 'SIGKILL');
      signal(pid, 'SIGKILL');
      await waitUntil(done, 3000);
    }
  }
  const stragglers = [...seen].filter(running);
  for (const p of stragglers) signal(p, 'SIGKILL');
  // Orphans are reaped by init; give it a moment so they do not show up as zombies.
  await waitUntil(() => [...seen].every(gone), 2000);
}

/** SIGKILL for a server and everything it forked, at once (failed starts, orphans, exit). */
export function killTreeNow(pid: number): void {
  for (const p of descendants(pid)) signal(p, 'SIGKILL');
  signal(-pid, 'SIGKILL');
  signal(pid, 'SIGKILL');
}
