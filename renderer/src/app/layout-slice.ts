/** The layout the user shapes: splitter positions, column widths and sort per pane. */
import type { StateCreator } from 'zustand';
import { defaultLayout, type Layout } from '../../../shared/layout';

export interface LayoutSlice {
  layout: Layout;
  /** A splitter is being dragged: the live layout is not saved yet. */
  dragging: boolean;
}

export const createLayoutSlice: StateCreator<LayoutSlice> = () => ({
  layout: defaultLayout(),
  dragging: false,
});
