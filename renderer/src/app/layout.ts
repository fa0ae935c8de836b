/**
 * The layout the user shapes: splitter positions, column widths and sort per pane. Live values
 * change while a splitter is dragged; they are saved with the settings when the drag ends, so
 * they come back after a restart.
 */
import { create } from 'zustand';
import type { PaneSide } from '../../../shared/ipc';
import { defaultLayout, type Layout } from '../../../shared/layout';
import { updateSettings, useSites } from '../sites/sites';
import { useStore } from './store';

export const useLayout = create<{ layout: Layout; dragging: boolean }>()(() => ({
  layout: defaultLayout(),
  dragging: false,
}));

/** Takes the saved layout (at start and whenever settings change), unless a drag is under way. */
function adopt(layout: Layout): void {
  if (useLayout.getState().dragging) return;
  useLayout.setState({ layout });
  const panes = useStore.getState().panes;
  for (const side of ['local', 'remote'] as PaneSide[]) {
    const wanted = layout.sort[side];
    const shown = panes[side].sort;
    if (shown.key !== wanted.key || shown.descending !== wanted.descending) {
      useStore.getState().restoreSort(side, wanted);
    }
  }
}

useSites.subscribe((s, before) => {
  if (s.settings.layout !== before.settings.layout) adopt(s.settings.layout);
});

/** Changes the live layout (during a drag): nothing is saved yet. */
export function setLayoutLive(patch: Partial<Layout>): void {
  useLayout.setState((s) => ({ layout: { ...s.layout, ...patch }, dragging: true }));
}

/** Saves the live layout (the end of a drag, a key press on a splitter). */
export function commitLayout(patch: Partial<Layout> = {}): Promise<void> {
  const layout = { ...useLayout.getState().layout, ...patch };
  useLayout.setState({ layout, dragging: false });
  return updateSettings({ layout });
}

/** Remembers a pane's sort order with the layout. */
export function saveSort(side: PaneSide): Promise<void> {
  const { sort } = useLayout.getState().layout;
  return commitLayout({ sort: { ...sort, [side]: useStore.getState().panes[side].sort } });
}
