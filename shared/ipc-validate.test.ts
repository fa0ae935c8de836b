import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from './ipc';
import { validateCommandArgs, ValidationError } from './ipc-validate';

describe('validateCommandArgs', () => {
  it('accepts well-formed arguments for every command shape', () => {
    expect(
      validateCommandArgs('connect', [
        { host: 'ftp.example.com', port: 21, mode: 'explicit', user: 'u', password: 'p' },
      ]),
    ).toEqual([{ host: 'ftp.example.com', port: 21, mode: 'explicit', user: 'u', password: 'p' }]);
    expect(validateCommandArgs('listRemote', [])).toEqual([undefined]);
    expect(validateCommandArgs('answerTrust', ['id-1', 'always'])).toEqual(['id-1', 'always']);
    expect(
      validateCommandArgs('addTransfers', [
        [{ direction: 'upload', localPath: '/a', remotePath: '/b' }],
      ]),
    ).toHaveLength(1);
  });

  it('refuses what an untrusted renderer could send', () => {
    const bad: Array<[Parameters<typeof validateCommandArgs>[0], unknown]> = [
      ['connect', [{ host: 'x', port: 0, mode: 'explicit', user: '', password: '' }]],
      ['connect', [{ host: 'x y', port: 21, mode: 'explicit', user: '', password: '' }]],
      ['connect', [{ host: 'x', port: 21, mode: 'sftp', user: '', password: '' }]],
      ['connect', [{ host: 'x', port: 21, mode: 'plain', user: '', password: '', extra: 1 }]],
      ['makeRemoteDir', ['a\r\nDELE b']],
      ['deleteLocal', [['/tmp/\0x']]],
      ['answerTrust', ['id', 'maybe']],
      ['cancelTransfer', [42]],
      ['getSession', [1]],
      ['renameRemote', 'not a list'],
    ];
    for (const [name, args] of bad) {
      expect(() => validateCommandArgs(name, args), name).toThrow(ValidationError);
    }
  });

  it('refuses a download whose listed name would leave the chosen folder (issue 12, case 1)', () => {
    const download = (remotePath: string, localPath: string): unknown[] => [
      [{ direction: 'download', localPath, remotePath }],
    ];
    for (const [remote, local] of [
      ['/pub/../../x.txt', '/home/u/dl/../../x.txt'],
      ['/pub/x.txt', '/home/u/dl/../x.txt'],
      ['/pub/bell\u0007.txt', '/home/u/dl/bell\u0007.txt'],
      ['/pub/a\\b.txt', '/home/u/dl/a\\b.txt'],
    ] as const) {
      expect(() => validateCommandArgs('addTransfers', download(remote, local)), remote).toThrow(
        ValidationError,
      );
    }
    expect(validateCommandArgs('addTransfers', download('/pub/.env', '/home/u/dl/.env'))).toEqual(
      download('/pub/.env', '/home/u/dl/.env'),
    );
  });

  it('has a validator for every command', () => {
    for (const name of COMMAND_NAMES) {
      expect(() => validateCommandArgs(name, [1, 2, 3, 4, 5])).toThrow(ValidationError);
    }
  });
});
