import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FerryError } from './errors';
import { isInsideRoot, resolveLocalTarget, validateRemoteName } from './safe-path';

const posix = { windows: false };
const windows = { windows: true };

describe('validateRemoteName', () => {
  it.each([
    'file.txt',
    'name with spaces',
    ' leading space',
    '...',
    '..hidden',
    '.bashrc',
    'semi;colon',
    'Grüße 日本',
    'a'.repeat(255),
    'CON.txt', // only reserved on Windows
    'trailing.',
    'colon:name',
  ])('accepts %j on POSIX', (name) => {
    expect(validateRemoteName(name, posix)).toEqual({ ok: true });
  });

  it.each([
    ['', 'empty name'],
    ['.', '"." is not a file name'],
    ['..', '".." is not a file name'],
    ['a/b', '"a/b" contains a path separator'],
    ['/etc/passwd', '"/etc/passwd" contains a path separator'],
    ['../x', '"../x" contains a path separator'],
    ['..\\x', '"..\\\\x" contains a path separator'],
    ['nul\0', '"nul\\u0000" contains a control character'],
    ['cr\r', '"cr\\r" contains a control character'],
    ['lf\n', '"lf\\n" contains a control character'],
    ['tab\t', '"tab\\t" contains a control character'],
    ['\x1f', '"\\u001f" contains a control character'],
    ['del\x7f', '"del\\u007f" contains a control character'],
  ])('rejects %j', (name, reason) => {
    expect(validateRemoteName(name, posix)).toEqual({ ok: false, reason });
    expect(validateRemoteName(name, windows)).toEqual({ ok: false, reason });
  });

  it('rejects names longer than 255 bytes on POSIX, 255 characters on Windows', () => {
    expect(validateRemoteName('a'.repeat(256), posix).ok).toBe(false);
    expect(validateRemoteName('é'.repeat(128), posix).ok).toBe(false); // 256 bytes
    expect(validateRemoteName('é'.repeat(128), windows).ok).toBe(true);
    expect(validateRemoteName('é'.repeat(256), windows).ok).toBe(false);
  });

  it.each([
    'a:b',
    'C:',
    'file.txt:stream',
    'a<b',
    'a>b',
    'a"b',
    'a|b',
    'a?b',
    'a*b',
    'trailing.',
    'trailing ',
    'CON',
    'con',
    'Con.txt',
    'con .txt',
    'PRN',
    'AUX.tar.gz',
    'NUL',
    'COM1',
    'com9.log',
    'LPT1',
    'lpt0',
    'COM¹',
    'CONIN$',
    'conout$.txt',
  ])('rejects %j on Windows', (name) => {
    expect(validateRemoteName(name, windows).ok).toBe(false);
  });

  it.each(['CONSOLE', 'COM10', 'xNUL', 'nul_file', 'LPT', 'a.con', 'Co n'])(
    'accepts %j on Windows',
    (name) => {
      expect(validateRemoteName(name, windows)).toEqual({ ok: true });
    },
  );

  it('follows the platform by default', () => {
    expect(validateRemoteName('a:b').ok).toBe(process.platform !== 'win32');
  });
});

describe('resolveLocalTarget', () => {
  const root = path.join(os.tmpdir(), 'ferry-safe-root');

  it('maps nested relative paths under the root', () => {
    expect(resolveLocalTarget(root, 'file.txt')).toBe(path.join(root, 'file.txt'));
    expect(resolveLocalTarget(root, 'sub dir/deeper/file name.txt')).toBe(
      path.join(root, 'sub dir', 'deeper', 'file name.txt'),
    );
  });

  it('resolves a relative root', () => {
    expect(resolveLocalTarget('downloads', 'a')).toBe(path.resolve('downloads', 'a'));
  });

  it('keeps names that merely start with dots', () => {
    expect(resolveLocalTarget(root, '..hidden/...')).toBe(path.join(root, '..hidden', '...'));
  });

  it.each([
    '',
    '.',
    '..',
    '../x',
    'a/../../x',
    'a/../b',
    './a',
    '/etc/passwd',
    '//server/share',
    'a//b',
    'a/',
    'a/./b',
    '..\\..\\x',
    'C:\\Windows',
    'sub/nul\0',
    'sub/cr\rname',
    'x/\x1b',
    `a/${'b'.repeat(300)}`,
  ])('refuses %j', (relative) => {
    let error: unknown;
    try {
      resolveLocalTarget(root, relative, { windows: false });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FerryError);
    expect((error as FerryError).detail.kind).toBe('unsafe-input');
    expect((error as FerryError).detail.step).toBe('map remote name to local path');
  });

  it('applies Windows rules to every segment when asked', () => {
    expect(() => resolveLocalTarget(root, 'ok/CON', windows)).toThrow(FerryError);
    expect(() => resolveLocalTarget(root, 'a:b/c', windows)).toThrow(FerryError);
    expect(resolveLocalTarget(root, 'a:b/c', posix)).toBe(path.join(root, 'a:b', 'c'));
  });
});

describe('isInsideRoot', () => {
  const root = path.join(os.tmpdir(), 'ferry-root');

  it.each([
    [path.join(root, 'a'), true],
    [path.join(root, 'a', 'b', '..', 'c'), true],
    [path.join(root, '..a'), true],
    [root, false],
    [path.join(root, '.'), false],
    [path.join(root, '..'), false],
    [path.join(root, '..', 'ferry-root-evil', 'x'), false],
    [`${root}-evil`, false],
    [path.join(root, 'a', '..', '..', 'x'), false],
    [path.parse(root).root, false],
  ])('%j → %j', (target, inside) => {
    expect(isInsideRoot(root, target)).toBe(inside);
  });

  it('resolves relative roots and targets against the working folder', () => {
    expect(isInsideRoot('downloads', path.join('downloads', 'f'))).toBe(true);
    expect(isInsideRoot('downloads', 'downloads-other')).toBe(false);
  });
});
