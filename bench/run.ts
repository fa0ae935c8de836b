// `npm run bench`: Ferry vs curl vs lftp on loopback against vsftpd and ProFTPD (TLS 1.3, session
// reuse required), same files, same run, alternating order, medians of BENCH_RUNS runs.
// Writes bench/results/<timestamp>.md and .json. Not a test.
//
// Sizes (environment): BENCH_LARGE_MIB=1024 BENCH_SMALL_COUNT=1000 BENCH_SMALL_KIB=16
// BENCH_LIST_COUNT=20000 BENCH_RUNS=3 BENCH_SERVERS=vsftpd,proftpd BENCH_PARALLEL=4
// BENCH_ONLY=large,small,list (which scenario groups run; all by default)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chown, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startServer, stopAll, type RunningServer, type ServerKind } from '../test/servers/servers';
import { median, renderTable, type Measurement, type ScenarioResult } from './report';

const env = process.env;
const LARGE_MIB = Number(env.BENCH_LARGE_MIB ?? 1024);
const SMALL_COUNT = Number(env.BENCH_SMALL_COUNT ?? 1000);
const SMALL_KIB = Number(env.BENCH_SMALL_KIB ?? 16);
const LIST_COUNT = Number(env.BENCH_LIST_COUNT ?? 20000);
const RUNS = Math.max(1, Number(env.BENCH_RUNS ?? 3));
const PARALLEL = Number(env.BENCH_PARALLEL ?? 4);
const SERVERS = (env.BENCH_SERVERS ?? 'vsftpd,proftpd').split(',') as ServerKind[];
type Group = 'large' | 'small' | 'list';
const GROUPS = new Set((env.BENCH_ONLY ?? 'large,small,list').split(',') as Group[]);

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(here, 'results');

type Tool = 'ferry' | 'ferry (LIST)' | 'curl' | 'lftp' | 'lftp (MLSD)' | 'lftp (TLS 1.2)';
interface Command {
  cmd: string;
  args: string[];
}
interface Scenario {
  name: string;
  group: Group;
  variantPeers?: Record<string, string>;
  tools: Partial<Record<Tool, () => Command>>;
  /** Runs before each measurement: clears the destination. */
  reset: () => Promise<void>;
  /** Checks the result of one run; returns an error text or undefined. */
  check: () => Promise<string | undefined>;
}

async function measure(command: Command): Promise<Measurement> {
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

async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

async function fresh(dir: string, owner?: RunningServer): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  if (owner) await chown(dir, owner.uid, owner.gid);
}

async function sizeOf(file: string): Promise<number> {
  return (await stat(file).catch(() => undefined))?.size ?? -1;
}

async function benchServer(
  kind: ServerKind,
  ferryBundle: string,
  work: string,
): Promise<ScenarioResult[]> {
  const server = await startServer({ kind, mode: 'explicit', tlsMax: '1.3' });
  const base = `ftp://127.0.0.1:${server.port}`;
  const auth = `${server.user}:${server.password}`;
  const curl = (...args: string[]): Command => ({
    cmd: 'curl',
    args: ['-sS', '--fail', '--ssl-reqd', '-k', '--user', auth, ...args],
  });
  const lftp = (script: string, tls12 = false): Command => ({
    cmd: 'lftp',
    args: [
      '-c',
      [
        'set cmd:fail-exit yes',
        'set net:max-retries 1',
        'set ssl:verify-certificate no',
        'set ftp:ssl-force yes',
        'set ftp:ssl-protect-data yes',
        'set xfer:clobber yes',
        ...(tls12 ? ['set ssl:priority "NORMAL:-VERS-TLS1.3"'] : []),
        `open -u ${auth.replace(':', ',')} -p ${server.port} 127.0.0.1`,
        script,
      ].join('; '),
    ],
  });
  const ferry = (...args: string[]): Command => ({
    cmd: process.execPath,
    args: [ferryBundle, ...args],
  });
  process.env.FERRY_BENCH_PORT = String(server.port);
  process.env.FERRY_BENCH_USER = server.user;
  process.env.FERRY_BENCH_PASSWORD = server.password;
  process.env.FERRY_BENCH_FP = server.fingerprint256;

  // Fixtures: one large file, a tree of small files (both sides), a folder with many entries.
  const localBig = path.join(work, 'big.bin');
  const localTree = path.join(work, 'tree');
  if (GROUPS.has('large')) {
    if ((await sizeOf(localBig)) !== LARGE_MIB * 1024 * 1024)
      await writeRandomFile(localBig, LARGE_MIB);
    await writeRandomFile(server.path('big.bin'), LARGE_MIB);
    await chown(server.path('big.bin'), server.uid, server.gid);
  }
  const names = Array.from({ length: SMALL_COUNT }, (_, i) => `tree/d${i % 10}/f${i}.bin`);
  if (GROUPS.has('small')) {
    if ((await countFiles(localTree)) !== SMALL_COUNT) {
      await fresh(localTree);
      for (const name of names)
        await writeLocal(path.join(work, name), randomBytes(SMALL_KIB * 1024));
    }
    for (const name of names) await server.writeFile(name, randomBytes(SMALL_KIB * 1024));
  }
  if (GROUPS.has('list')) {
    await server.mkdir('list');
    for (let i = 0; i < LIST_COUNT; i++) await writeFile(server.path(`list/entry-${i}.txt`), '');
    await chown(server.path('list'), server.uid, server.gid);
  }

  const down = path.join(work, 'down');
  const upDir = server.path('up');
  const bigBytes = LARGE_MIB * 1024 * 1024;
  // curl takes one URL/output pair per file from a config file: sequential, one connection.
  const curlDownCfg = path.join(work, 'curl-down.cfg');
  await writeFile(
    curlDownCfg,
    names.map((n) => `url = "${base}/${n}"\noutput = "${path.join(down, n)}"\n`).join(''),
  );
  const curlUpCfg = path.join(work, 'curl-up.cfg');
  await writeFile(
    curlUpCfg,
    names
      .map(
        (n) =>
          `upload-file = "${path.join(localTree, n.slice('tree/'.length))}"\nurl = "${base}/up/${n}"\n`,
      )
      .join(''),
  );

  const scenarios: Scenario[] = [
    {
      name: `${LARGE_MIB} MiB file, download`,
      group: 'large',
      reset: () => fresh(down),
      check: async () =>
        (await sizeOf(path.join(down, 'big.bin'))) === bigBytes ? undefined : 'size differs',
      tools: {
        ferry: () => ferry('get', '/big.bin', path.join(down, 'big.bin')),
        curl: () => curl(`${base}/big.bin`, '-o', path.join(down, 'big.bin')),
        lftp: () => lftp(`get /big.bin -o ${path.join(down, 'big.bin')}`),
      },
    },
    {
      name: `${LARGE_MIB} MiB file, upload`,
      group: 'large',
      reset: () => fresh(upDir, server),
      check: async () =>
        (await sizeOf(path.join(upDir, 'big.bin'))) === bigBytes ? undefined : 'size differs',
      tools: {
        ferry: () => ferry('put', '/up/big.bin', localBig),
        curl: () => curl('-T', localBig, `${base}/up/big.bin`),
        lftp: () => lftp(`put ${localBig} -o /up/big.bin`),
      },
    },
    {
      name: `${SMALL_COUNT} × ${SMALL_KIB} KiB, download`,
      group: 'small',
      reset: () => fresh(down),
      check: async () => {
        const n = await countFiles(down);
        return n === SMALL_COUNT ? undefined : `${n} files`;
      },
      tools: {
        ferry: () => ferry('get-dir', '/tree', path.join(down, 'tree'), String(PARALLEL)),
        curl: () => curl('--create-dirs', '-K', curlDownCfg),
        lftp: () => lftp(`mirror -P ${PARALLEL} /tree ${path.join(down, 'tree')}`),
        'lftp (TLS 1.2)': () =>
          lftp(`mirror -P ${PARALLEL} /tree ${path.join(down, 'tree')}`, true),
      },
    },
    {
      name: `${SMALL_COUNT} × ${SMALL_KIB} KiB, upload`,
      group: 'small',
      reset: () => fresh(upDir, server),
      check: async () => {
        const n = await countFiles(upDir);
        return n === SMALL_COUNT ? undefined : `${n} files`;
      },
      tools: {
        ferry: () => ferry('put-dir', '/up/tree', localTree, String(PARALLEL)),
        curl: () => curl('--ftp-create-dirs', '-K', curlUpCfg),
        lftp: () => lftp(`mirror -R -P ${PARALLEL} ${localTree} /up/tree`),
      },
    },
    {
      name: `list ${LIST_COUNT} entries`,
      group: 'list',
      variantPeers: { 'ferry (LIST)': 'lftp' },
      reset: () => Promise.resolve(),
      check: () => Promise.resolve(undefined),
      tools: {
        ferry: () => ferry('list', '/list'),
        curl: () => curl(`${base}/list/`, '-o', '/dev/null'),
        lftp: () => lftp('ls /list > /dev/null'),
        // Like for like where the server offers MLSD (ProFTPD): Ferry forced to LIST as lftp's
        // `ls` is, and lftp parsing MLSD as Ferry does by default.
        ...(server.kind === 'proftpd'
          ? {
              'ferry (LIST)': () => ferry('list', '/list', 'list'),
              'lftp (MLSD)': () => lftp('set ftp:use-mlsd on; cls -l /list > /dev/null'),
            }
          : {}),
      },
    },
  ];

  const results: ScenarioResult[] = [];
  for (const scenario of scenarios.filter((s) => GROUPS.has(s.group))) {
    const tools = Object.keys(scenario.tools) as Tool[];
    const runs: Record<string, Measurement[]> = {};
    for (let run = 0; run < RUNS; run++) {
      // Alternate the order: each tool goes first in some run (cache and CPU-frequency effects).
      const order = tools.map((_, i) => tools[(i + run) % tools.length] as Tool);
      for (const tool of order) {
        await scenario.reset();
        // Start every run with no dirty pages: otherwise the kernel's writeback of the previous
        // run's (or the fixtures') gigabyte lands in the middle of the next tool's run.
        await flushPageCache();
        const command = scenario.tools[tool]?.();
        if (!command) continue;
        const m = await measure(command);
        if (m.ok) {
          const problem = await scenario.check();
          if (problem) Object.assign(m, { ok: false, error: problem });
        }
        (runs[tool] ??= []).push(m);
        process.stderr.write(
          `${kind} | ${scenario.name} | ${tool} | run ${run + 1}: ${m.ok ? `${m.wall.toFixed(2)} s` : `FAILED ${m.error ?? ''}`}\n`,
        );
      }
    }
    results.push({
      server: kind,
      scenario: scenario.name,
      runs,
      ...(scenario.variantPeers ? { variantPeers: scenario.variantPeers } : {}),
    });
  }
  await fresh(down);
  await server.stop();
  return results;
}

function flushPageCache(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sync', [], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}

async function writeLocal(file: string, data: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
}

async function main(): Promise<void> {
  const started = Date.now();
  await mkdir(path.join(resultsDir, '.build'), { recursive: true });
  const ferryBundle = path.join(resultsDir, '.build', 'ferry-client.mjs');
  await build({
    entryPoints: [path.join(here, 'ferry-client.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: ferryBundle,
    logLevel: 'warning',
  });
  const work = path.join(tmpdir(), 'ferry-bench');
  await mkdir(work, { recursive: true });
  const all: ScenarioResult[] = [];
  try {
    for (const kind of SERVERS) all.push(...(await benchServer(kind, ferryBundle, work)));
  } finally {
    await stopAll();
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const header =
    `Ferry vs curl vs lftp, loopback, TLS 1.3 (session reuse required), ${RUNS} runs each, alternating order; ` +
    `median wall time (min–max), client CPU s (user+sys, median), peak RSS MiB (max). ` +
    `Ferry --parallel ${PARALLEL} vs lftp mirror -P ${PARALLEL}; curl sequential. Whole bench: ${minutes} min.`;
  const table = renderTable(all);
  const text = `${header}\n\n${table}\n`;
  process.stdout.write(`\n${text}`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await writeFile(path.join(resultsDir, `${stamp}.md`), text);
  await writeFile(
    path.join(resultsDir, `${stamp}.json`),
    JSON.stringify(
      { config: { LARGE_MIB, SMALL_COUNT, SMALL_KIB, LIST_COUNT, RUNS, PARALLEL }, results: all },
      null,
      2,
    ),
  );
  void median;
}

await main();
