// The Ferry side of the benchmark: one process per run, like curl and lftp, driving the same
// transfer queue the app and the CLI use. Bundled by bench/run.ts with esbuild before the runs.
//
//   node ferry-client.mjs <get|put|get-dir|put-dir> <remote> <local> [parallel: 1-10 or auto]
//   node ferry-client.mjs list <remote> [auto|mlsd|list]
// Connection settings come from FERRY_BENCH_* environment variables.
import { FtpsClient } from '../electron/engine/client';
import type { ConnectOptions } from '../electron/engine/types';
import { TransferQueue } from '../electron/queue';

function connectOptions(): ConnectOptions {
  const env = process.env;
  const fingerprint = env.FERRY_BENCH_FP ?? '';
  return {
    host: env.FERRY_BENCH_HOST ?? '127.0.0.1',
    port: Number(env.FERRY_BENCH_PORT),
    mode: 'explicit',
    user: env.FERRY_BENCH_USER ?? '',
    password: env.FERRY_BENCH_PASSWORD ?? '',
    keepaliveMs: 0,
    decideTrust: (report) =>
      Promise.resolve(report.chain[0]?.fingerprint256 === fingerprint ? 'once' : 'reject'),
  };
}

async function main(): Promise<void> {
  const [op, remote = '', local = '', parallel = '1'] = process.argv.slice(2);
  if (op === 'list') {
    const listCommand = local === 'list' || local === 'mlsd' ? local : 'auto';
    const client = await FtpsClient.connect({ ...connectOptions(), listCommand });
    const entries = await client.list(remote);
    await client.close();
    process.stdout.write(`${JSON.stringify({ entries: entries.length })}\n`);
    return;
  }
  // FERRY_BENCH_SHA=worker|stream: a SHA-256 of every file, hashed where it says (bench/hash-cpu.ts).
  const sha = process.env.FERRY_BENCH_SHA;
  const queue = new TransferQueue({
    onExists: { upload: 'overwrite', download: 'overwrite' },
    preserveTimes: false,
    globalLimit: 10,
    ...(sha === 'worker' || sha === 'stream' ? { computeSha256: true, hashIn: sha } : {}),
  });
  queue.setSite({
    key: 'bench',
    connect: connectOptions(),
    maxConnections: parallel === 'auto' ? 'auto' : Number(parallel),
  });
  const isDirectory = op === 'get-dir' || op === 'put-dir';
  const direction = op === 'get' || op === 'get-dir' ? 'download' : 'upload';
  queue.add({ siteKey: 'bench', direction, localPath: local, remotePath: remote, isDirectory });
  await queue.whenIdle();
  const items = queue.list();
  await queue.dispose();
  const failed = items.filter((i) => i.state !== 'done');
  const resumed = items.filter((i) => i.tlsResumed).length;
  process.stdout.write(
    `${JSON.stringify({ files: items.length, failed: failed.length, tlsResumed: resumed })}\n`,
  );
  if (failed.length > 0) {
    process.stderr.write(`${JSON.stringify(failed[0]?.error)}\n`);
    process.exitCode = 1;
  }
}

await main();
