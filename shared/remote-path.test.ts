import { describe, expect, it } from 'vitest';
import { normalizeRemotePath, remoteBasename, remoteJoin, remoteParent } from './remote-path';

describe('normalizeRemotePath', () => {
  it.each([
    ['/', '/'],
    ['', '.'],
    ['.', '.'],
    ['/a/b/', '/a/b'],
    ['//a///b', '/a/b'],
    ['/a/./b', '/a/b'],
    ['/a/../b', '/b'],
    ['/../..', '/'],
    ['a/b/..', 'a'],
    ['a/../..', '..'],
    ['../a', '../a'],
    ['a\\b/c', 'a\\b/c'],
    ['/dir with spaces/ x ', '/dir with spaces/ x '],
  ])('normalizeRemotePath(%j) = %j', (input, output) => {
    expect(normalizeRemotePath(input)).toBe(output);
  });
});

describe('remoteJoin', () => {
  it.each([
    // root and trailing slashes
    ['/', 'a', '/a'],
    ['/home/u', 'f.txt', '/home/u/f.txt'],
    ['/home/u/', 'f.txt', '/home/u/f.txt'],
    ['/home/u///', 'f.txt', '/home/u/f.txt'],
    // `//` anywhere collapses
    ['//srv//data', 'f', '/srv/data/f'],
    // an absolute second argument stays below dir (the renderer's old join; the services'
    // "absolute name wins" had no caller)
    ['/a', '/b', '/a/b'],
    ['/a', '//etc/passwd', '/a/etc/passwd'],
    ['', '/b', 'b'],
    // the login folder and relative paths (the CLI's URLs, the queue's walks)
    ['', 'f', 'f'],
    ['rel', 'a b', 'rel/a b'],
    ['/up', 'sub/deeper/f.bin', '/up/sub/deeper/f.bin'],
    // names with spaces and backslashes are kept as they are
    ['/dir with spaces', ' x .txt', '/dir with spaces/ x .txt'],
    ['/d', 'back\\slash', '/d/back\\slash'],
  ])('remoteJoin(%j, %j) = %j', (dir, name, output) => {
    expect(remoteJoin(dir, name)).toBe(output);
  });
});

describe('remoteParent', () => {
  it.each([
    ['/a/b', '/a'],
    ['/a/b/', '/a'],
    ['/a//b', '/a'],
    ['/a', '/'],
    ['/', '/'],
    ['a/b', 'a'],
    ['a', '.'],
    ['', '..'],
    ['.', '..'],
    ['..', '../..'],
    ['/a\\b', '/'],
    ['/dir with spaces/f g', '/dir with spaces'],
  ])('remoteParent(%j) = %j', (input, output) => {
    expect(remoteParent(input)).toBe(output);
  });
});

describe('remoteBasename', () => {
  it.each([
    ['a/b/c.txt', 'c.txt'],
    ['/c.txt', 'c.txt'],
    ['c.txt', 'c.txt'],
    ['dir/', 'dir'],
    ['/dir/sub//', 'sub'],
    ['/dir/../../x.txt', 'x.txt'],
    ['/', ''],
    ['', ''],
    ['/dir with spaces/a b.txt', 'a b.txt'],
  ])('remoteBasename(%j) = %j', (input, output) => {
    expect(remoteBasename(input)).toBe(output);
  });
});
