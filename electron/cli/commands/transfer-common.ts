import { usageError, type CliOptions } from '../args';
import { formatBytes } from '../format';

/** --parallel and --on-exists only mean something for recursive transfers (for now). */
export function requireRecursiveFor(options: CliOptions): void {
  for (const name of ['parallel', 'on-exists']) {
    if (options.values.has(name) && !options.recursive)
      throw usageError(`--${name} applies to recursive transfers (-r)`);
  }
}

export function transferSummary(
  verb: string,
  bytes: number,
  seconds: number,
  what: string,
  sha256: string,
): string {
  const rate = seconds > 0 ? `, ${formatBytes(Math.round(bytes / seconds))}/s` : '';
  return (
    `${verb} ${bytes} bytes (${formatBytes(bytes)}) in ${seconds.toFixed(2)} s${rate}: ${what}\n` +
    `SHA-256 ${sha256}\n`
  );
}
