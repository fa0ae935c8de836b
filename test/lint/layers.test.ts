import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The layer blocks exactly as eslint.config.js uses them, on the TypeScript parser alone. */
let layersOnly: ESLint;

beforeAll(async () => {
  const config = (await import(pathToFileURL(resolve(ROOT, 'eslint.config.js')).href)) as {
    layerConfig: Linter.Config[];
  };
  layersOnly = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } },
      ...config.layerConfig,
    ],
  });
});

async function layerErrors(eslint: ESLint, filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, filePath) });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

/** [file, import, what the error names] — each a deliberate violation of one rule. */
const FORBIDDEN: [string, string, string][] = [
  // shared/ imports nothing outside shared: no Node, Electron, React or other layer.
  ['shared/x.ts', 'node:path', 'may not import node'],
  ['shared/x.ts', 'electron', 'may not import electron'],
  ['shared/x.ts', 'react', 'may not import react'],
  ['shared/x.ts', '../electron/engine/errors', 'may not import engine'],
  ['shared/x.ts', '../renderer/src/store', 'may not import renderer'],
  // The engine: shared, itself and Node only.
  ['electron/engine/x.ts', '../queue', 'may not import queue'],
  ['electron/engine/listing/x.ts', '../../services/session', 'may not import services'],
  ['electron/engine/x.ts', '../files/download-target', 'may not import files'],
  ['electron/engine/x.ts', 'electron', 'may not import electron'],
  ['electron/engine/x.ts', 'fast-xml-parser', 'may not import fast-xml-parser'],
  // electron/files: shared, the engine (its FerryError) and Node.
  ['electron/files/x.ts', '../queue/queue', 'may not import queue'],
  ['electron/files/x.ts', 'electron', 'may not import electron'],
  // The queue adds the engine and files, nothing above.
  ['electron/queue/x.ts', '../services/session', 'may not import services'],
  ['electron/queue/x.ts', 'electron', 'may not import electron'],
  // Services add the queue; not the CLI, the app, the renderer or Electron.
  ['electron/services/x.ts', '../cli/run', 'may not import cli'],
  ['electron/services/sites/x.ts', '../../main/window', 'may not import main'],
  ['electron/services/x.ts', 'electron', 'may not import electron'],
  ['electron/services/x.ts', '../../renderer/src/store', 'may not import renderer'],
  // The CLI adds services; it never reaches into the app.
  ['electron/cli/x.ts', '../main/launch-url', 'may not import main'],
  ['electron/cli/x.ts', 'electron', 'may not import electron'],
  // The app adds services, not the CLI (the old launch-url.ts → cli/url.ts) or the renderer.
  ['electron/main/x.ts', '../cli/run', 'may not import cli'],
  ['electron/main/x.ts', '../../renderer/src/store', 'may not import renderer'],
  // The preload: shared and Electron only.
  ['electron/preload/x.ts', '../services/backend', 'may not import services'],
  ['electron/preload/x.ts', 'node:fs', 'may not import node'],
  // The renderer: shared/ only (and its UI packages).
  ['renderer/src/x.ts', '../../electron/engine/client', 'may not import engine'],
  [
    'renderer/src/components/x.tsx',
    '../../../electron/services/backend',
    'may not import services',
  ],
  ['renderer/src/x.ts', 'electron', 'may not import electron'],
  ['renderer/src/x.ts', 'node:fs', 'may not import node'],
  // No production file imports test helpers; dynamic imports and re-exports are checked too.
  ['electron/engine/x.ts', '../../test/servers', 'may not import test'],
  ['electron/services/x.ts', 'vitest', 'may not import vitest'],
  ['renderer/src/x.ts', '../../test/servers/certs', 'may not import test'],
  ['shared/x.ts', '../test/servers', 'may not import test'],
];

/** [file, import]: what each layer may do. */
const ALLOWED: [string, string][] = [
  ['shared/x.ts', './errors'],
  ['electron/engine/x.ts', '../../shared/errors'],
  ['electron/engine/listing/x.ts', '../errors'],
  ['electron/engine/x.ts', 'node:tls'],
  ['electron/files/x.ts', '../engine/errors'],
  ['electron/queue/x.ts', '../files/download-target'],
  ['electron/queue/x.ts', '../engine/client'],
  ['electron/services/sites/x.ts', '../../queue'],
  ['electron/services/filezilla/x.ts', 'fast-xml-parser'],
  ['electron/cli/commands/x.ts', '../../services/sites/site-store'],
  ['electron/cli/x.ts', '../../package.json'],
  ['electron/main/x.ts', '../services/backend'],
  ['electron/main/x.ts', 'electron'],
  ['electron/preload/x.ts', 'electron'],
  ['electron/preload/x.ts', '../../shared/ipc'],
  ['renderer/src/x.ts', '../../shared/ipc'],
  ['renderer/src/x.ts', 'zustand/react/shallow'],
  // Test files may import test helpers and the test runner.
  ['electron/engine/x.test.ts', '../../test/servers'],
  ['electron/queue/x.test.ts', 'vitest'],
];

describe('layer rules (ferry/layer-imports)', () => {
  it.each(FORBIDDEN)('%s importing %s fails', async (file, specifier, expected) => {
    const errors = await layerErrors(layersOnly, file, `import '${specifier}';\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('ferry/layer-imports');
    expect(errors[0]).toContain(expected);
  });

  it.each(ALLOWED)('%s importing %s passes', async (file, specifier) => {
    expect(await layerErrors(layersOnly, file, `import '${specifier}';\n`)).toEqual([]);
  });

  it('checks re-exports, type-only imports and import() alike', async () => {
    const code = [
      "export { FtpsClient } from '../engine/client';",
      "import type { Backend } from '../services/backend';",
      "export const load = () => import('../queue');",
    ].join('\n');
    const errors = await layerErrors(layersOnly, 'shared/x.ts', `${code}\n`);
    expect(errors).toHaveLength(3);
  });

  it('is part of the repository config that `npm run lint` uses', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const config = (await eslint.calculateConfigForFile(
      resolve(ROOT, 'electron/engine/hash-reply.ts'),
    )) as Linter.Config;
    expect(config.rules?.['ferry/layer-imports']).toBeDefined();
    const test = (await eslint.calculateConfigForFile(
      resolve(ROOT, 'electron/engine/url.test.ts'),
    )) as Linter.Config;
    expect(JSON.stringify(test.rules?.['ferry/layer-imports'])).toContain('"tests":true');
  });
});
