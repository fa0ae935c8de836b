// CPU per GiB of one large download: Ferry without a digest, with SHA-256 on the main thread as the
// bytes stream in, and with SHA-256 in a worker thread from the finished file; lftp and curl on the
// same file in the same run, alternating order. Each run is a fresh process under /usr/bin/time.
// "automatic connections" is the app's default, where a large file comes in segmented ranges.
// Each tool also fetches a 1-byte file: its CPU (process start, TLS, login) is subtracted to give
// the CPU per GiB of the transfer itself, which a 256 MiB run would otherwise overstate.
//
//   npx tsx bench/hash-cpu.ts          BENCH_HASH_MIB (256), BENCH_HASH_RUNS (5), vsftpd, loopback
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startServer } from '../test/servers/servers';
import { median } from './report';

const MIB = Number(process.env.BENCH_HASH_MIB ?? 256);
const RUNS = Number(process.env.BENCH_HASH_RUNS ?? 5);
const here = path.dirname(fileURLToPath(import.meta.url));

interface Sample {
  wall: number;
  cpu: number;
}

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'TIME %e %U %S', cmd, ...args], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const match = /TIME (\S+) (\S+) (\S+)/.exec(err);
      if (code !== 0 || !match) reject(new Error(`${cmd} failed (${code}): ${err.trim()}`));
      else resolve({ wall: Number(match[1]), cpu: Number(match[2]) + Number(match[3]) });
    });
  });
}

async function main(): Promise<void> {
  const work = path.join(tmpdir(), 'ferry-bench-hash');
  await mkdir(work, { recursive: true });
  const bundle = path.join(work, 'ferry-client.mjs');
  await build({
    entryPoints: [path.join(here, 'ferry-client.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    logLevel: 'warning',
  });
  const server = await startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' });
  try {
    await server.writeFile('big.bin', randomBytes(MIB * 1024 * 1024));
    await server.writeFile('tiny.bin', randomBytes(1));
    const target = path.join(work, 'big.bin');
    const env = {
      ...process.env,
      FERRY_BENCH_PORT: String(server.port),
      FERRY_BENCH_USER: server.user,
      FERRY_BENCH_PASSWORD: server.password,
      FERRY_BENCH_FP: server.fingerprint256,
    };
    const auth = `${server.user}:${server.password}`;
    const lftpScript = (file: string): string =>
      [
        'set ssl:verify-certificate no',
        'set ftp:ssl-force yes',
        'set ftp:ssl-protect-data yes',
        'set xfer:clobber yes',
        `open -u ${server.user},${server.password} -p ${server.port} 127.0.0.1`,
        `get /${file} -o ${target}`,
      ].join('; ');
    const ferry =
      (sha?: string, parallel = '1') =>
      (file: string): Promise<Sample> =>
        timed(process.execPath, [bundle, 'get', `/${file}`, target, parallel], {
          ...env,
          ...(sha ? { FERRY_BENCH_SHA: sha } : {}),
        });
    const tools: Record<string, (file: string) => Promise<Sample>> = {
      'ferry (no digest)': ferry(),
      'ferry (SHA-256, main thread)': ferry('stream'),
      'ferry (SHA-256, worker)': ferry('worker'),
      // The app's default: automatic connections, so a large file comes in segments.
      'ferry (automatic connections)': ferry(undefined, 'auto'),
      lftp: (file) => timed('lftp', ['-c', lftpScript(file)], env),
      curl: (file) =>
        timed(
          'curl',
          [
            '-sS',
            '--fail',
            '--ssl-reqd',
            '-k',
            '--user',
            auth,
            '-o',
            target,
            `ftp://127.0.0.1:${server.port}/${file}`,
          ],
          env,
        ),
    };
    const names = Object.keys(tools);
    const samples = new Map<string, Sample[]>(names.map((n) => [n, []]));
    const starts = new Map<string, Sample[]>(names.map((n) => [n, []]));
    for (let run = 0; run < RUNS; run++) {
      // Rotate who goes first.
      const order = names.map((_, i) => names[(i + run) % names.length] ?? '');
      for (const name of order) {
        for (const [file, into] of [
          ['tiny.bin', starts],
          ['big.bin', samples],
        ] as const) {
          await rm(target, { force: true });
          const sample = await tools[name]?.(file);
          if (sample) into.get(name)?.push(sample);
          process.stdout.write(`${name} | run ${run + 1} | ${file}: ${JSON.stringify(sample)}\n`);
        }
      }
    }
    const gib = MIB / 1024;
    const cpuOf = (from: Map<string, Sample[]>, name: string): number =>
      median(from.get(name)?.map((s) => s.cpu) ?? []);
    const lftpCpu = cpuOf(samples, 'lftp') / gib;
    const lftpNet = (cpuOf(samples, 'lftp') - cpuOf(starts, 'lftp')) / gib;
    const rows = [
      `${MIB} MiB download from vsftpd (loopback, TLS 1.3), fresh process per run, median of ${RUNS}, same run; "start" is the CPU of fetching a 1-byte file (process start, TLS, login):`,
      '',
      '| tool | wall s | CPU s (user+sys) | CPU s/GiB | CPU vs lftp | start CPU s | CPU s/GiB after start | vs lftp |',
      '| ---- | ------ | ---------------- | --------- | ----------- | ----------- | --------------------- | ------- |',
    ];
    for (const name of names) {
      const list = samples.get(name) ?? [];
      const cpu = cpuOf(samples, name);
      const start = cpuOf(starts, name);
      const net = (cpu - start) / gib;
      rows.push(
        `| ${name} | ${median(list.map((s) => s.wall)).toFixed(2)} | ${cpu.toFixed(2)} | ${(cpu / gib).toFixed(2)} | ${(cpu / gib / lftpCpu).toFixed(2)}× | ${start.toFixed(2)} | ${net.toFixed(2)} | ${(net / lftpNet).toFixed(2)}× |`,
      );
    }
    process.stdout.write(`\n${rows.join('\n')}\n`);
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
