/**
 * The window layout the user shapes (splitters, column widths, sort per pane), kept with the
 * settings so it survives a restart. Pure code: types, defaults, limits and validation.
 */

export type SortKey = 'name' | 'size' | 'modified' | 'permissions';
export const SORT_KEYS: readonly SortKey[] = ['name', 'size', 'modified', 'permissions'];

export interface PaneSort {
  key: SortKey;
  descending: boolean;
}

/** Widths in CSS pixels of the fixed columns; the name column takes what is left. */
export interface ColumnWidths {
  size: number;
  modified: number;
  permissions: number;
}
export type ColumnKey = keyof ColumnWidths;
export const COLUMN_KEYS: readonly ColumnKey[] = ['size', 'modified', 'permissions'];

export interface Layout {
  /** The local pane's share of the panes' width, in thousandths. */
  localShare: number;
  /** Height of the transfer queue in CSS pixels. */
  queueHeight: number;
  /** Height of the open protocol log's body in CSS pixels. */
  logHeight: number;
  columns: { local: ColumnWidths; remote: ColumnWidths };
  sort: { local: PaneSort; remote: PaneSort };
}

export const LAYOUT_LIMITS = {
  localShare: [200, 800],
  queueHeight: [72, 1200],
  logHeight: [48, 1200],
  column: [48, 600],
} as const;

const DEFAULTS: Layout = {
  localShare: 500,
  queueHeight: 176,
  logHeight: 112,
  columns: {
    local: { size: 88, modified: 150, permissions: 96 },
    remote: { size: 84, modified: 146, permissions: 96 },
  },
  sort: {
    local: { key: 'name', descending: false },
    remote: { key: 'name', descending: false },
  },
};

export const DEFAULT_LAYOUT: Readonly<Layout> = Object.freeze(DEFAULTS);

/** A fresh, mutable copy of the defaults (shared/ has no structuredClone in its lib). */
export function defaultLayout(): Layout {
  const { columns, sort } = DEFAULTS;
  return {
    ...DEFAULTS,
    columns: { local: { ...columns.local }, remote: { ...columns.remote } },
    sort: { local: { ...sort.local }, remote: { ...sort.remote } },
  };
}

export function clamp(value: number, [min, max]: readonly [number, number]): number {
  return Math.min(max, Math.max(min, Math.round(value)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function within(value: unknown, [min, max]: readonly [number, number]): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function onlyKeys(value: Record<string, unknown>, keys: readonly string[]): string | undefined {
  const extra = Object.keys(value).find((key) => !keys.includes(key));
  return extra === undefined ? undefined : `has an unknown field "${extra}"`;
}

function columnProblems(value: unknown, where: string): string[] {
  if (!isRecord(value)) return [`${where} must be an object`];
  const extra = onlyKeys(value, COLUMN_KEYS);
  if (extra) return [`${where} ${extra}`];
  return COLUMN_KEYS.filter((k) => !within(value[k], LAYOUT_LIMITS.column)).map(
    (k) => `${where}.${k} must be a whole number of pixels from 48 to 600`,
  );
}

function sortProblems(value: unknown, where: string): string[] {
  if (!isRecord(value)) return [`${where} must be an object`];
  const extra = onlyKeys(value, ['key', 'descending']);
  if (extra) return [`${where} ${extra}`];
  const problems: string[] = [];
  if (!SORT_KEYS.includes(value.key as SortKey)) problems.push(`${where}.key is not a column`);
  if (typeof value.descending !== 'boolean') problems.push(`${where}.descending must be boolean`);
  return problems;
}

function sidesProblems(
  value: unknown,
  where: string,
  check: (v: unknown, w: string) => string[],
): string[] {
  if (!isRecord(value)) return [`${where} must be an object`];
  const extra = onlyKeys(value, ['local', 'remote']);
  if (extra) return [`${where} ${extra}`];
  return [...check(value.local, `${where}.local`), ...check(value.remote, `${where}.remote`)];
}

/**
 * Problems of a layout, or of a part of one when `partial` (a settings patch replaces whole
 * top-level fields). Empty when fine.
 */
export function layoutProblems(value: unknown, partial = false, where = 'layout'): string[] {
  if (!isRecord(value)) return [`${where} must be an object`];
  const keys = ['localShare', 'queueHeight', 'logHeight', 'columns', 'sort'] as const;
  const extra = onlyKeys(value, keys);
  if (extra) return [`${where} ${extra}`];
  const problems: string[] = [];
  const present = (key: (typeof keys)[number]) => !partial || value[key] !== undefined;
  for (const key of ['localShare', 'queueHeight', 'logHeight'] as const) {
    if (present(key) && !within(value[key], LAYOUT_LIMITS[key])) {
      const [min, max] = LAYOUT_LIMITS[key];
      problems.push(`${where}.${key} must be a whole number from ${min} to ${max}`);
    }
  }
  if (present('columns'))
    problems.push(...sidesProblems(value.columns, `${where}.columns`, columnProblems));
  if (present('sort')) problems.push(...sidesProblems(value.sort, `${where}.sort`, sortProblems));
  return problems;
}
