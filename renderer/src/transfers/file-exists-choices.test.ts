import { describe, expect, it } from 'vitest';
import { existsChoices, resumePossible } from './file-exists-choices';

const q = (source?: number, target?: number) => ({
  source: { path: '/a', ...(source !== undefined ? { size: source } : {}) },
  target: { path: '/b', ...(target !== undefined ? { size: target } : {}) },
});

describe('file-exists choices', () => {
  it('offers Resume first, as the default, when the target is a smaller (partial) copy', () => {
    const { initial, choices } = existsChoices(q(10_000_000, 4_000_000));
    expect(initial).toBe('resume');
    expect(choices[0]?.value).toBe('resume');
    expect(choices[0]?.short).toBe('Resume');
  });

  it('keeps Overwrite first when nothing can be resumed', () => {
    for (const [s, t] of [
      [100, 100],
      [100, 200],
      [undefined, 50],
      [100, undefined],
    ] as const) {
      expect(resumePossible(q(s, t))).toBe(false);
      expect(existsChoices(q(s, t)).initial).toBe('overwrite');
    }
  });

  it('lists every action once', () => {
    const values = existsChoices(q(10, 5)).choices.map((c) => c.value);
    expect(new Set(values).size).toBe(7);
    expect(values).toContain('skip');
  });
});
