import { formatBytes } from './format';

export interface ProgressLine {
  update(bytes: number, total?: number): void;
  /** Erases the line. */
  done(): void;
}

const NO_PROGRESS: ProgressLine = { update: () => undefined, done: () => undefined };

/** A `\r`-rewritten line on stderr with bytes, percentage and speed; nothing unless it is a TTY. */
export function progressLine(
  write: (text: string) => void,
  isTTY: boolean,
  label: string,
  initialTotal?: number,
): ProgressLine {
  if (!isTTY) return NO_PROGRESS;
  const started = Date.now();
  let total = initialTotal;
  let drawn = false;
  return {
    update(bytes, newTotal) {
      if (newTotal !== undefined) total = newTotal;
      const seconds = (Date.now() - started) / 1000;
      const speed = seconds > 0 ? `${formatBytes(Math.round(bytes / seconds))}/s` : '';
      const amount =
        total !== undefined && total > 0
          ? `${formatBytes(bytes)} / ${formatBytes(total)}  ${Math.min(100, Math.floor((bytes / total) * 100))}%`
          : formatBytes(bytes);
      write(`\r\x1b[K${label}  ${amount}  ${speed}`);
      drawn = true;
    },
    done() {
      if (drawn) write('\r\x1b[K');
      drawn = false;
    },
  };
}
