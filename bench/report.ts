/** One run of one tool. */
export interface Measurement {
  wall: number;
  cpu: number;
  rssMiB: number;
  ok: boolean;
  error?: string;
  /** Connections the latency proxy carried during the run (WAN mode). */
  proxyConnections?: number;
  /** Of those, control connections (WAN mode). */
  controlConnections?: number;
}

export interface ScenarioResult {
  server: string;
  /** `loopback`, or the latency proxy's settings (`RTT 30 ms`). */
  link?: string;
  /** Round-trip time added by the proxy (WAN mode). */
  rttMs?: number;
  scenario: string;
  /** Files moved and their bytes, where the scenario moves files. */
  files?: number;
  bytes?: number;
  /** Connections per tool (Ferry --parallel, lftp -P, curl 1); absent: counted at the proxy. */
  connections?: Record<string, number>;
  runs: Record<string, Measurement[]>;
  /** Ferry variants (e.g. `ferry (LIST)`) compared with one peer instead of being the reference. */
  variantPeers?: Record<string, string>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

/**
 * The ratio column: blank for Ferry, Ferry's median over the tool's, or for a Ferry variant its
 * median over the peer it is compared with.
 */
function ratioCell(result: ScenarioResult, tool: string, med: number, ferryMedian: number): string {
  if (tool === 'ferry') return '';
  const peer = result.variantPeers?.[tool];
  if (peer) {
    const peerRuns = (result.runs[peer] ?? []).filter((m) => m.ok);
    return Number.isFinite(med) && peerRuns.length > 0
      ? `${fmt(med / median(peerRuns.map((m) => m.wall)))} (vs ${peer})`
      : 'n/a';
  }
  return Number.isFinite(med) && Number.isFinite(ferryMedian) ? fmt(ferryMedian / med) : 'n/a';
}

/** A Markdown table: one row per server × scenario × tool, with Ferry/peer ratios of medians. */
export function renderTable(results: ScenarioResult[]): string {
  const lines = [
    '| server | scenario | tool | median s | min–max s | CPU s | CPU s/GiB | peak RSS MiB | ok runs | Ferry/tool (time) |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    const ferryRuns = (result.runs.ferry ?? []).filter((m) => m.ok);
    const ferryMedian = median(ferryRuns.map((m) => m.wall));
    for (const [tool, runs] of Object.entries(result.runs)) {
      const ok = runs.filter((m) => m.ok);
      const walls = ok.map((m) => m.wall);
      const med = median(walls);
      const ratio = ratioCell(result, tool, med, ferryMedian);
      const failed = runs.find((m) => !m.ok);
      const cpu = median(ok.map((m) => m.cpu));
      const gib = result.bytes !== undefined ? result.bytes / 2 ** 30 : undefined;
      lines.push(
        `| ${result.server} | ${result.scenario} | ${tool} | ${fmt(med)} | ${walls.length ? `${fmt(Math.min(...walls))}–${fmt(Math.max(...walls))}` : '–'} | ${fmt(cpu)} | ${gib ? fmt(cpu / gib) : '–'} | ${fmt(Math.max(...runs.map((m) => m.rssMiB)), 0)} | ${ok.length}/${runs.length}${failed ? ` (${(failed.error ?? '').slice(0, 60).replace(/\|/g, '/')})` : ''} | ${ratio} |`,
      );
    }
  }
  lines.push(
    '',
    'Ferry/tool below 1.00 means Ferry was faster (0.50 = twice as fast). A Ferry variant row compares that variant with the peer named.',
  );
  return lines.join('\n');
}

/**
 * The WAN table: per link and scenario, each tool's median time, client CPU and CPU per GiB moved,
 * round trips per file per connection (median wall × connections / files / RTT), connections the
 * proxy carried (median), and Ferry's time over the tool's.
 */
export function renderWanTable(results: ScenarioResult[]): string {
  const lines = [
    '| server | link | scenario | tool | median s | min–max s | CPU s | CPU s/GiB | RT/file/conn | conns via proxy | ok runs | Ferry/tool (time) |',
    '|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    const ferryRuns = (result.runs.ferry ?? []).filter((m) => m.ok);
    const ferryMedian = median(ferryRuns.map((m) => m.wall));
    for (const [tool, runs] of Object.entries(result.runs)) {
      const ok = runs.filter((m) => m.ok);
      const walls = ok.map((m) => m.wall);
      const med = median(walls);
      const cpu = median(ok.map((m) => m.cpu));
      const gib = result.bytes !== undefined ? result.bytes / 2 ** 30 : undefined;
      const conns =
        result.connections?.[tool] ??
        median(runs.map((m) => m.controlConnections).filter((n): n is number => n !== undefined));
      const rt =
        result.files !== undefined && result.files > 1 && conns && result.rttMs
          ? fmt((med * conns) / result.files / (result.rttMs / 1000), 1)
          : '–';
      const viaProxy = median(
        runs.map((m) => m.proxyConnections).filter((n): n is number => n !== undefined),
      );
      const ratio = ratioCell(result, tool, med, ferryMedian);
      const failed = runs.find((m) => !m.ok);
      lines.push(
        `| ${result.server} | ${result.link ?? ''} | ${result.scenario} | ${tool} | ${fmt(med)} | ${walls.length ? `${fmt(Math.min(...walls))}–${fmt(Math.max(...walls))}` : '–'} | ${fmt(cpu)} | ${gib ? fmt(cpu / gib) : '–'} | ${rt} | ${fmt(viaProxy, 0)} | ${ok.length}/${runs.length}${failed ? ` (${(failed.error ?? '').slice(0, 60).replace(/\|/g, '/')})` : ''} | ${ratio} |`,
      );
    }
  }
  lines.push(
    '',
    'Ferry/tool below 1.00 means Ferry was faster. RT/file/conn counts every round trip of the run, login and listing included, spread over the files: a floor of about 3 per small file (EPSV, RETR/150, data TLS) plus the per-run overhead.',
  );
  return lines.join('\n');
}
