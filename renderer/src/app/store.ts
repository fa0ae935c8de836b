/**
 * The one renderer store, built from one slice per feature. Slices hold state and the plain
 * updates of their own part; anything that calls main or spans features is an action in the
 * feature's `actions.ts`.
 */
import { create } from 'zustand';
import { createBrowserSlice, type BrowserSlice } from '../browser/slice';
import { createCertificatesSlice, type CertificatesSlice } from '../certificates/slice';
import { createConnectionSlice, type ConnectionSlice } from '../connection/slice';
import { createLogSlice, type LogSlice } from '../log/slice';
import { createSettingsSlice, type SettingsSlice } from '../settings/slice';
import { createSitesSlice, type SitesSlice } from '../sites/slice';
import { createTransfersSlice, type TransfersSlice } from '../transfers/slice';
import { createUiSlice, type UiSlice } from '../ui/slice';
import { createLayoutSlice, type LayoutSlice } from './layout-slice';

export type AppState = ConnectionSlice &
  BrowserSlice &
  TransfersSlice &
  CertificatesSlice &
  SitesSlice &
  SettingsSlice &
  LogSlice &
  LayoutSlice &
  UiSlice;

export const useStore = create<AppState>()((...a) => ({
  ...createConnectionSlice(...a),
  ...createBrowserSlice(...a),
  ...createTransfersSlice(...a),
  ...createCertificatesSlice(...a),
  ...createSitesSlice(...a),
  ...createSettingsSlice(...a),
  ...createLogSlice(...a),
  ...createLayoutSlice(...a),
  ...createUiSlice(...a),
}));

/** Shorthand for actions: the current state with its updates. */
export const state = (): AppState => useStore.getState();
