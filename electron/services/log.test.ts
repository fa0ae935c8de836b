import { describe, expect, it } from 'vitest';
import { maskLogText } from './log';

describe('maskLogText', () => {
  it('masks the PASS argument', () => {
    expect(maskLogText('PASS secret word')).toBe('PASS ****');
    expect(maskLogText('pass x')).toBe('pass ****');
    expect(maskLogText('USER bob')).toBe('USER bob');
  });
});
