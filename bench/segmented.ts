// Segmented downloads through the latency proxy with a per-connection bandwidth cap: one large
// file fetched by Ferry's queue over 1, 2, 4 (BENCH_SEG_N) connections, beside lftp's
// `pget -n N`, in the same run, alternating order. With a cap per connection, N connections
// should take close to 1/N of the time.
//
//   BENCH_SEGMENTED=1 npm run bench        (after the other scenarios)
//   npx tsx bench/segmented.ts             (alone)
// BENCH_SEG_MIB (32), BENCH_SEG_RTT (30 ms), BENCH_SEG_BPS (per connection and direction,
// bytes/s, default 4 MiB/s), BENCH_SEG_N (1,2,4), BENCH_SEG_RUNS (3), BENCH_SEG_SERVER (vsftpd).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer, type RunningServer, type ServerKind } from '../test/servers/servers';
import { TransferQueue } from '../electron/queue';
import { LatencyProxy } from './latency-proxy';
import { median } from './report';

const env = process.env;
const MIB = Number(env.BENCH_SEG_MIB ?? 32);
const RTT = Number(env.BENCH_SEG_RTT ?? 30);
const BPS = Number(env.BENCH_SEG_BPS ?? 4 * 1024 * 1024);
const COUNTS = (env.BENCH_SEG_N ?? '1,2,4').split(',').map(Number);
const RUNS = Number(env.BENCH_SEG_RUNS ?? 3);
const KIND = (env.BENCH_SEG_SERVER ?? 'vsftpd') as ServerKind;
const TOOLS = (env.BENCH_SEG_TOOLS ?? 'ferry,lftp').split(',');
const HOST = '127.0.0.2';

async function ferry(server: RunningServer, n: number, target: string): Promise<number> {
  const queue = new TransferQueue({
    onExists: { upload: 'overwrite', download: 'overwrite' },
    preserveTimes: false,
    // Every size is "large" here: the bench measures the split, not the threshold.
    segments: { connections: n, thresholdBytes: 1, minSegmentBytes: 1024 * 1024 },
  });
  queue.setSite({
    key: 'seg',
    maxConnections: n,
    connect: {
      host: HOST,
      port: server.port,
      mode: 'explicit',
      user: server.user,
      password: server.password,
      keepaliveMs: 0,
      decideTrust: (report) =>
        Promise.resolve(
          report.chain[0]?.fingerprint256 === server.fingerprint256 ? 'once' : 'reject',
        ),
    },
  });
  const started = performance.now();
  queue.add({ siteKey: 'seg', direction: 'download', remotePath: '/seg.bin', localPath: target });
  await queue.whenIdle();
  const wall = (performance.now() - started) / 1000;
  const [item] = queue.list();
  await queue.dispose();
  if (item?.state !== 'done') throw new Error(`ferry -n ${n}: ${JSON.stringify(item?.error)}`);
  return wall;
}

function lftp(server: RunningServer, n: number, target: string): Promise<number> {
  const script = [
    'set cmd:fail-exit yes',
    'set net:max-retries 1',
    'set ssl:verify-certificate no',
    'set ftp:ssl-force yes',
    'set ftp:ssl-protect-data yes',
    'set xfer:clobber yes',
    'set ftp:prefer-epsv yes',
    `open -u ${server.user},${server.password} -p ${server.port} ${HOST}`,
    `pget -n ${n} /seg.bin -o ${target}`,
  ].join('; ');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('lftp', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve((performance.now() - started) / 1000);
      else reject(new Error(`lftp pget -n ${n}: exit ${code}: ${err.trim()}`));
    });
  });
}

export async function runSegmentedBench(): Promise<string> {
  const server = await startServer({ kind: KIND, mode: 'explicit', tlsMax: '1.3' });
  const work = path.join(tmpdir(), 'ferry-bench-seg');
  await mkdir(work, { recursive: true });
  const proxy = await LatencyProxy.start({
    rttMs: RTT,
    bytesPerSecond: BPS,
    listenHost: HOST,
    routes: LatencyProxy.ftpRoutes(server.port, server.pasvPorts),
  });
  const size = MIB * 1024 * 1024;
  const rows: string[] = [];
  try {
    await server.writeFile('seg.bin', randomBytes(size));
    const times = new Map<string, number[]>();
    for (let run = 0; run < RUNS; run++) {
      for (const n of COUNTS) {
        const order = run % 2 === 0 ? ['ferry', 'lftp'] : ['lftp', 'ferry'];
        for (const tool of order.filter((t) => TOOLS.includes(t))) {
          const target = path.join(work, `${tool}-${n}.bin`);
          await rm(target, { force: true });
          const key = `${tool} ${n}`;
          try {
            const wall =
              tool === 'ferry' ? await ferry(server, n, target) : await lftp(server, n, target);
            if ((await stat(target)).size !== size) throw new Error(`${tool} -n ${n}: wrong size`);
            times.set(key, [...(times.get(key) ?? []), wall]);
            process.stdout.write(`segmented | ${key} | run ${run + 1}: ${wall.toFixed(2)} s\n`);
          } catch (error) {
            // A failed run counts as no run: the table shows how many of each succeeded.
            process.stdout.write(`segmented | ${key} | run ${run + 1}: FAILED ${String(error)}\n`);
          }
        }
      }
    }
    const cap = (BPS / 1024 / 1024).toFixed(1);
    rows.push(
      `Segmented download of ${MIB} MiB from ${KIND} through the latency proxy (RTT ${RTT} ms, ` +
        `${cap} MiB/s per connection and direction), median of ${RUNS} runs, same run:`,
      '',
      '| connections | Ferry (s) | Ferry speed-up | runs ok | lftp pget -n (s) | lftp speed-up | runs ok |',
      '| ----------- | --------- | -------------- | ------- | ---------------- | ------------- | ------- |',
    );
    const ok = (tool: string, n: number): string =>
      `${times.get(`${tool} ${n}`)?.length ?? 0}/${RUNS}`;
    const base = (tool: string): number => median(times.get(`${tool} ${COUNTS[0]}`) ?? [NaN]);
    for (const n of COUNTS) {
      const f = median(times.get(`ferry ${n}`) ?? [NaN]);
      const l = median(times.get(`lftp ${n}`) ?? [NaN]);
      rows.push(
        `| ${n} | ${f.toFixed(2)} | ${(base('ferry') / f).toFixed(2)}× | ${ok('ferry', n)} | ` +
          `${l.toFixed(2)} | ${(base('lftp') / l).toFixed(2)}× | ${ok('lftp', n)} |`,
      );
    }
  } finally {
    await proxy.stop();
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
  const text = rows.join('\n');
  process.stdout.write(`\n${text}\n`);
  return text;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runSegmentedBench();
}
