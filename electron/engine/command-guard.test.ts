import { describe, expect, it } from 'vitest';
import { assertSafeArgument, formatCommand, maskCommand } from './command-guard';
import { FerryError } from './errors';

function errorOf(action: () => unknown): FerryError {
  try {
    action();
  } catch (error) {
    if (error instanceof FerryError) return error;
    throw error;
  }
  throw new Error('expected a FerryError');
}

describe('assertSafeArgument', () => {
  it.each([
    'file.txt',
    'name with spaces.txt',
    'semi;colon',
    'ünïcødé 日本',
    '',
    '\ttab',
    '../relative',
  ])('accepts %j', (arg) => {
    expect(() => assertSafeArgument(arg, 'download')).not.toThrow();
  });

  it.each([
    ['x\r\nDELE y', 'CR', 1],
    ['x\nDELE y', 'LF', 1],
    ['file\r', 'CR', 4],
    ['nul\0byte', 'NUL', 3],
    ['\nstart', 'LF', 0],
  ])('rejects %j', (arg, name, position) => {
    const error = errorOf(() => assertSafeArgument(arg, 'download'));
    expect(error.detail).toEqual({
      kind: 'unsafe-input',
      step: 'download',
      reason: `argument contains ${name} at position ${position}`,
    });
  });

  it('keeps the argument out of the error (it may be a password)', () => {
    const error = errorOf(() => assertSafeArgument('s3cret\r\n', 'login'));
    expect(error.message).not.toContain('s3cret');
  });
});

describe('formatCommand', () => {
  it('formats verbs with and without an argument, without CRLF', () => {
    expect(formatCommand('NOOP')).toBe('NOOP');
    expect(formatCommand('retr', 'my file.txt')).toBe('RETR my file.txt');
    expect(formatCommand('XSHA256', 'a')).toBe('XSHA256 a');
    expect(formatCommand('PASS', '')).toBe('PASS ');
  });

  it('refuses injected arguments with the verb in the step', () => {
    const error = errorOf(() => formatCommand('STOR', 'a\r\nDELE b'));
    expect(error.detail.kind).toBe('unsafe-input');
    expect(error.detail.step).toBe('send STOR');
  });

  it.each(['', 'A', 'RE TR', 'RETR\r\n', '1ABC', 'RE-TR', 'ABCDEFGHIJKLMNOPQ'])(
    'refuses verb %j',
    (verb) => {
      expect(errorOf(() => formatCommand(verb)).detail.kind).toBe('unsafe-input');
    },
  );
});

describe('maskCommand', () => {
  it.each([
    ['PASS hunter2', 'PASS ****'],
    ['pass hunter2\r\n', 'PASS ****'],
    ['PASS', 'PASS ****'],
    ['PASS with spaces in it', 'PASS ****'],
    ['ACCT billing-secret', 'ACCT ****'],
    ['USER alice', 'USER alice'],
    ['RETR PASS.txt', 'RETR PASS.txt'],
    ['PASSIVE', 'PASSIVE'],
    ['NOOP\r\n', 'NOOP'],
  ])('%j → %j', (line, masked) => {
    expect(maskCommand(line)).toBe(masked);
  });
});
