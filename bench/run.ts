// `npm run bench`: Ferry vs curl vs lftp against vsftpd and ProFTPD (TLS 1.3, session reuse
// required), same files, same run, alternating order, medians of BENCH_RUNS runs. On loopback,
// and (WAN mode) through a latency proxy. Writes bench/results/<timestamp>.md and .json. Not a test.
//
// Loopback sizes (environment): BENCH_LARGE_MIB=1024 BENCH_SMALL_COUNT=1000 BENCH_SMALL_KIB=16
// BENCH_LIST_COUNT=20000 BENCH_RUNS=3 BENCH_SERVERS=vsftpd,proftpd BENCH_PARALLEL=4
// BENCH_ONLY=large,small,list (which scenario groups run; all by default)
//
// WAN mode (on by default, BENCH_WAN=30,100; BENCH_WAN=off skips it): every server also runs
// through bench/latency-proxy.ts on 127.0.0.2 with those round-trip times (ms), after the
// loopback scenarios (BENCH_LOOPBACK=off skips them).
// WAN sizes: BENCH_WAN_SMALL_COUNT=1000 (16 KiB files) BENCH_WAN_MEDIUM_COUNT=100 (1 MiB files)
// BENCH_WAN_LARGE_MIB=256 BENCH_WAN_LIST_COUNT=20000 BENCH_WAN_RUNS=$BENCH_RUNS
// BENCH_WAN_ONLY=large,small,medium,list; BENCH_WAN_BPS caps each connection (bytes/s).
// BENCH_QUICK=1: small sizes, vsftpd only, curl left out of the WAN trees (config.ts): a same-run
// table in a few minutes. Sizes set explicitly still apply.
//
// Files: config.ts (settings), scenarios.ts (what runs), tools.ts (command lines), measure.ts
// (one timed process), fixtures.ts (files on both sides), report.ts (tables).
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startServer, stopAll, type RunningServer, type ServerKind } from '../test/servers/servers';
import {
  LARGE_MIB,
  LIST_COUNT,
  LOOPBACK,
  PARALLEL,
  QUICK,
  RUNS,
  SERVERS,
  SMALL_COUNT,
  SMALL_KIB,
  TOOLS,
  WAN,
  WAN_HOST,
  WAN_RTTS,
} from './config';
import { Fixtures, fresh } from './fixtures';
import { LatencyProxy } from './latency-proxy';
import { flushPageCache, measure } from './measure';
import { renderTable, renderWanTable, type Measurement, type ScenarioResult } from './report';
import {
  loopbackScenarios,
  wanScenarios,
  type Builders,
  type Scenario,
  type ScenarioModule,
} from './scenarios';
import type { Link, Tool } from './tools';

/** Scenario modules beyond the built-in ones, run on every server and link (one line each). */
const EXTRA_SCENARIOS: ScenarioModule[] = [];

const here = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(here, 'results');

/** The built-in scenarios for the link, then every registered module's. */
async function scenariosFor(b: Builders): Promise<Scenario[]> {
  const builtIn = b.link.rttMs === undefined ? await loopbackScenarios(b) : await wanScenarios(b);
  const extra: Scenario[] = [];
  for (const module of EXTRA_SCENARIOS) extra.push(...(await module(b)));
  return [...builtIn, ...extra];
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
      const scenarios = await scenariosFor({ server, link, fixtures, ferryBundle, work });
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
        const scenarios = await scenariosFor({ server, link, fixtures, ferryBundle, work });
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
        const controlBefore = link.proxy?.stats.byPort.get(server.port) ?? 0;
        const m = await measure(command);
        if (link.proxy) {
          // Control connection(s) plus data connections: fewer means the tool went around it.
          m.proxyConnections = link.proxy.stats.connections - before;
          m.controlConnections = (link.proxy.stats.byPort.get(server.port) ?? 0) - controlBefore;
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
  const mode = QUICK ? ' (BENCH_QUICK: small sizes, curl left out of the WAN trees)' : '';
  const text = `${sections.join('\n\n')}\n\nWhole bench: ${minutes} min${mode}.\n`;
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
