import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../shared/sites';
import type { CliIo } from '../io';
import { runCli } from '../run';
import { defaultDataDir } from './sites';

const fixtures = join(import.meta.dirname, '..', '..', 'services', 'filezilla', 'fixtures');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-cli-sites-'));
  await cp(join(fixtures, 'sitemanager.xml'), join(dir, 'site manager.xml'));
  await cp(join(fixtures, 'trustedcerts.xml'), join(dir, 'trustedcerts.xml'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    writeStdout: (text) => (stdout += text),
    writeStderr: (text) => (stderr += text),
    stderrIsTTY: false,
    env: { HOME: dir },
    cwd: dir,
  };
  return { code: await runCli(argv, io), stdout, stderr };
}

describe('ferry sites import', () => {
  it('prints a dry run without writing anything', async () => {
    const data = join(dir, 'data');
    const { code, stdout } = await run([
      'sites',
      'import',
      'site manager.xml',
      '--dry-run',
      '--data-dir',
      data,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('Would import from site manager.xml (dry run: nothing written)');
    expect(stdout).toContain('  Clients/Acme & Co\n');
    expect(stdout).toMatch(
      /Top level \(TLS if available\) {2}ftp\.example\.com:21 {2}explicit-if-available {2}user alice {2}remote "\/home\/with space" {2}password: in the file/,
    );
    expect(stdout).toMatch(
      /Clients\/Acme & Co\/Acme production.*password: no\n {4}note: Password not imported: FileZilla protects it with a master password/,
    );
    expect(stdout).toMatch(/Misc\/Ask for password .*password: asked at connect/);
    expect(stdout).toContain(
      'Clients/Acme & Co/Acme SFTP: SFTP (SSH file transfer) (protocol 1) is not FTP',
    );
    expect(stdout).toContain('7 sites, 3 folders, 3 skipped');
    expect(stdout).not.toMatch(/p4ss|plain-text-secret/);
    await expect(readFile(join(data, 'sites.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('prints one JSON object and imports into the data folder', async () => {
    const data = join(dir, 'data');
    const { code, stdout } = await run([
      'sites',
      'import',
      'site manager.xml',
      '--json',
      '--data-dir',
      data,
    ]);
    expect(code).toBe(0);
    const output = JSON.parse(stdout) as {
      command: string;
      result: ImportReport & { dryRun: boolean };
    };
    expect(output.command).toBe('sites');
    expect(output.result.dryRun).toBe(false);
    expect(output.result.applied).toBe(true);
    expect(output.result.sites.find((s) => s.host === 'ftp.example.com')).toMatchObject({
      remoteDir: '/home/with space',
      passwordIncluded: true,
      notes: [
        expect.stringMatching(/^FTP over TLS if available: kept\. .* Ferry stops before sending/),
        expect.stringMatching(/Password not stored .*command line cannot reach the app's keychain/),
      ],
    });
    expect(output.result.skipped.map((s) => s.name).sort()).toEqual([
      'Acme SFTP',
      'HTTPS thing',
      'Unknown protocol',
    ]);
    const sites = await readFile(join(data, 'sites.json'), 'utf8');
    expect(sites).toContain('implicit.example.net');
    expect(sites).not.toMatch(/p4ss|plain-text-secret/);
  });

  it('says where passwords ended up, and skips a re-import unless told otherwise', async () => {
    const data = join(dir, 'data');
    const first = await run(['sites', 'import', 'site manager.xml', '--data-dir', data]);
    expect(first.code, first.stderr).toBe(0);
    // The file had the password; the command line could not store it: no "password: yes".
    expect(first.stdout).toMatch(/ftp\.example\.com:21 .* password: in the file, not stored/);
    expect(first.stdout).not.toMatch(/password: (yes|stored)/);
    expect(first.stdout).toMatch(/result: added/);

    const preview = await run([
      'sites',
      'import',
      'site manager.xml',
      '--dry-run',
      '--data-dir',
      data,
    ]);
    expect(preview.stdout).toMatch(
      /already in Ferry: Top level \(TLS if available\) \(same server and user\)/,
    );

    const again = await run(['sites', 'import', 'site manager.xml', '--data-dir', data]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/result: skipped \(already in Ferry\)/);
    expect(again.stdout).not.toMatch(/result: added/);
    const countSites = async () =>
      (
        JSON.parse(await readFile(join(data, 'sites.json'), 'utf8')) as {
          data: { sites: unknown[] };
        }
      ).data.sites.length;
    expect(await countSites()).toBe(7);

    const both = await run([
      'sites',
      'import',
      'site manager.xml',
      '--duplicates',
      'keep-both',
      '--data-dir',
      data,
    ]);
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout).toMatch(/result: added next to the existing site/);
    expect(await countSites()).toBe(14);
    const bad = await run([
      'sites',
      'import',
      'site manager.xml',
      '--duplicates',
      'merge',
      '--data-dir',
      data,
    ]);
    expect(bad.code).not.toBe(0);
  });

  it('imports trustedcerts.xml pins', async () => {
    const data = join(dir, 'data');
    const { code, stdout } = await run(['sites', 'import', 'trustedcerts.xml', '--data-dir', data]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/ftp\.example\.com:21 {2}CN=ftp\.example\.com/);
    expect(await readFile(join(data, 'pins.json'), 'utf8')).toContain('ftp.example.com');
  });

  it('reads an absolute path, and a path starting with ~, as given (not below the working folder)', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'ferry-cli-sites-elsewhere-'));
    try {
      const file = join(elsewhere, 'exported.xml');
      await cp(join(fixtures, 'sitemanager.xml'), file);
      const absolute = await run(['sites', 'import', file, '--dry-run']);
      expect(absolute.code, absolute.stderr).toBe(0);
      expect(absolute.stdout).toContain('7 sites, 3 folders, 3 skipped');
      // HOME is `dir` in these runs; a data folder given with ~ lands there.
      await cp(file, join(dir, 'in home.xml'));
      const home = await run(['sites', 'import', '~/in home.xml', '--data-dir', '~/data']);
      expect(home.code, home.stderr).toBe(0);
      expect(await readFile(join(dir, 'data', 'sites.json'), 'utf8')).toContain(
        'implicit.example.net',
      );
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('reports usage and file errors', async () => {
    expect((await run(['sites', 'export', 'x'])).code).toBe(2);
    const missing = await run(['sites', 'import', 'nope.xml', '--dry-run']);
    expect(missing.code).toBe(7);
    expect(missing.stderr).toContain('no such file or folder');
    expect((await run(['ls', 'ftpes://h/', '--dry-run'])).stderr).toContain(
      '--dry-run does not apply to ls',
    );
  });

  it('finds the app data folder per platform', () => {
    expect(defaultDataDir({ env: { HOME: '/h' } }, 'linux')).toBe(join('/h', '.config', 'Ferry'));
    expect(defaultDataDir({ env: { HOME: '/h' } }, 'darwin')).toBe(
      join('/h', 'Library', 'Application Support', 'Ferry'),
    );
    expect(defaultDataDir({ env: { FERRY_DATA_DIR: '/d' } }, 'linux')).toBe('/d');
  });
});
