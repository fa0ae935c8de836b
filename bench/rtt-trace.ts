// Where the round trips of a small file go: one logged-in connection through the latency proxy
// downloads (or uploads) N small files in turn, and each file's steps are printed in RTTs after
// the file's first command (EPSV sent, 229, RETR sent, data TCP open at the proxy, TLS resumed,
// 150, last data byte at the proxy, 226; an upload's SIZE). Not a test.
//
//   BENCH_SERVERS=vsftpd BENCH_RTT=30 BENCH_FILES=20 BENCH_DIRECTION=download npx tsx bench/rtt-trace.ts
// BENCH_OVERLAP=on|off and BENCH_EARLY_CLOSE=on|off force the early EPSV and the early
// close_notify either way (default: the engine's per-server choice, server-quirks.ts).
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { FtpsClient } from '../electron/engine/client';
import { startServer, stopAll, type ServerKind } from '../test/servers/servers';
import { LatencyProxy, type TraceEvent } from './latency-proxy';
import { median } from './report';

const env = process.env;
const SERVERS = (env.BENCH_SERVERS ?? 'vsftpd').split(',') as ServerKind[];
const RTT = Number(env.BENCH_RTT ?? 30);
const FILES = Number(env.BENCH_FILES ?? 20);
const KIB = Number(env.BENCH_SMALL_KIB ?? 16);
const UPLOAD = env.BENCH_DIRECTION === 'upload';
/** on/off force the early EPSV and the early close_notify; unset: the engine's per-server choice. */
const OVERLAP = env.BENCH_OVERLAP;
const EARLY_CLOSE = env.BENCH_EARLY_CLOSE;

interface Stamp {
  time: number;
  label: string;
}

function sink(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

/** One row per file: each step's time after the file's first command, in RTTs. */
function perFile(stamps: Stamp[], first: string): Map<string, number[]> {
  const steps = new Map<string, number[]>();
  let start: number | undefined;
  for (const stamp of stamps) {
    if (stamp.label === first) start = stamp.time;
    if (start === undefined) continue;
    const list = steps.get(stamp.label) ?? [];
    list.push((stamp.time - start) / RTT);
    steps.set(stamp.label, list);
  }
  return steps;
}

async function traceServer(kind: ServerKind): Promise<void> {
  const server = await startServer({ kind, mode: 'explicit', tlsMax: '1.3' });
  const data = randomBytes(KIB * 1024);
  for (let i = 0; i < FILES; i++) await server.writeFile(`t/f${i}.bin`, data);
  const stamps: Stamp[] = [];
  const dataConnections = new Set<number>();
  const trace = (event: TraceEvent): void => {
    if (event.port === server.port) return;
    if (event.what === 'open') {
      dataConnections.add(event.connection);
      stamps.push({ time: event.time, label: 'data TCP open (proxy)' });
    } else if (event.what === (UPLOAD ? 'up-end' : 'down-end')) {
      stamps.push({ time: event.time, label: 'data end (proxy)' });
    }
  };
  const proxy = await LatencyProxy.start({
    rttMs: RTT,
    routes: LatencyProxy.ftpRoutes(server.port, server.pasvPorts),
    trace,
  });
  const client = await FtpsClient.connect({
    host: proxy.host,
    port: server.port,
    mode: 'explicit',
    user: server.user,
    password: server.password,
    keepaliveMs: 0,
    serverQuirks: {
      ...(OVERLAP === undefined ? {} : { overlapNextPassive: OVERLAP === 'on' }),
      ...(EARLY_CLOSE === undefined ? {} : { earlyCloseNotify: EARLY_CLOSE === 'on' }),
    },
    decideTrust: () => Promise.resolve('once'),
    onLog: (line) => {
      const text = line.text.replace(/ .*/, '');
      const label =
        line.direction === 'command'
          ? `${text} sent`
          : line.direction === 'reply'
            ? text
            : line.direction === 'tls' && line.text.includes('resumed')
              ? 'TLS resumed'
              : undefined;
      if (label) stamps.push({ time: performance.now(), label });
    },
  });
  const started = performance.now();
  for (let i = 0; i < FILES; i++) {
    // With its SIZE, as the queue checks an upload when the server offers no hash.
    if (UPLOAD)
      await client.upload(Readable.from([data]), `t/u${i}.bin`, {
        size: data.length,
        sizeAfter: true,
      });
    else await client.download(`t/f${i}.bin`, sink(), { expectedSize: data.length });
  }
  const wall = performance.now() - started;
  await client.close();
  await proxy.stop();
  await server.stop();
  const first = stamps.find((s) => s.label === 'EPSV sent' || s.label === 'PASV sent')?.label;
  const steps = perFile(stamps, first ?? 'EPSV sent');
  process.stdout.write(
    `${kind}, RTT ${RTT} ms, ${FILES} × ${KIB} KiB ${UPLOAD ? 'up' : 'down'}, one connection: ` +
      `${(wall / FILES / RTT).toFixed(2)} RT per file (${dataConnections.size} data connections)\n`,
  );
  const rows = [...steps.entries()]
    .map(([label, times]) => ({ label, at: median(times), n: times.length }))
    .sort((a, b) => a.at - b.at);
  for (const row of rows) {
    process.stdout.write(`  ${row.at.toFixed(2).padStart(6)} RTT  ${row.label} (${row.n}×)\n`);
  }
}

try {
  for (const kind of SERVERS) await traceServer(kind);
} finally {
  await stopAll();
}
