/** Settings: open the dialog, apply a change (main stores it and answers with the result). */
import type { SettingsPatch } from '../../../shared/settings';
import { useStore } from '../app/store';
import { loadPins } from '../certificates/actions';
import { call, ferry } from '../lib/api';
import { toastFailure } from '../ui/toasts';
import { applyTheme } from './theme';

export function openSettings(open = true): void {
  useStore.setState({ settingsOpen: open });
  if (open) void loadPins();
}

export async function updateSettings(patch: SettingsPatch): Promise<void> {
  try {
    const settings = await call(ferry.updateSettings(patch));
    useStore.setState({ settings });
    applyTheme(settings);
  } catch (error) {
    toastFailure(error);
  }
}
