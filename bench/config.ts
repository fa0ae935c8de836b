// The bench's settings, from the environment (see the header of bench/run.ts and docs/BENCH.md).
// BENCH_QUICK=1 picks small sizes and vsftpd only, for a same-run table in a few minutes on a
// busy machine; any size set explicitly still wins.
import type { ServerKind } from '../test/servers/servers';

const env = process.env;
export const QUICK = env.BENCH_QUICK === '1';
const pick = (name: string, full: number, quick: number): number =>
  Number(env[name] ?? (QUICK ? quick : full));

export type Group = 'large' | 'small' | 'medium' | 'list';
export const LARGE_MIB = pick('BENCH_LARGE_MIB', 1024, 64);
export const SMALL_COUNT = pick('BENCH_SMALL_COUNT', 1000, 100);
export const SMALL_KIB = pick('BENCH_SMALL_KIB', 16, 16);
export const LIST_COUNT = pick('BENCH_LIST_COUNT', 20000, 5000);
export const RUNS = Math.max(1, pick('BENCH_RUNS', 3, 3));
export const PARALLEL = Number(env.BENCH_PARALLEL ?? 4);
export const SERVERS = (env.BENCH_SERVERS ?? (QUICK ? 'vsftpd' : 'vsftpd,proftpd')).split(
  ',',
) as ServerKind[];
export const GROUPS = new Set((env.BENCH_ONLY ?? 'large,small,list').split(',') as Group[]);
export const LOOPBACK = env.BENCH_LOOPBACK !== 'off';
/** Round-trip times of the WAN set; `BENCH_WAN=off` runs loopback only. */
export const WAN_RTTS = (env.BENCH_WAN ?? '30,100')
  .split(',')
  .map((t) => t.trim())
  .filter((t) => t !== '' && t !== 'off')
  .map(Number);
export const WAN = {
  smallCount: pick('BENCH_WAN_SMALL_COUNT', 1000, 60),
  mediumCount: pick('BENCH_WAN_MEDIUM_COUNT', 100, 6),
  largeMib: pick('BENCH_WAN_LARGE_MIB', 256, 16),
  listCount: pick('BENCH_WAN_LIST_COUNT', 20000, 2000),
  runs: Math.max(1, pick('BENCH_WAN_RUNS', RUNS, RUNS)),
  bytesPerSecond: env.BENCH_WAN_BPS ? Number(env.BENCH_WAN_BPS) : undefined,
  groups: new Set((env.BENCH_WAN_ONLY ?? 'large,small,medium,list').split(',') as Group[]),
};
export const WAN_HOST = '127.0.0.2';
export const TOOLS = env.BENCH_TOOLS ? new Set(env.BENCH_TOOLS.split(',')) : undefined;
/**
 * curl moves a tree one file after another on one connection: through the WAN proxy that takes
 * minutes per run. The quick mode leaves curl out of the WAN trees (BENCH_WAN_CURL_TREES=1 keeps it).
 */
export const WAN_CURL_TREES = env.BENCH_WAN_CURL_TREES ? env.BENCH_WAN_CURL_TREES === '1' : !QUICK;
