/**
 * The unit lane starts no server (docs/TESTING.md): every way of starting one refuses under
 * FERRY_TEST_LANE=unit, and no test file of the unit lane even names a server starter.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startHostileServer } from './hostile/hostile-server';
import { startTwoCertificateServer } from './scripted/two-certificate-server';
import { startServer } from './servers/servers';
import { ferry } from './support/cli';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const LANE_ERROR = /started in the unit test lane; .*\*\.servers\.test\.ts/;

describe('the unit lane', () => {
  it('is the lane this file runs in', () => {
    expect(process.env.FERRY_TEST_LANE).toBe('unit');
  });

  it('refuses to start any test server or ferry child process', async () => {
    await expect(startServer({ kind: 'vsftpd', mode: 'explicit', tlsMax: '1.3' })).rejects.toThrow(
      LANE_ERROR,
    );
    await expect(startHostileServer()).rejects.toThrow(LANE_ERROR);
    const pem = { certPem: '', keyPem: '' };
    await expect(startTwoCertificateServer(pem, pem)).rejects.toThrow(LANE_ERROR);
    expect(() => ferry(['--version'])).toThrow(LANE_ERROR);
  });

  it('has no test file that names a server starter', () => {
    const starters = /\b(startServer|startHostileServer|startTwoCertificateServer|ferry)\(/;
    const offenders = unitLaneFiles()
      .filter((file) => file !== 'test/lanes.test.ts')
      .filter((file) => starters.test(readFileSync(join(REPO, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

/** The files vitest.config.ts puts in the unit lane: tests that are not servers or packaging. */
function unitLaneFiles(): string[] {
  const roots = ['electron', 'shared', 'renderer', 'test', 'scripts', 'bench'];
  return roots
    .flatMap((root) => walk(join(REPO, root)))
    .map((path) => relative(REPO, path).split('\\').join('/'))
    .filter((file) => /\.test\.tsx?$/.test(file))
    .filter((file) => !file.endsWith('.servers.test.ts') && !file.startsWith('test/packaging/'));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}
