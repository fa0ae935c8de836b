import { describe, expect, it } from 'vitest';
import type { RemoteEntry } from '../../../shared/models';
import { parseDosLine } from './dos';

describe('parseDosLine', () => {
  it.each<[string, string, RemoteEntry]>([
    [
      'IIS directory',
      '04-27-00  12:09PM       <DIR>          16 dos dir',
      {
        name: '16 dos dir',
        kind: 'dir',
        modified: '2000-04-27T12:09:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'IIS file, afternoon',
      '04-06-00  03:47PM                  589 17 dos file',
      {
        name: '17 dos file',
        kind: 'file',
        size: 589,
        modified: '2000-04-06T15:47:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      '12AM is midnight',
      '12-31-99  12:00AM                    0 midnight',
      {
        name: 'midnight',
        kind: 'file',
        size: 0,
        modified: '1999-12-31T00:00:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      '12PM is noon',
      '01-01-21  12:30PM                   10 noon',
      {
        name: 'noon',
        kind: 'file',
        size: 10,
        modified: '2021-01-01T12:30:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'year first, 24-hour clock',
      '2002-09-02  18:48       <DIR>          18 dos longyear dir',
      {
        name: '18 dos longyear dir',
        kind: 'dir',
        modified: '2002-09-02T18:48:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'thousands separators',
      '2002-09-02  19:06                9,730 19 dos longyear file',
      {
        name: '19 dos longyear file',
        kind: 'file',
        size: 9730,
        modified: '2002-09-02T19:06:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'four-digit year, detached PM, millions',
      '01-02-2020  11:59 PM           1,234,567 detached',
      {
        name: 'detached',
        kind: 'file',
        size: 1234567,
        modified: '2020-01-02T23:59:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'day first when the first field cannot be a month',
      '31-12-20  23:00                    5 ddmm',
      {
        name: 'ddmm',
        kind: 'file',
        size: 5,
        modified: '2020-12-31T23:00:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'slashes and seconds',
      '07/14/1999  12:37:05                 1123 slashes',
      {
        name: 'slashes',
        kind: 'file',
        size: 1123,
        modified: '1999-07-14T12:37:05.000Z',
        modifiedPrecision: 'second',
      },
    ],
    [
      '69 is 1969',
      '01-01-69  01:00AM                    1 old',
      {
        name: 'old',
        kind: 'file',
        size: 1,
        modified: '1969-01-01T01:00:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'lower-case dir marker',
      '04-27-00  09:09am       <dir>          lower',
      {
        name: 'lower',
        kind: 'dir',
        modified: '2000-04-27T09:09:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'name with spaces and semicolons, trailing space kept',
      '04-27-00  09:09AM                   42 a; b  c ',
      {
        name: 'a; b  c ',
        kind: 'file',
        size: 42,
        modified: '2000-04-27T09:09:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'numeric name',
      '04-27-00  09:09AM                   42 2021',
      {
        name: '2021',
        kind: 'file',
        size: 42,
        modified: '2000-04-27T09:09:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
    [
      'size beyond 2^53 is left out',
      '04-27-00  09:09AM  99999999999999999999 huge',
      {
        name: 'huge',
        kind: 'file',
        modified: '2000-04-27T09:09:00.000Z',
        modifiedPrecision: 'minute',
      },
    ],
  ])('%s', (_label, line, expected) => {
    expect(parseDosLine(line)).toEqual(expected);
  });

  it.each([
    ['13PM', '04-06-00  13:47PM                  589 f'],
    ['0AM', '04-06-00  00:47AM                  589 f'],
    ['hour 24', '04-06-00  24:00                  589 f'],
    ['Feb 30', '02-30-00  10:00AM                  589 f'],
    ['month 13 and day 13', '13-13-00  10:00AM                  589 f'],
    ['no name', '04-06-00  03:47PM                  589'],
    ['no name after spaces', '04-06-00  03:47PM                  589   '],
    ['size with letters', '04-06-00  03:47PM                 5k89 f'],
    ['misplaced separator', '04-06-00  03:47PM                 12,34 f'],
    ['junction marker', '04-06-00  03:47PM    <JUNCTION>     f'],
    ['three-digit year', '04-23-103  10:57  36611 f'],
    ['Unix line', '-rw-r--r-- 1 u g 5 Jan  1  2020 f'],
    ['empty', ''],
  ])('rejects %s', (_label, line) => {
    expect(parseDosLine(line)).toBeNull();
  });
});
