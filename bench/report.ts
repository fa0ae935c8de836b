/** One run of one tool. */
export interface Measurement {
  wall: number;
  cpu: number;
  rssMiB: number;
  ok: boolean;
  error?: string;
}

export interface ScenarioResult {
  server: string;
  scenario: string;
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

/** A Markdown table: one row per server × scenario × tool, with Ferry/peer ratios of medians. */
export function renderTable(results: ScenarioResult[]): string {
  const lines = [
    '| server | scenario | tool | median s | min–max s | CPU s | peak RSS MiB | ok runs | Ferry/tool (time) |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    const ferryRuns = (result.runs.ferry ?? []).filter((m) => m.ok);
    const ferryMedian = median(ferryRuns.map((m) => m.wall));
    for (const [tool, runs] of Object.entries(result.runs)) {
      const ok = runs.filter((m) => m.ok);
      const walls = ok.map((m) => m.wall);
      const med = median(walls);
      const peer = result.variantPeers?.[tool];
      const peerRuns = (peer ? (result.runs[peer] ?? []) : []).filter((m) => m.ok);
      const ratio =
        tool === 'ferry'
          ? ''
          : peer
            ? ok.length > 0 && peerRuns.length > 0
              ? `${fmt(med / median(peerRuns.map((m) => m.wall)))} (vs ${peer})`
              : 'n/a'
            : ok.length > 0 && ferryRuns.length > 0
              ? fmt(ferryMedian / med)
              : 'n/a';
      const failed = runs.find((m) => !m.ok);
      lines.push(
        `| ${result.server} | ${result.scenario} | ${tool} | ${fmt(med)} | ${walls.length ? `${fmt(Math.min(...walls))}–${fmt(Math.max(...walls))}` : '–'} | ${fmt(median(ok.map((m) => m.cpu)))} | ${fmt(Math.max(...runs.map((m) => m.rssMiB)), 0)} | ${ok.length}/${runs.length}${failed ? ` (${(failed.error ?? '').slice(0, 60).replace(/\|/g, '/')})` : ''} | ${ratio} |`,
      );
    }
  }
  lines.push(
    '',
    'Ferry/tool below 1.00 means Ferry was faster (0.50 = twice as fast). A Ferry variant row compares that variant with the peer named.',
  );
  return lines.join('\n');
}
