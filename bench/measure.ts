import { spawn } from 'node:child_process';
import type { Measurement } from './report';

export interface Command {
  cmd: string;
  args: string[];
}

/** One run of one tool in its own process, timed by /usr/bin/time (wall, user+sys CPU, RSS). */
export async function measure(command: Command): Promise<Measurement> {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(
      '/usr/bin/time',
      ['-f', 'BENCHTIME %U %S %M', command.cmd, ...command.args],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: process.env,
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.length > 100_000) stderr = stderr.slice(-50_000);
    });
    child.on('close', (code) => {
      const wall = (performance.now() - start) / 1000;
      const match = /BENCHTIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      resolve({
        wall,
        cpu: match ? Number(match[1]) + Number(match[2]) : Number.NaN,
        rssMiB: match ? Number(match[3]) / 1024 : Number.NaN,
        ok: code === 0,
        ...(code === 0
          ? {}
          : {
              error: stderr
                .replace(/BENCHTIME.*/, '')
                .trim()
                .split('\n')
                .slice(-3)
                .join(' | '),
            }),
      });
    });
  });
}

/** Writes back dirty pages, so that no run pays for the previous one's writeback. */
export function flushPageCache(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sync', [], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}
