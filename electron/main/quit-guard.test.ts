import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, applySettingsPatch, type Settings } from '../../shared/settings';
import { mayQuit, type QuitGuardDeps } from './quit-guard';

function deps(options: {
  pending: boolean;
  quitWithTransfers: boolean;
  answer?: { response: number; checkboxChecked: boolean };
}) {
  let settings: Settings = applySettingsPatch(structuredClone(DEFAULT_SETTINGS), {
    confirm: { quitWithTransfers: options.quitWithTransfers },
  });
  const asked: unknown[] = [];
  const d: QuitGuardDeps = {
    hasPending: () => options.pending,
    settings: () => Promise.resolve(settings),
    updateSettings: (patch) => {
      settings = applySettingsPatch(settings, patch);
      return Promise.resolve(settings);
    },
    ask: (question) => {
      asked.push(question);
      return Promise.resolve(options.answer ?? { response: 0, checkboxChecked: false });
    },
  };
  return { d, asked, settings: () => settings };
}

describe('closing with transfers running', () => {
  it('closes without asking when nothing is pending', async () => {
    const { d, asked } = deps({ pending: false, quitWithTransfers: true });
    expect(await mayQuit(d)).toBe(true);
    expect(asked).toHaveLength(0);
  });

  it('asks when the setting is on; "Keep Transferring" keeps the window', async () => {
    const { d, asked } = deps({ pending: true, quitWithTransfers: true });
    expect(await mayQuit(d)).toBe(false);
    expect(asked).toHaveLength(1);
  });

  it('does not ask when the setting is off (the setting is read)', async () => {
    const { d, asked } = deps({ pending: true, quitWithTransfers: false });
    expect(await mayQuit(d)).toBe(true);
    expect(asked).toHaveLength(0);
  });

  it('"Don\'t ask again" turns the setting off', async () => {
    const { d, settings } = deps({
      pending: true,
      quitWithTransfers: true,
      answer: { response: 1, checkboxChecked: true },
    });
    expect(await mayQuit(d)).toBe(true);
    expect(settings().confirm.quitWithTransfers).toBe(false);
  });
});
