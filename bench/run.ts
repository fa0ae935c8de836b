// `npm run bench`: Ferry vs curl vs lftp against vsftpd and ProFTPD (TLS 1.3, session reuse
// required), same files, same run, alternating order, medians of BENCH_RUNS runs. On loopback,
// and (WAN mode) through a latency proxy. Writes bench/results/<timestamp>.md and .json. Not a test.
//
// Loopback sizes (environment): BENCH_LARGE_MIB=1024 BENCH_SMALL_COUNT=1000 BENCH_SMALL_KIB=16
// BENCH_LIST_COUNT=20000 BENCH_RUNS=3 BENCH_SERVERS=vsftpd,proftpd BENCH_PARALLEL=4
// BENCH_ONLY=large,small,list (which scenario groups run; all by default)
//
// WAN mode: BENCH_WAN=30,100 also runs every server through bench/latency-proxy.ts on 127.0.0.2
// with those round-trip times (ms), after the loopback scenarios (BENCH_LOOPBACK=off skips them).
// WAN sizes: BENCH_WAN_SMALL_COUNT=1000 (16 KiB files) BENCH_WAN_MEDIUM_COUNT=100 (1 MiB files)
// BENCH_WAN_LARGE_MIB=256 BENCH_WAN_LIST_COUNT=20000 BENCH_WAN_RUNS=$BENCH_RUNS
// BENCH_WAN_ONLY=large,small,medium,list; BENCH_WAN_BPS caps each connection (bytes/s).
// BENCH_TOOLS=ferry,lftp runs only those tools (curl's sequential small files take minutes).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chown, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startServer, stopAll, type RunningServer, type ServerKind } from '../test/servers/servers';
import { LatencyProxy } from './latency-proxy';
import { renderTable, renderWanTable, type Measurement, type ScenarioResult } from './report';

const env = process.env;
const LARGE_MIB = Number(env.BENCH_LARGE_MIB ?? 1024);
const SMALL_COUNT = Number(env.BENCH_SMALL_COUNT ?? 1000);
const SMALL_KIB = Number(env.BENCH_SMALL_KIB ?? 16);
const LIST_COUNT = Number(env.BENCH_LIST_COUNT ?? 20000);
const RUNS = Math.max(1, Number(env.BENCH_RUNS ?? 3));
const PARALLEL = Number(env.BENCH_PARALLEL ?? 4);
const SERVERS = (env.BENCH_SERVERS ?? 'vsftpd,proftpd').split(',') as ServerKind[];
type Group = 'large' | 'small' | 'medium' | 'list';
const GROUPS = new Set((env.BENCH_ONLY ?? 'large,small,list').split(',') as Group[]);
const LOOPBACK = env.BENCH_LOOPBACK !== 'off';
const WAN_RTTS = (env.BENCH_WAN ?? '')
  .split(',')
  .map((t) => t.trim())
  .filter((t) => t !== '' && t !== 'off')
  .map(Number);
const WAN = {
  smallCount: Number(env.BENCH_WAN_SMALL_COUNT ?? 1000),
  mediumCount: Number(env.BENCH_WAN_MEDIUM_COUNT ?? 100),
  largeMib: Number(env.BENCH_WAN_LARGE_MIB ?? 256),
  listCount: Number(env.BENCH_WAN_LIST_COUNT ?? 20000),
  runs: Math.max(1, Number(env.BENCH_WAN_RUNS ?? RUNS)),
  bytesPerSecond: env.BENCH_WAN_BPS ? Number(env.BENCH_WAN_BPS) : undefined,
  groups: new Set((env.BENCH_WAN_ONLY ?? 'large,small,medium,list').split(',') as Group[]),
};
const WAN_HOST = '127.0.0.2';
const TOOLS = env.BENCH_TOOLS ? new Set(env.BENCH_TOOLS.split(',')) : undefined;

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
  /** Files moved and their bytes (round trips per file, CPU per GiB). */
  files?: number;
  bytes?: number;
  /** Connections each tool uses (round trips per file per connection). */
  connections?: Partial<Record<Tool, number>>;
  /** Data connections a run needs at least (checked at the proxy: a tool must not bypass it). */
  minDataConnections: number;
  /** Runs before each measurement: clears the destination. */
  reset: () => Promise<void>;
  /** Checks the result of one run; returns an error text or undefined. */
  check: () => Promise<string | undefined>;
}

/** Where the tools connect: the server itself, or the latency proxy in front of it. */
interface Link {
  label: string;
  host: string;
  rttMs?: number;
  proxy?: LatencyProxy;
  runs: number;
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

/** Fixtures on both sides, made once per server and size (loopback and WAN share them). */
class Fixtures {
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

/** The three tools' command lines for one server seen through one link. */
function toolsFor(server: RunningServer, link: Link, ferryBundle: string) {
  const base = `ftp://${link.host}:${server.port}`;
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
        // Through the proxy: EPSV names no address, so data goes to the proxy like control does
        // (lftp's PASV would take the server's own 127.0.0.1 and bypass it).
        ...(link.proxy ? ['set ftp:prefer-epsv yes'] : []),
        ...(tls12 ? ['set ssl:priority "NORMAL:-VERS-TLS1.3"'] : []),
        `open -u ${auth.replace(':', ',')} -p ${server.port} ${link.host}`,
        script,
      ].join('; '),
    ],
  });
  const ferry = (...args: string[]): Command => ({
    cmd: process.execPath,
    args: [ferryBundle, ...args],
  });
  return { base, curl, lftp, ferry };
}

async function benchServer(
  kind: ServerKind,
  ferryBundle: string,
  work: string,
): Promise<ScenarioResult[]> {
  const server = await startServer({ kind, mode: 'explicit', tlsMax: '1.3' });
  process.env.FERRY_BENCH_PORT = String(server.port);
  process.env.FERRY_BENCH_USER = server.user;
  process.env.FERRY_BENCH_PASSWORD = server.password;
  process.env.FERRY_BENCH_FP = server.fingerprint256;
  const fixtures = new Fixtures(server, work);
  const results: ScenarioResult[] = [];
  try {
    if (LOOPBACK) {
      const link: Link = { label: 'loopback', host: '127.0.0.1', runs: RUNS };
      const scenarios = await loopbackScenarios(server, link, fixtures, ferryBundle, work);
      results.push(...(await runScenarios(server, link, scenarios)));
    }
    for (const rttMs of WAN_RTTS) {
      const proxy = await LatencyProxy.start({
        rttMs,
        ...(WAN.bytesPerSecond ? { bytesPerSecond: WAN.bytesPerSecond } : {}),
        listenHost: WAN_HOST,
        routes: LatencyProxy.ftpRoutes(server.port, server.pasvPorts),
      });
      try {
        const cap = WAN.bytesPerSecond ? `, ${(WAN.bytesPerSecond / 1e6).toFixed(1)} MB/s` : '';
        const link: Link = {
          label: `RTT ${rttMs} ms${cap}`,
          host: WAN_HOST,
          rttMs,
          proxy,
          runs: WAN.runs,
        };
        const scenarios = await wanScenarios(server, link, fixtures, ferryBundle, work);
        results.push(...(await runScenarios(server, link, scenarios)));
      } finally {
        await proxy.stop();
      }
    }
  } finally {
    await fresh(path.join(work, 'down'));
    await server.stop();
  }
  return results;
}

interface Builders {
  server: RunningServer;
  link: Link;
  fixtures: Fixtures;
  ferryBundle: string;
  work: string;
}

function largeScenarios(b: Builders, mib: number, name: string): Scenario[] {
  const { server, link, work } = b;
  const { base, curl, lftp, ferry } = toolsFor(server, link, b.ferryBundle);
  const down = path.join(work, 'down');
  const upDir = server.path('up');
  const bytes = mib * 1024 * 1024;
  const local = path.join(work, name);
  const common = { group: 'large' as const, files: 1, bytes, minDataConnections: 1 };
  return [
    {
      ...common,
      name: `${mib} MiB file, download`,
      reset: () => fresh(down),
      check: async () =>
        (await sizeOf(path.join(down, name))) === bytes ? undefined : 'size differs',
      tools: {
        ferry: () => ferry('get', `/${name}`, path.join(down, name)),
        curl: () => curl(`${base}/${name}`, '-o', path.join(down, name)),
        lftp: () => lftp(`get /${name} -o ${path.join(down, name)}`),
      },
    },
    {
      ...common,
      name: `${mib} MiB file, upload`,
      reset: () => fresh(upDir, server),
      check: async () =>
        (await sizeOf(path.join(upDir, name))) === bytes ? undefined : 'size differs',
      tools: {
        ferry: () => ferry('put', `/up/${name}`, local),
        curl: () => curl('-T', local, `${base}/up/${name}`),
        lftp: () => lftp(`put ${local} -o /up/${name}`),
      },
    },
  ];
}

async function treeScenarios(
  b: Builders,
  group: Group,
  count: number,
  kib: number,
  withTls12Peer: boolean,
): Promise<Scenario[]> {
  const { server, link, work } = b;
  const { base, curl, lftp, ferry } = toolsFor(server, link, b.ferryBundle);
  const { dir, names } = await b.fixtures.tree(count, kib);
  const down = path.join(work, 'down');
  const upDir = server.path('up');
  const localTree = path.join(work, dir);
  // curl takes one URL/output pair per file from a config file: sequential, one connection.
  const tag = `${dir}-${link.host}`;
  const curlDownCfg = path.join(work, `curl-down-${tag}.cfg`);
  await writeFile(
    curlDownCfg,
    names
      .map((n) => `url = "${base}/${dir}/${n}"\noutput = "${path.join(down, dir, n)}"\n`)
      .join(''),
  );
  const curlUpCfg = path.join(work, `curl-up-${tag}.cfg`);
  await writeFile(
    curlUpCfg,
    names
      .map((n) => `upload-file = "${path.join(localTree, n)}"\nurl = "${base}/up/${dir}/${n}"\n`)
      .join(''),
  );
  const size = kib >= 1024 ? `${kib / 1024} MiB` : `${kib} KiB`;
  const common = {
    group,
    files: count,
    bytes: count * kib * 1024,
    minDataConnections: count,
    connections: {
      ferry: PARALLEL,
      lftp: PARALLEL,
      'lftp (TLS 1.2)': PARALLEL,
      curl: 1,
    },
  };
  return [
    {
      ...common,
      name: `${count} × ${size}, download`,
      reset: () => fresh(down),
      check: async () => {
        const n = await countFiles(down);
        return n === count ? undefined : `${n} files`;
      },
      tools: {
        ferry: () => ferry('get-dir', `/${dir}`, path.join(down, dir), String(PARALLEL)),
        curl: () => curl('--create-dirs', '-K', curlDownCfg),
        lftp: () => lftp(`mirror -P ${PARALLEL} /${dir} ${path.join(down, dir)}`),
        ...(withTls12Peer
          ? {
              'lftp (TLS 1.2)': () =>
                lftp(`mirror -P ${PARALLEL} /${dir} ${path.join(down, dir)}`, true),
            }
          : {}),
      },
    },
    {
      ...common,
      name: `${count} × ${size}, upload`,
      reset: () => fresh(upDir, server),
      check: async () => {
        const n = await countFiles(upDir);
        return n === count ? undefined : `${n} files`;
      },
      tools: {
        ferry: () => ferry('put-dir', `/up/${dir}`, localTree, String(PARALLEL)),
        curl: () => curl('--ftp-create-dirs', '-K', curlUpCfg),
        lftp: () => lftp(`mirror -R -P ${PARALLEL} ${localTree} /up/${dir}`),
      },
    },
  ];
}

async function listScenario(b: Builders, count: number): Promise<Scenario> {
  const { server, link } = b;
  const { base, curl, lftp, ferry } = toolsFor(server, link, b.ferryBundle);
  const dir = await b.fixtures.list(count);
  return {
    name: `list ${count} entries`,
    group: 'list',
    minDataConnections: 1,
    variantPeers: { 'ferry (LIST)': 'lftp' },
    reset: () => Promise.resolve(),
    check: () => Promise.resolve(undefined),
    tools: {
      ferry: () => ferry('list', `/${dir}`),
      curl: () => curl(`${base}/${dir}/`, '-o', '/dev/null'),
      lftp: () => lftp(`ls /${dir} > /dev/null`),
      // Like for like where the server offers MLSD (ProFTPD): Ferry forced to LIST as lftp's
      // `ls` is, and lftp parsing MLSD as Ferry does by default.
      ...(server.kind === 'proftpd'
        ? {
            'ferry (LIST)': () => ferry('list', `/${dir}`, 'list'),
            'lftp (MLSD)': () => lftp(`set ftp:use-mlsd on; cls -l /${dir} > /dev/null`),
          }
        : {}),
    },
  };
}

async function loopbackScenarios(
  server: RunningServer,
  link: Link,
  fixtures: Fixtures,
  ferryBundle: string,
  work: string,
): Promise<Scenario[]> {
  const b: Builders = { server, link, fixtures, ferryBundle, work };
  const scenarios: Scenario[] = [];
  if (GROUPS.has('large'))
    scenarios.push(...largeScenarios(b, LARGE_MIB, await fixtures.big(LARGE_MIB)));
  if (GROUPS.has('small'))
    scenarios.push(...(await treeScenarios(b, 'small', SMALL_COUNT, SMALL_KIB, true)));
  if (GROUPS.has('list')) scenarios.push(await listScenario(b, LIST_COUNT));
  return scenarios;
}

async function wanScenarios(
  server: RunningServer,
  link: Link,
  fixtures: Fixtures,
  ferryBundle: string,
  work: string,
): Promise<Scenario[]> {
  const b: Builders = { server, link, fixtures, ferryBundle, work };
  const scenarios: Scenario[] = [];
  if (WAN.groups.has('small'))
    scenarios.push(...(await treeScenarios(b, 'small', WAN.smallCount, 16, false)));
  if (WAN.groups.has('medium'))
    scenarios.push(...(await treeScenarios(b, 'medium', WAN.mediumCount, 1024, false)));
  if (WAN.groups.has('large'))
    scenarios.push(...largeScenarios(b, WAN.largeMib, await fixtures.big(WAN.largeMib)));
  if (WAN.groups.has('list')) scenarios.push(await listScenario(b, WAN.listCount));
  return scenarios;
}

async function runScenarios(
  server: RunningServer,
  link: Link,
  scenarios: Scenario[],
): Promise<ScenarioResult[]> {
  process.env.FERRY_BENCH_HOST = link.host;
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const tools = (Object.keys(scenario.tools) as Tool[]).filter(
      (tool) => !TOOLS || TOOLS.has(tool),
    );
    const runs: Record<string, Measurement[]> = {};
    for (let run = 0; run < link.runs; run++) {
      // Alternate the order: each tool goes first in some run (cache and CPU-frequency effects).
      const order = tools.map((_, i) => tools[(i + run) % tools.length] as Tool);
      for (const tool of order) {
        await scenario.reset();
        // Start every run with no dirty pages: otherwise the kernel's writeback of the previous
        // run's (or the fixtures') gigabyte lands in the middle of the next tool's run.
        await flushPageCache();
        const command = scenario.tools[tool]?.();
        if (!command) continue;
        const before = link.proxy?.stats.connections ?? 0;
        const m = await measure(command);
        if (link.proxy) {
          // Control connection(s) plus data connections: fewer means the tool went around it.
          m.proxyConnections = link.proxy.stats.connections - before;
          if (m.ok && m.proxyConnections < scenario.minDataConnections + 1) {
            Object.assign(m, {
              ok: false,
              error: `only ${m.proxyConnections} connections through the proxy`,
            });
          }
        }
        if (m.ok) {
          const problem = await scenario.check();
          if (problem) Object.assign(m, { ok: false, error: problem });
        }
        (runs[tool] ??= []).push(m);
        process.stderr.write(
          `${server.kind} | ${link.label} | ${scenario.name} | ${tool} | run ${run + 1}: ${m.ok ? `${m.wall.toFixed(2)} s` : `FAILED ${m.error ?? ''}`}\n`,
        );
      }
    }
    results.push({
      server: server.kind,
      link: link.label,
      ...(link.rttMs !== undefined ? { rttMs: link.rttMs } : {}),
      scenario: scenario.name,
      runs,
      ...(scenario.files !== undefined ? { files: scenario.files } : {}),
      ...(scenario.bytes !== undefined ? { bytes: scenario.bytes } : {}),
      ...(scenario.connections ? { connections: scenario.connections } : {}),
      ...(scenario.variantPeers ? { variantPeers: scenario.variantPeers } : {}),
    });
  }
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
  const sections: string[] = [];
  const loopback = all.filter((r) => r.rttMs === undefined);
  const wan = all.filter((r) => r.rttMs !== undefined);
  if (loopback.length > 0) {
    sections.push(
      `Ferry vs curl vs lftp, loopback, TLS 1.3 (session reuse required), ${RUNS} runs each, alternating order; ` +
        `median wall time (min–max), client CPU s (user+sys, median), peak RSS MiB (max). ` +
        `Ferry --parallel ${PARALLEL} vs lftp mirror -P ${PARALLEL}; curl sequential.`,
      renderTable(loopback),
    );
  }
  if (wan.length > 0) {
    sections.push(
      `Through the latency proxy (${WAN_HOST}, delay per direction = RTT/2, new connections pay the TCP handshake), ` +
        `TLS 1.3, ${WAN.runs} runs each, alternating order. RT/file/conn = median wall × connections / files / RTT ` +
        `(everything included: login, listing, each file's commands and data connection); ` +
        `CPU s/GiB = client CPU (median) per GiB moved. Ferry --parallel ${PARALLEL} vs lftp mirror -P ${PARALLEL}; curl sequential.`,
      renderWanTable(wan),
    );
  }
  const text = `${sections.join('\n\n')}\n\nWhole bench: ${minutes} min.\n`;
  process.stdout.write(`\n${text}`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await writeFile(path.join(resultsDir, `${stamp}.md`), text);
  await writeFile(
    path.join(resultsDir, `${stamp}.json`),
    JSON.stringify(
      {
        config: { LARGE_MIB, SMALL_COUNT, SMALL_KIB, LIST_COUNT, RUNS, PARALLEL, WAN_RTTS, WAN },
        results: all,
      },
      (_key, value: unknown) => (value instanceof Set ? [...(value as Set<unknown>)] : value),
      2,
    ),
  );
}

await main();
if (process.env.BENCH_SEGMENTED) await (await import('./segmented')).runSegmentedBench();
