/**
 * Packages Ferry with electron-builder (`--linux dir`) against a stub Electron distribution (the
 * real runtime cannot be downloaded in CI) and checks what lands in app.asar, plus the packaging
 * configuration: fuses, protocol handlers, targets and the icons.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { builtinModules } from 'node:module';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAUNCH_URL_SCHEMES } from '../../electron/main/launch-url';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const bin = (name: string): string => join(ROOT, 'node_modules/.bin', name);
const require = createRequire(import.meta.url);

interface AfterPackModule {
  FUSES: Readonly<Record<string, unknown>>;
  isStubElectron(binary: string): Promise<boolean>;
  electronBinaryPath(context: {
    appOutDir: string;
    electronPlatformName: string;
    packager: { executableName?: string; appInfo: { productFilename: string } };
  }): string;
}

interface PackageJson {
  main: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  desktopName?: string;
}

const config = require(join(ROOT, 'electron-builder.cjs')) as Configuration;
const afterPack = require(join(ROOT, 'scripts/after-pack.cjs')) as AfterPackModule;
const rootPackage = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as PackageJson;

let work = '';
let asarPath = '';
let builderLog = '';
/** Entries of app.asar without the leading slash, e.g. `out/main/index.js`. */
let entries: string[] = [];

async function makeStubElectron(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'electron'), '#!/bin/sh\necho "stub Electron for packaging tests"\n');
  await chmod(join(dir, 'electron'), 0o755);
  await writeFile(join(dir, 'version'), '45.4.1');
  await writeFile(join(dir, 'LICENSE'), 'Stub Electron distribution for packaging tests.\n');
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ferry-packaging-'));
  await run(bin('electron-vite'), ['build'], { cwd: ROOT });
  const stub = join(work, 'electron-dist');
  await makeStubElectron(stub);
  const output = join(work, 'dist');
  const result = await run(
    bin('electron-builder'),
    // No --config: a packager who runs a bare `npx electron-builder` gets the same package.
    [
      '--linux',
      'dir',
      `-c.electronDist=${stub}`,
      `-c.directories.output=${output}`,
      '--publish',
      'never',
    ],
    { cwd: ROOT, env: { ...process.env, CI: 'true' }, maxBuffer: 16 * 1024 * 1024 },
  );
  builderLog = `${result.stdout}\n${result.stderr}`;
  asarPath = join(output, 'linux-unpacked/resources/app.asar');
  entries = listPackage(asarPath, { isPack: false }).map((entry) =>
    entry.replaceAll('\\', '/').replace(/^\//, ''),
  );
}, 120_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const asarText = (entry: string): string => extractFile(asarPath, entry).toString('utf8');

describe('app.asar', () => {
  it('holds the built main, preload and renderer', () => {
    expect(entries).toContain('out/main/index.js');
    expect(entries).toContain('out/preload/index.cjs');
    expect(entries).toContain('out/renderer/index.html');
    // Every script and stylesheet the page loads is packed too.
    const html = asarText('out/renderer/index.html');
    const refs = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(entries).toContain(posix.join('out/renderer', ref));
  });

  it('has a package.json whose main resolves inside the asar', () => {
    const packed = JSON.parse(asarText('package.json')) as PackageJson;
    expect(packed.main).toBe(rootPackage.main);
    expect(entries).toContain(posix.normalize(packed.main));
    expect(packed.version).toBe(rootPackage.version);
    expect(packed.desktopName).toBe('ferry.desktop');
  });

  it('holds no sources, tests, source maps or node_modules', () => {
    const forbidden = entries.filter(
      (entry) =>
        /^(electron|renderer|shared|src|e2e|test|scripts|bench|assets|build|docs|node_modules)(\/|$)/.test(
          entry,
        ) ||
        entry.includes('/node_modules/') ||
        /\.(ts|tsx|mts|cts|map)$/.test(entry),
    );
    expect(forbidden).toEqual([]);
    const topLevel = new Set(entries.map((entry) => entry.split('/')[0]));
    expect([...topLevel].sort()).toEqual(['out', 'package.json']);
    const outDirs = new Set(
      entries.filter((e) => e.startsWith('out/')).map((e) => e.split('/')[1]),
    );
    expect([...outDirs].sort()).toEqual(['main', 'preload', 'renderer']);
  });

  it('needs no node_modules: the main bundle imports only Electron and Node built-ins', () => {
    const builtins = new Set(builtinModules);
    const external = new Set<string>();
    for (const entry of entries.filter((e) => /^out\/(main|preload)\/.*\.(c|m)?js$/.test(e))) {
      // Bundled libraries quote import statements in their comments: look at code lines only.
      const code = asarText(entry)
        .split('\n')
        .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line))
        .join('\n');
      const specifiers = [
        // Static imports start a line in bundler output; the rest must be a call on one line.
        ...code.matchAll(/^import\b[^\n;]*?\bfrom\s*["']([^"'\n]+)["']/gm),
        ...code.matchAll(/^import\s*["']([^"'\n]+)["']/gm),
        ...code.matchAll(/\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)/g),
        ...code.matchAll(/\brequire\s*\(\s*["']([^"'\n]+)["']\s*\)/g),
      ].map((m) => m[1] ?? '');
      for (const specifier of specifiers) {
        if (specifier.startsWith('.') || specifier.startsWith('/')) continue;
        const name = specifier.replace(/^node:/, '');
        if (
          specifier === 'electron' ||
          builtins.has(name) ||
          builtins.has(name.split('/')[0] ?? '')
        ) {
          continue;
        }
        external.add(`${entry}: ${specifier}`);
      }
    }
    // The asar carries no node_modules: a package the main bundle leaves external would be missing
    // at run time. Bundle it (electron-vite main `externalizeDeps: { exclude: [name] }`) or let
    // electron-builder pack production dependencies (drop '!node_modules/**/*' from `files`).
    expect([...external], 'packages the main bundle imports at run time').toEqual([]);
  });

  it('ships the window icon outside the asar', async () => {
    const packed = await readFile(join(asarPath, '../icon.png'));
    expect(packed.equals(await readFile(join(ROOT, 'build/icons/256x256.png')))).toBe(true);
  });

  it('ran the fuse hook, which skips a stub Electron', () => {
    // The hook is named only in electron-builder.cjs: it ran, so the file was found without
    // --config (under another name the defaults would also pack sources and tests).
    expect(builderLog).toMatch(/fuses skipped: ferry is a stub Electron/);
  });
});

describe('packaging configuration', () => {
  it('flips the security fuses at package time', () => {
    expect(config.afterPack).toBe('./scripts/after-pack.cjs');
    expect(afterPack.FUSES).toMatchObject({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
    // Not flipped twice: electron-builder's own fuse step stays off.
    expect(config.electronFuses).toBeUndefined();
    expect(config.asar).toBe(true);
  });

  it('tells a stub Electron from a real one and finds the binary per platform', async () => {
    expect(await afterPack.isStubElectron(join(work, 'electron-dist/electron'))).toBe(true);
    const packager = { executableName: 'ferry', appInfo: { productFilename: 'Ferry' } };
    expect(
      afterPack.electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'linux', packager }),
    ).toBe(join('/o', 'ferry'));
    expect(
      afterPack.electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'win32', packager }),
    ).toBe(join('/o', 'ferry.exe'));
    expect(
      afterPack.electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'darwin', packager }),
    ).toBe(join('/o', 'Ferry.app'));
  });

  it('registers ftps:// and ftpes:// as URL handlers', () => {
    const schemes = [config.protocols ?? []].flat().flatMap((p) => p.schemes);
    expect(schemes.sort()).toEqual([...LAUNCH_URL_SCHEMES].sort());
    const desktop = config.linux?.desktop?.entry ?? {};
    expect(desktop.MimeType).toBe('x-scheme-handler/ftps;x-scheme-handler/ftpes;');
  });

  it('builds AppImage and deb, NSIS and dmg with the app metadata', () => {
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.productName).toBe('Ferry');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Network');
    expect(config.linux?.maintainer).toBeTruthy();
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.files).not.toContain('**/*');
    expect(config.npmRebuild).toBe(false);
  });

  it('has icons up to date with assets/icon.svg', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(ROOT, 'scripts/make-icons.mjs'), '--check'],
      {
        cwd: ROOT,
      },
    );
    expect(stdout).toMatch(/up to date/);
    const ico = await readFile(join(ROOT, 'build/icons/icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(ico.readUInt16LE(4)).toBe(7);
    const icns = await readFile(join(ROOT, 'build/icons/icon.icns'));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
  });
});

// The preview reuses the build made above (two builds at once would race on out/).
describe('the built app in the preview', () => {
  // `npm run preview` (and `npm start` without Electron) must bring the app up with its API in
  // place: the preview exits non-zero when the page throws, and shows the home folder listed.
  it('npm run preview starts the real renderer against the real services without page errors', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ferry-preview-test-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, FERRY_PREVIEW_DATA: dataDir };
      delete env.DISPLAY;
      delete env.WAYLAND_DISPLAY;
      const result = spawnSync(process.execPath, [join(ROOT, 'scripts/preview.mjs')], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(result.stderr).not.toContain('The app failed in the page');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('saved a screenshot');
      expect((await stat(join(ROOT, 'e2e', 'screenshots', 'preview.png'))).size).toBeGreaterThan(
        10_000,
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
