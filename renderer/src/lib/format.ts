import type { SecurityMode, TimePrecision } from '../../../shared/models';

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${formatBytes(Math.round(bytesPerSecond))}/s` : '';
}

export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s left`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s left`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m left`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A compact, sortable local time: `2026-03-14 09:26`. A listed date without a time (`Mar 14 2024`
 * in LIST) is shown as that date alone: it has no hour, and no time zone to convert.
 */
export function formatDate(iso: string | undefined, precision?: TimePrecision): string {
  if (!iso) return '';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const d = new Date(time);
  if (precision === 'day') {
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  }
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

export const MODE_LABELS: Record<SecurityMode, string> = {
  explicit: 'Explicit FTPS (TLS required)',
  'explicit-if-available': 'Explicit FTPS if available',
  implicit: 'Implicit FTPS',
  plain: 'Plain FTP (insecure)',
};

export const MODE_SHORT: Record<SecurityMode, string> = {
  explicit: 'Explicit FTPS',
  'explicit-if-available': 'FTPS if available',
  implicit: 'Implicit FTPS',
  plain: 'Plain FTP',
};

/** Groups a hex fingerprint `AB:CD:…` into readable blocks of four bytes. */
export function fingerprintBlocks(fingerprint: string): string[] {
  const bytes = fingerprint.toUpperCase().split(':');
  const blocks: string[] = [];
  for (let i = 0; i < bytes.length; i += 4) blocks.push(bytes.slice(i, i + 4).join(':'));
  return blocks;
}

// --- paths ---------------------------------------------------------------------------------------

export function localSeparator(platform: string): string {
  return platform === 'win32' ? '\\' : '/';
}

export function localJoin(dir: string, name: string, sep: string): string {
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}

export function localParent(path: string, sep: string): string {
  const trimmed = path.length > 1 && path.endsWith(sep) ? path.slice(0, -1) : path;
  const index = trimmed.lastIndexOf(sep);
  if (index < 0) return path;
  if (index === 0) return sep;
  const parent = trimmed.slice(0, index);
  return /^[A-Za-z]:$/.test(parent) ? `${parent}${sep}` : parent;
}

export interface Crumb {
  label: string;
  path: string;
}

/** Breadcrumbs for a path: the root, then one crumb per segment. */
export function breadcrumbs(path: string, sep: string): Crumb[] {
  const crumbs: Crumb[] = [];
  const drive = /^([A-Za-z]:)[\\/]?/.exec(path);
  const root = drive ? `${drive[1] ?? ''}${sep}` : sep;
  crumbs.push({ label: drive ? (drive[1] ?? root) : '/', path: root });
  const rest = path
    .slice(drive ? drive[0].length : 1)
    .split(sep)
    .filter(Boolean);
  let current = root;
  for (const segment of rest) {
    current = current.endsWith(sep) ? `${current}${segment}` : `${current}${sep}${segment}`;
    crumbs.push({ label: segment, path: current });
  }
  return crumbs;
}
