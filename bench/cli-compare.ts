// Same-run comparison of `ferry get -r --parallel 4` between builds of the CLI (e.g. before and
// after a change), alternating order, medians. Not a test.
//
//   FERRY_BUNDLES=before=out/cli/ferry-before.mjs,after=out/cli/ferry.mjs npx tsx bench/cli-compare.ts
//
// Environment: BENCH_SERVERS=vsftpd (comma-separated), BENCH_FILES=400 (16 KiB each, in ten
// folders), BENCH_RUNS=5, BENCH_CA=1 (a CA-signed server certificate; each build runs with --ca and
// with --pin), BENCH_RTT=30 (through the latency proxy on 127.0.0.2; not with BENCH_CA, whose
// certificate names 127.0.0.1). Copy a build to out/cli/ before rebuilding: the bundle loads its
// packages from node_modules.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getSharedCerts } from '../test/servers/certs';
import { startServer, stopAll, type ServerKind } from '../test/servers/servers';
import { LatencyProxy } from './latency-proxy';
import { median } from './report';

const env = process.env;
const bundles = (env.FERRY_BUNDLES ?? '').split(',').flatMap((pair) => {
  const [name, file] = pair.split('=');
  return name && file ? [{ name, file: path.resolve(file) }] : [];
});
const SERVERS = (env.BENCH_SERVERS ?? 'vsftpd').split(',') as ServerKind[];
const FILES = Number(env.BENCH_FILES ?? 400);
const RUNS = Number(env.BENCH_RUNS ?? 5);
const WITH_CA = env.BENCH_CA === '1';
const RTT = env.BENCH_RTT ? Number(env.BENCH_RTT) : undefined;

interface Run {
  wall: number;
  cpu: number;
}

function timed(args: string[]): Promise<Run | string> {
  const start = performance.now();
  return new Promise((resolve) => {
    // Asynchronous on purpose: the latency proxy runs in this process.
    const child = spawn('/usr/bin/time', ['-f', 'BENCHTIME %U %S', process.execPath, ...args]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    child.on('close', (code) => {
      const match = /BENCHTIME ([\d.]+) ([\d.]+)/.exec(stderr);
      if (code !== 0) resolve(stderr.slice(-300));
      else
        resolve({
          wall: (performance.now() - start) / 1000,
          cpu: match ? Number(match[1]) + Number(match[2]) : Number.NaN,
        });
    });
  });
}

async function main(): Promise<void> {
  if (bundles.length === 0) throw new Error('set FERRY_BUNDLES=name=file,name=file');
  if (WITH_CA && RTT !== undefined) throw new Error('BENCH_CA and BENCH_RTT do not go together');
  const work = await mkdtemp(path.join(tmpdir(), 'ferry-cli-compare-'));
  const caFile = path.join(work, 'ca.pem');
  if (WITH_CA) await writeFile(caFile, (await getSharedCerts()).ca.certPem);
  try {
    for (const kind of SERVERS) {
      const server = await startServer({
        kind,
        mode: 'explicit',
        tlsMax: '1.3',
        ...(WITH_CA ? { cert: 'ca-signed' as const } : {}),
      });
      for (let i = 0; i < FILES; i++)
        await server.writeFile(`tree/d${i % 10}/f${i}.bin`, randomBytes(16 * 1024));
      const proxy =
        RTT === undefined
          ? undefined
          : await LatencyProxy.start({
              rttMs: RTT,
              routes: LatencyProxy.ftpRoutes(server.port, server.pasvPorts),
            });
      const host = proxy ? proxy.host : server.host;
      const url = `ftpes://${server.user}:${server.password}@${host}:${server.port}/tree`;
      const trust = WITH_CA
        ? [
            ['--ca', caFile],
            ['--pin', server.fingerprint256],
          ]
        : [['--pin', server.fingerprint256]];
      const variants = bundles.flatMap((bundle) =>
        trust.map((flags) => ({ name: `${bundle.name} ${flags[0] ?? ''}`, bundle, flags })),
      );
      const runs = new Map<string, Run[]>();
      for (let run = 0; run < RUNS; run++) {
        for (let k = 0; k < variants.length; k++) {
          const variant = variants[(k + run) % variants.length];
          if (!variant) continue;
          const target = path.join(work, 'down');
          await rm(target, { recursive: true, force: true });
          const result = await timed([
            variant.bundle.file,
            'get',
            '-r',
            '--parallel',
            '4',
            ...variant.flags,
            url,
            target,
          ]);
          if (typeof result === 'string') {
            process.stderr.write(`${kind} ${variant.name}: FAILED ${result}\n`);
            continue;
          }
          runs.set(variant.name, [...(runs.get(variant.name) ?? []), result]);
          process.stderr.write(
            `${kind} ${variant.name} run ${run + 1}: ${result.wall.toFixed(2)} s\n`,
          );
        }
      }
      const link = RTT === undefined ? 'loopback' : `RTT ${RTT} ms`;
      for (const variant of variants) {
        const list = runs.get(variant.name) ?? [];
        const wall = median(list.map((r) => r.wall));
        const perFile = RTT
          ? `, ${((wall * 4) / FILES / (RTT / 1000)).toFixed(1)} RT/file/conn`
          : '';
        process.stdout.write(
          `${kind}, ${link}, ${FILES} × 16 KiB, ${variant.name}: median ${wall.toFixed(2)} s ` +
            `(${list.map((r) => r.wall.toFixed(2)).join(', ')}), CPU ${median(list.map((r) => r.cpu)).toFixed(2)} s${perFile}\n`,
        );
      }
      await proxy?.stop();
      await server.stop();
    }
  } finally {
    await stopAll();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
