/** The two file panes: folder, entries, sort, selection and which pane is active. */
import type { StateCreator } from 'zustand';
import type { Listing, PaneSide } from '../../../shared/ipc';
import type { PaneSort, SortKey } from '../../../shared/layout';
import type { RemoteEntry } from '../../../shared/models';

export type { SortKey };

export interface PaneState {
  path: string;
  entries: RemoteEntry[];
  loading: boolean;
  error?: string;
  sort: { key: SortKey; descending: boolean };
  /** Selected entry names. */
  selected: string[];
  /** The entry with keyboard focus. */
  cursor?: string;
}

export interface BrowserSlice {
  panes: Record<PaneSide, PaneState>;
  activePane: PaneSide;
  paneLoading: (side: PaneSide, path?: string) => void;
  paneListing: (listing: Listing) => void;
  paneError: (side: PaneSide, error: string) => void;
  paneReset: (side: PaneSide) => void;
  setSort: (side: PaneSide, key: SortKey) => void;
  restoreSort: (side: PaneSide, sort: PaneSort) => void;
  setSelection: (side: PaneSide, selected: string[], cursor?: string) => void;
  setActivePane: (side: PaneSide) => void;
}

const emptyPane = (): PaneState => ({
  path: '',
  entries: [],
  loading: false,
  sort: { key: 'name', descending: false },
  selected: [],
});

export const createBrowserSlice: StateCreator<BrowserSlice> = (set) => {
  const patch = (side: PaneSide, change: (pane: PaneState) => PaneState) =>
    set((s) => ({ panes: { ...s.panes, [side]: change(s.panes[side]) } }));
  return {
    panes: { local: emptyPane(), remote: emptyPane() },
    activePane: 'local',
    paneLoading: (side, path) =>
      patch(side, (pane) => ({ ...pane, loading: true, ...(path !== undefined ? { path } : {}) })),
    paneListing: (listing) =>
      patch(listing.side, (pane) => {
        const names = new Set(listing.entries.map((e) => e.name));
        const samePath = pane.path === listing.path;
        const next: PaneState = {
          ...pane,
          path: listing.path,
          entries: listing.entries,
          loading: false,
          selected: samePath ? pane.selected.filter((n) => names.has(n)) : [],
        };
        delete next.error;
        if (!samePath || (pane.cursor !== undefined && !names.has(pane.cursor))) delete next.cursor;
        return next;
      }),
    paneError: (side, error) => patch(side, (pane) => ({ ...pane, loading: false, error })),
    paneReset: (side) => patch(side, (pane) => ({ ...emptyPane(), sort: pane.sort })),
    setSort: (side, key) =>
      patch(side, (pane) => {
        const descending =
          pane.sort.key === key ? !pane.sort.descending : key === 'modified' || key === 'size';
        return { ...pane, sort: { key, descending } };
      }),
    restoreSort: (side, sort) => patch(side, (pane) => ({ ...pane, sort: { ...sort } })),
    setSelection: (side, selected, cursor) =>
      patch(side, (pane) => ({ ...pane, selected, cursor: cursor ?? pane.cursor })),
    setActivePane: (activePane) => set({ activePane }),
  };
};
