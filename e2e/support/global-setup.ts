import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Builds the app once (electron-vite: main, preload, renderer) unless FERRY_E2E_SKIP_BUILD is set. */
export default function globalSetup(): void {
  const root = resolve(import.meta.dirname, '..', '..');
  if (process.env.FERRY_E2E_SKIP_BUILD && existsSync(join(root, 'out', 'renderer', 'index.html')))
    return;
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
