import { describe, expect, it } from 'vitest';
import { hasDotSegment, unsafeNameReason } from './names';

describe('names that cross the trust boundary', () => {
  it.each(['', '.', '..', 'a/b', 'a\\b', 'bell\u0007', 'esc\u001b[2J', 'c1\u009b'])(
    'refuses %j as a name',
    (name) => expect(unsafeNameReason(name)).toBeDefined(),
  );
  it.each(['report.bin', '.htaccess', 'naïve résumé.txt', 'a b;c'])('accepts %j', (name) =>
    expect(unsafeNameReason(name)).toBeUndefined(),
  );
  it('finds dot segments with either separator', () => {
    expect(hasDotSegment('/home/u/dl/../../x.txt')).toBe(true);
    expect(hasDotSegment('C:\\dl\\..\\x')).toBe(true);
    expect(hasDotSegment('/home/u/dl/..x.txt')).toBe(false);
  });
});
