// The layer rule (in the style of VS Code's `code-import-patterns`): every import of a file in a
// layer is resolved to what it names (another layer, a repository folder, a Node built-in,
// Electron or an npm package) and checked against the layer's `may` list in eslint.config.js.
// Resolving the path, rather than matching the import text, keeps `../queue` from
// electron/services and `../../queue` from electron/services/sites the same import.
import { builtinModules } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const BUILTINS = new Set(builtinModules);

/** `src/x.ts` → `src/x.ts` with forward slashes, relative to the repository. */
function repoPath(absolute) {
  return path.relative(ROOT, absolute).split(path.sep).join('/');
}

function layerOf(file, layers) {
  for (const [name, layer] of Object.entries(layers)) {
    if (layer.folders.some((folder) => file === folder || file.startsWith(`${folder}/`))) {
      return name;
    }
  }
  return undefined;
}

/**
 * What an import names: a layer's name, `node` (built-ins), `electron`, an npm package's name, or
 * for a repository file outside every layer its top folder (`test`, `bench`) or its file name
 * (`package.json`).
 */
function targetOf(specifier, fromFile, layers) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const file = repoPath(path.resolve(path.dirname(path.join(ROOT, fromFile)), specifier));
    if (file.startsWith('../')) return { name: 'outside the repository', file };
    return { name: layerOf(file, layers) ?? file.split('/')[0], file };
  }
  if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0])) {
    return { name: 'node' };
  }
  const parts = specifier.split('/');
  return { name: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
}

/** @type {import('eslint').Rule.RuleModule} */
export const layerImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only the layers, built-ins and packages it may.' },
    schema: [
      {
        type: 'object',
        properties: {
          layers: { type: 'object' },
          /**
           * Test files: they may also import test helpers (`test/`), the bench's helpers
           * (its latency proxy) and the test runner.
           */
          tests: { type: 'boolean' },
        },
        required: ['layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      forbidden: '{{layer}} may not import {{target}} ("{{specifier}}"); it may import {{may}}.',
    },
  },
  create(context) {
    const { layers, tests = false } = context.options[0];
    const file = repoPath(context.filename);
    const layer = layerOf(file, layers);
    if (layer === undefined) return {};
    const may = new Set([
      layer,
      ...layers[layer].may,
      ...(tests ? ['test', 'bench', 'vitest'] : []),
    ]);
    const check = (node) => {
      const source = node.source;
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const target = targetOf(source.value, file, layers);
      if (may.has(target.name)) return;
      context.report({
        node: source,
        messageId: 'forbidden',
        data: {
          layer: `${layer} (${file})`,
          target: target.file ? `${target.name} (${target.file})` : target.name,
          specifier: source.value,
          may: [...may].join(', '),
        },
      });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};
