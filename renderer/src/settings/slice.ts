/** The settings as main stores them, and whether the settings dialog is open. */
import type { StateCreator } from 'zustand';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings';

export interface SettingsSlice {
  settings: Settings;
  settingsOpen: boolean;
}

export const createSettingsSlice: StateCreator<SettingsSlice> = () => ({
  settings: structuredClone(DEFAULT_SETTINGS),
  settingsOpen: false,
});
