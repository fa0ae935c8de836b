import { ArrowDown, ArrowUp } from 'lucide-react';
import type { PaneSide } from '../../../shared/ipc';
import { LAYOUT_LIMITS, type ColumnKey } from '../../../shared/layout';
import { commitLayout, saveSort, setLayoutLive } from '../app/layout';
import { state, useStore } from '../app/store';
import { Splitter } from '../ui/Splitter';
import { COLUMN_LABELS } from './entries';
import type { SortKey } from './slice';

function resizeColumn(side: PaneSide, key: ColumnKey, width: number): void {
  const all = state().layout.columns;
  setLayoutLive({ columns: { ...all, [side]: { ...all[side], [key]: width } } });
}

/** The column headers of a file pane: click to sort (remembered), drag an edge to resize. */
export function FileColumns({ side, keys }: { side: PaneSide; keys: SortKey[] }) {
  const sort = useStore((s) => s.panes[side].sort);
  const columns = useStore((s) => s.layout.columns[side]);
  const setSort = useStore((s) => s.setSort);
  return (
    <div className="file-head" role="row">
      {keys.map((key) => (
        <div
          key={key}
          role="columnheader"
          aria-label={COLUMN_LABELS[key]}
          className={`col col-${key} ${sort.key === key ? 'sorted' : ''}`}
          aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
        >
          {key === 'name' ? null : (
            <Splitter
              orientation="vertical"
              className="column-resizer"
              label={`Resize the ${COLUMN_LABELS[key]} column`}
              testId={`${side}-resize-${key}`}
              value={columns[key]}
              min={LAYOUT_LIMITS.column[0]}
              max={LAYOUT_LIMITS.column[1]}
              step={8}
              perPixel={-1}
              onChange={(width) => resizeColumn(side, key, width)}
              onCommit={() => void commitLayout()}
            />
          )}
          <button
            type="button"
            className="col-sort"
            onClick={() => {
              setSort(side, key);
              void saveSort(side);
            }}
          >
            {COLUMN_LABELS[key]}
            {sort.key === key ? (
              sort.descending ? (
                <ArrowDown size={12} aria-hidden="true" />
              ) : (
                <ArrowUp size={12} aria-hidden="true" />
              )
            ) : null}
          </button>
        </div>
      ))}
    </div>
  );
}
