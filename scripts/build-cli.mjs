// Bundles the `ferry` command line (electron/cli/main.ts) into out/cli/ferry.mjs, which
// bin/ferry.mjs loads. Runs in `npm install` (the `prepare` script), so it is quick and, when run
// as `prepare`, never fails the install: a missing esbuild (production install) or a build error
// is reported and `npm run build:cli` named as the way to retry.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const asPrepare = process.env.npm_lifecycle_event === 'prepare';

function fail(message) {
  process.stderr.write(`build-cli: ${message}\n`);
  if (asPrepare) {
    process.stderr.write(
      'build-cli: the ferry command line was not built; run `npm run build:cli`.\n',
    );
    process.exit(0);
  }
  process.exit(1);
}

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  fail('esbuild is not installed (it is a devDependency)');
}

try {
  const started = Date.now();
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['electron/cli/main.ts'],
    outfile: 'out/cli/ferry.mjs',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    write: false,
  });
  // Each file is written beside its target and renamed over it, so a `ferry` started while the
  // bundle is rebuilt (two test files build it at once) never loads a half-written file.
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
  if (!asPrepare || process.env.FERRY_BUILD_VERBOSE) {
    process.stdout.write(`build-cli: out/cli/ferry.mjs built in ${Date.now() - started} ms\n`);
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
