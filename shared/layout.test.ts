import { describe, expect, it } from 'vitest';
import { validateCommandArgs } from './ipc-validate';
import { defaultLayout, layoutProblems } from './layout';
import { applySettingsPatch, DEFAULT_SETTINGS, validateSettings, type Settings } from './settings';

describe('layout settings', () => {
  it('accepts the defaults and a saved layout, and rejects sizes out of range', () => {
    expect(layoutProblems(defaultLayout())).toEqual([]);
    expect(layoutProblems({ ...defaultLayout(), localShare: 950 })[0]).toMatch(/localShare/);
    expect(layoutProblems({ ...defaultLayout(), queueHeight: 10.5 })[0]).toMatch(/queueHeight/);
    const columns = {
      ...defaultLayout().columns,
      remote: { size: 9000, modified: 1, permissions: 1 },
    };
    expect(layoutProblems({ ...defaultLayout(), columns })).toHaveLength(3);
    expect(layoutProblems({ ...defaultLayout(), sort: { local: { key: 'colour' } } })[0]).toMatch(
      /sort/,
    );
  });

  it('is part of the settings, patched as a whole field at a time', () => {
    const base = structuredClone(DEFAULT_SETTINGS) as Settings;
    const next = applySettingsPatch(base, { layout: { localShare: 300 } });
    expect(next.layout.localShare).toBe(300);
    expect(next.layout.queueHeight).toBe(base.layout.queueHeight);
    expect(validateSettings(next)).toEqual([]);
    expect(validateSettings({ ...next, layout: { ...next.layout, logHeight: -4 } })).toHaveLength(
      1,
    );
  });

  it('is checked at the IPC boundary (the renderer is untrusted)', () => {
    expect(() =>
      validateCommandArgs('updateSettings', [{ layout: { localShare: 400 } }]),
    ).not.toThrow();
    expect(() => validateCommandArgs('updateSettings', [{ layout: { localShare: 4000 } }])).toThrow(
      /localShare/,
    );
    expect(() => validateCommandArgs('updateSettings', [{ layout: { evil: 1 } }])).toThrow(
      /unknown field/,
    );
  });
});
