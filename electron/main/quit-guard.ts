/**
 * Whether closing the window may go ahead while transfers are unfinished: reads the setting
 * "Before quitting while transfers run" and offers "Don't ask again", which turns it off.
 * Electron-free so it runs under Node in tests; index.ts passes Electron's message box.
 */
import type { Settings, SettingsPatch } from '../../shared/settings';

export interface QuitGuardDeps {
  hasPending: () => boolean;
  settings: () => Promise<Settings>;
  updateSettings: (patch: SettingsPatch) => Promise<unknown>;
  /** Shows the question; resolves with the button index and the checkbox state. */
  ask: (options: QuitQuestion) => Promise<{ response: number; checkboxChecked: boolean }>;
}

export interface QuitQuestion {
  type: 'warning';
  buttons: string[];
  defaultId: number;
  cancelId: number;
  title: string;
  message: string;
  detail: string;
  checkboxLabel: string;
  checkboxChecked: boolean;
}

export const QUIT_QUESTION: QuitQuestion = {
  type: 'warning',
  buttons: ['Keep Transferring', 'Stop Transfers and Close'],
  defaultId: 0,
  cancelId: 0,
  title: 'Transfers are running',
  message: 'Transfers are still running.',
  detail:
    'Closing Ferry stops them. Files being transferred stay incomplete (.part) and can be resumed later.',
  checkboxLabel: 'Don’t ask again',
  checkboxChecked: false,
};

/** True when the window may close now. */
export async function mayQuit(deps: QuitGuardDeps): Promise<boolean> {
  if (!deps.hasPending()) return true;
  const settings = await deps.settings();
  if (!settings.confirm.quitWithTransfers) return true;
  const answer = await deps.ask(QUIT_QUESTION);
  if (answer.response !== 1) return false;
  if (answer.checkboxChecked) await deps.updateSettings({ confirm: { quitWithTransfers: false } });
  return true;
}
