/** What a file pane shows: sorted entries with a `..` row, type-to-select, drag payloads. */
import type { PaneSide } from '../../../shared/ipc';
import type { RemoteEntry } from '../../../shared/models';
import type { SortKey } from './slice';

export const ROW_HEIGHT = 28;
/** The row that opens the parent folder, as in FileZilla and most file managers. */
export const PARENT = '..';

export const COLUMN_LABELS: Record<SortKey, string> = {
  name: 'Name',
  size: 'Size',
  modified: 'Modified',
  permissions: 'Permissions',
};

export function parentRow(): RemoteEntry {
  return { name: PARENT, kind: 'dir' };
}

/**
 * Type-to-select: the next row (after the cursor when the same letter is repeated) whose name
 * starts with what was typed, ignoring case.
 */
export function typeAheadMatch(
  names: string[],
  typed: string,
  cursor: string | undefined,
): string | undefined {
  const prefix = typed.toLocaleLowerCase();
  const repeated = prefix.length > 1 && [...prefix].every((c) => c === prefix[0]);
  const wanted = repeated ? prefix.slice(0, 1) : prefix;
  const start = cursor === undefined ? -1 : names.indexOf(cursor);
  // A new prefix may match the cursor row itself; a repeated letter cycles on to the next one.
  const from = repeated || prefix.length === 1 ? start + 1 : Math.max(start, 0);
  for (let i = 0; i < names.length; i++) {
    const name = names[(from + i) % names.length];
    if (name !== undefined && name !== PARENT && name.toLocaleLowerCase().startsWith(wanted))
      return name;
  }
  return undefined;
}

/** Which pane a drag started in (the payload itself is readable only on drop). */
export const dragSource: { side?: PaneSide; active: boolean } = { active: false };

export function sortEntries(
  entries: RemoteEntry[],
  key: SortKey,
  descending: boolean,
): RemoteEntry[] {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const factor = descending ? -1 : 1;
  const compare = (a: RemoteEntry, b: RemoteEntry): number => {
    switch (key) {
      case 'size':
        return (a.size ?? -1) - (b.size ?? -1);
      case 'modified':
        return (Date.parse(a.modified ?? '') || 0) - (Date.parse(b.modified ?? '') || 0);
      case 'permissions':
        return collator.compare(a.permissions ?? '', b.permissions ?? '');
      case 'name':
        return collator.compare(a.name, b.name);
    }
  };
  return entries
    .filter((e) => e.name !== '.' && e.name !== '..')
    .sort((a, b) => {
      const dirA = a.kind === 'dir' ? 0 : 1;
      const dirB = b.kind === 'dir' ? 0 : 1;
      if (dirA !== dirB) return dirA - dirB;
      return compare(a, b) * factor || collator.compare(a.name, b.name);
    });
}
