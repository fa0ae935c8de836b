import type { LogLine } from '../../shared/models';
import type { EmitEvent } from './events';

const KEEP = 5000;
const FLUSH_MS = 100;

/** Masks secrets in a protocol log line: the argument of PASS (and ACCT) never leaves main. */
export function maskLogText(text: string): string {
  return text.replace(/^(\s*(?:PASS|ACCT)\b)\s*.*$/i, (_match, verb: string) => `${verb} ****`);
}

/** Collects log lines from every connection, masks them, keeps the last few thousand and sends batches. */
export class LogFanout {
  private readonly lines: LogLine[] = [];
  private pending: LogLine[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly emit: EmitEvent) {}

  readonly push = (line: LogLine): void => {
    const masked: LogLine = {
      ...line,
      text: line.direction === 'command' ? maskLogText(line.text) : line.text,
    };
    this.lines.push(masked);
    if (this.lines.length > KEEP) this.lines.splice(0, this.lines.length - KEEP);
    this.pending.push(masked);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  };

  info(text: string, direction: LogLine['direction'] = 'info'): void {
    this.push({ time: new Date().toISOString(), direction, text });
  }

  snapshot(): LogLine[] {
    return [...this.lines];
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.emit('log', batch);
  }
}
