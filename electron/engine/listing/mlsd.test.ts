import { describe, expect, it } from 'vitest';
import type { RemoteEntry } from '../../../shared/models';
import { parseMlsd, parseMlsdLine, parseMlsdTime } from './mlsd';

describe('parseMlsdLine', () => {
  it.each<[string, string, RemoteEntry]>([
    [
      'mixed-case facts',
      'Type=file;mOdIfY=20081105165215;SIZE=1234; MLSD file',
      {
        name: 'MLSD file',
        kind: 'file',
        size: 1234,
        modified: '2008-11-05T16:52:15.000Z',
        modifiedPrecision: 'second',
      },
    ],
    [
      'semicolons and spaces in the name',
      'type=dir;modify=20200101000000; name; with; semicolons  and spaces',
      {
        name: 'name; with; semicolons  and spaces',
        kind: 'dir',
        modified: '2020-01-01T00:00:00.000Z',
        modifiedPrecision: 'second',
      },
    ],
    [
      'a name that looks like facts',
      'type=file;size=3; type=dir;size=9; x',
      { name: 'type=dir;size=9; x', kind: 'file', size: 3 },
    ],
    [
      'trailing whitespace kept',
      'Type=file; 74 MLSD whitespace trailing\t ',
      { name: '74 MLSD whitespace trailing\t ', kind: 'file' },
    ],
    [
      'leading whitespace after the separator kept',
      'Type=file; \t 75 MLSD whitespace leading',
      { name: '\t 75 MLSD whitespace leading', kind: 'file' },
    ],
    [
      'tab as the separator',
      'size=1365694195;type=file;modify=20090722092510;\tadsl TV 2009-07-22 08-25-10 78',
      {
        name: 'adsl TV 2009-07-22 08-25-10 78',
        kind: 'file',
        size: 1365694195,
        modified: '2009-07-22T09:25:10.000Z',
        modifiedPrecision: 'second',
      },
    ],
    [
      'empty perm, UNIX.mode, numeric owner and group',
      'modify=20080426135501;perm=;size=65718921;type=file;unique=802U1066013B;UNIX.group=1179;UNIX.mode=00;UNIX.owner=1179; 75 MLSD file with empty permissions',
      {
        name: '75 MLSD file with empty permissions',
        kind: 'file',
        size: 65718921,
        modified: '2008-04-26T13:55:01.000Z',
        modifiedPrecision: 'second',
        permissions: '00',
        owner: '1179',
        group: '1179',
      },
    ],
    [
      'perm when there is no UNIX.mode; owner and group names preferred',
      'type=file;perm=adfrw;UNIX.owner=1000;UNIX.ownername=alice;UNIX.group=100;UNIX.groupname=users; f',
      { name: 'f', kind: 'file', permissions: 'adfrw', owner: 'alice', group: 'users' },
    ],
    [
      'symlink with target',
      'type=OS.unix=slink:/foo; 76 MLSD symlink',
      { name: '76 MLSD symlink', kind: 'link', linkTarget: '/foo' },
    ],
    [
      'symlink, upper case, no target',
      'type=OS.UNIX=symlink; 76b MLSD symlink',
      { name: '76b MLSD symlink', kind: 'link' },
    ],
    [
      'slink without a target',
      'type=OS.unix=slink; 77 MLSD symlink notarget',
      { name: '77 MLSD symlink notarget', kind: 'link' },
    ],
    [
      'old draft without a trailing semicolon',
      'type=file 77 MLSD file no trailing semicolon',
      { name: '77 MLSD file no trailing semicolon', kind: 'file' },
    ],
    [
      'pre-epoch date',
      'Type=file;mOdIfY=19681105165215;size=1234; MLSD pre-epoch',
      {
        name: 'MLSD pre-epoch',
        kind: 'file',
        size: 1234,
        modified: '1968-11-05T16:52:15.000Z',
        modifiedPrecision: 'second',
      },
    ],
    [
      'fractional seconds',
      'type=file;modify=20200102030405.678; frac',
      {
        name: 'frac',
        kind: 'file',
        modified: '2020-01-02T03:04:05.678Z',
        modifiedPrecision: 'second',
      },
    ],
    ['device type', 'type=OS.unix=chr-13/29; tty', { name: 'tty', kind: 'other' }],
    ['no type fact', 'size=5; untyped', { name: 'untyped', kind: 'file', size: 5 }],
    [
      'bad size and date are left out',
      'type=file;size=12a;modify=20201301000000; odd',
      { name: 'odd', kind: 'file' },
    ],
    [
      'hostile name kept verbatim for validation',
      'type=file;size=1; ../../etc/passwd',
      { name: '../../etc/passwd', kind: 'file', size: 1 },
    ],
  ])('%s', (_label, line, expected) => {
    expect(parseMlsdLine(line)).toEqual(expected);
  });

  it.each(['type=cdir; /home/alice', 'type=pdir; ..', 'Type=CDir;modify=20200101000000; .'])(
    'ignores %j',
    (line) => {
      expect(parseMlsdLine(line)).toBe('ignore');
    },
  );

  it.each([
    ['no separator', 'type=file;size=1;name'],
    ['separator first', ' type=file; x'],
    ['empty name', 'type=file; '],
    ['fact without =', 'type=file;oops; x'],
    ['fact with empty name', 'type=file;=1; x'],
    ['only semicolons', ';;; x'],
    ['Unix line', '-rw-r--r-- 1 u g 5 Jan  1  2020 f'],
  ])('rejects %s', (_label, line) => {
    expect(parseMlsdLine(line)).toBeNull();
  });
});

describe('parseMlsdTime', () => {
  it.each([
    ['20200102030405', '2020-01-02T03:04:05.000Z'],
    ['20200102030405.5', '2020-01-02T03:04:05.500Z'],
    ['20200102030405.123456', '2020-01-02T03:04:05.123Z'],
    ['20161231235960', '2016-12-31T23:59:59.000Z'],
    ['00010101000000', '0001-01-01T00:00:00.000Z'],
  ])('%s', (value, iso) => {
    expect(parseMlsdTime(value)).toBe(iso);
  });

  it.each([
    '',
    '2020010203040',
    '202001020304055',
    '20200230000000',
    '20201301000000',
    '20200101240000',
    '2020-01-01',
  ])('rejects %j', (value) => {
    expect(parseMlsdTime(value)).toBeUndefined();
  });
});

describe('parseMlsd', () => {
  it('parses a body, dropping cdir, pdir, . and .., keeping garbage apart', () => {
    const body = [
      'type=cdir;modify=20200101000000; .',
      'type=pdir;modify=20200101000000; ..',
      'type=dir;modify=20200101000000; sub dir',
      'type=file;size=10;modify=20200101000000; a;b.txt',
      'type=file;size=1; .',
      'garbage line',
      '',
    ].join('\r\n');
    expect(parseMlsd(body)).toEqual({
      entries: [
        {
          name: 'sub dir',
          kind: 'dir',
          modified: '2020-01-01T00:00:00.000Z',
          modifiedPrecision: 'second',
        },
        {
          name: 'a;b.txt',
          kind: 'file',
          size: 10,
          modified: '2020-01-01T00:00:00.000Z',
          modifiedPrecision: 'second',
        },
      ],
      skipped: ['garbage line'],
    });
  });
});
