// Ports for the test servers: a free control port, and a block of passive ports claimed across
// Vitest workers (and other processes on this machine) through pid lock files.
import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PASV_BLOCK = 64;

/** A free TCP port on 127.0.0.1 (bind to port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => {
        if (addr !== null && typeof addr === 'object') resolvePort(addr.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

function portBindable(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => res(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => res(true)));
  });
}

function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low !== undefined && high !== undefined && low > 0 && high >= low) return [low, high];
  } catch {
    // not Linux: use the common default
  }
  return [32768, 60999];
}

const PASV_LOCK_DIR = join(tmpdir(), 'ferry-pasv-locks');

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims a block of passive ports below the kernel's ephemeral range (so outgoing connections
 * never squat on them), coordinated across Vitest workers by lock files holding the owner's pid.
 */
export async function claimPasvRange(): Promise<{ min: number; max: number; lockPath: string }> {
  await mkdir(PASV_LOCK_DIR, { recursive: true });
  const [ephemeralLow, ephemeralHigh] = ephemeralRange();
  const bases: number[] = [];
  for (let b = 10_000; b + PASV_BLOCK <= Math.min(ephemeralLow, 32_768); b += PASV_BLOCK) {
    bases.push(b);
  }
  if (bases.length === 0) {
    for (let b = ephemeralHigh + 1; b + PASV_BLOCK <= 65_535; b += PASV_BLOCK) bases.push(b);
  }
  for (let i = bases.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [bases[i], bases[j]] = [bases[j] as number, bases[i] as number];
  }
  for (const base of bases) {
    const lockPath = join(PASV_LOCK_DIR, `${base}.lock`);
    if (!(await tryLock(lockPath))) continue;
    const ports = Array.from({ length: PASV_BLOCK }, (_, k) => base + k);
    const free = await Promise.all(ports.map(portBindable));
    if (free.every(Boolean)) return { min: base, max: base + PASV_BLOCK - 1, lockPath };
    await unlink(lockPath).catch(() => undefined);
  }
  throw new Error('no free passive port range found');
}

async function tryLock(lockPath: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(lockPath, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && pidAlive(owner)) return false;
      await unlink(lockPath).catch(() => undefined); // stale: its owner died
    }
  }
  return false;
}
