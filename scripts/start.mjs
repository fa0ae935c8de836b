#!/usr/bin/env node
// `npm start` (after `electron-vite build`): runs the Electron app when an Electron binary exists
// (FERRY_ELECTRON, or the one the electron package installed); otherwise explains and falls back to
// `npm run preview`, which runs the same renderer and services through Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function electronBinary() {
  if (process.env.FERRY_ELECTRON && existsSync(process.env.FERRY_ELECTRON))
    return process.env.FERRY_ELECTRON;
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
if (binary) {
  const result = spawnSync(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 0);
}
console.log('No Electron binary found (set FERRY_ELECTRON=/path/to/electron to use one).');
console.log(
  'Falling back to `npm run preview`: the same renderer and services, in Chromium via Playwright.\n',
);
const result = spawnSync(process.execPath, [join(root, 'scripts', 'preview.mjs')], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
