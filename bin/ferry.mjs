#!/usr/bin/env node
// The `ferry` command (package.json "bin"). The command line itself is bundled from
// electron/cli/ into out/cli/ferry.mjs by scripts/build-cli.mjs, which `npm install` runs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../out/cli/ferry.mjs', import.meta.url);

if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write(
    'ferry: the command line is not built yet (out/cli/ferry.mjs is missing).\n' +
      'Build it with `npm run build:cli` (npm install does this too), then run ferry again.\n',
  );
  process.exit(2);
}

await import(bundle.href);
