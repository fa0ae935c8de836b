/**
 * The layout the user shapes: splitter positions, column widths and sort per pane. Live values
 * change while a splitter is dragged; they are saved with the settings when the drag ends, so
 * they come back after a restart.
 */
import type { PaneSide } from '../../../shared/ipc';
import type { Layout } from '../../../shared/layout';
import { updateSettings } from '../settings/actions';
import { state, useStore } from './store';

/** Takes the saved layout (at start and whenever settings change), unless a drag is under way. */
export function adoptLayout(layout: Layout): void {
  if (state().dragging) return;
  useStore.setState({ layout });
  const panes = state().panes;
  for (const side of ['local', 'remote'] as PaneSide[]) {
    const wanted = layout.sort[side];
    const shown = panes[side].sort;
    if (shown.key !== wanted.key || shown.descending !== wanted.descending) {
      state().restoreSort(side, wanted);
    }
  }
}

/** Changes the live layout (during a drag): nothing is saved yet. */
export function setLayoutLive(patch: Partial<Layout>): void {
  useStore.setState((s) => ({ layout: { ...s.layout, ...patch }, dragging: true }));
}

/** Saves the live layout (the end of a drag, a key press on a splitter). */
export function commitLayout(patch: Partial<Layout> = {}): Promise<void> {
  const layout = { ...state().layout, ...patch };
  useStore.setState({ layout, dragging: false });
  return updateSettings({ layout });
}

/** Remembers a pane's sort order with the layout. */
export function saveSort(side: PaneSide): Promise<void> {
  const { sort } = state().layout;
  return commitLayout({ sort: { ...sort, [side]: state().panes[side].sort } });
}
