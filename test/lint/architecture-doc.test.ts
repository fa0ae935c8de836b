import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { importGraph, readSources } from './import-graph';

const ROOT = resolve(import.meta.dirname, '../..');

type Layers = Record<string, { folders: string[]; may: string[] }>;

function layerOf(file: string, layers: Layers): string | undefined {
  return Object.entries(layers).find(([, layer]) =>
    layer.folders.some((folder) => file.startsWith(`${folder}/`)),
  )?.[0];
}

/** `a --> b & c` lines of the doc's mermaid diagram, as `a -> b` (dotted IPC arrows left out). */
function diagramEdges(doc: string): string[] {
  const block = /```mermaid\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  const edges: string[] = [];
  for (const line of block.split('\n')) {
    const match = /^\s*(\w+)(?:\[[^\]]*\])?\s*-->\s*(.+)$/.exec(line);
    if (!match) continue;
    for (const target of match[2]!.split('&')) edges.push(`${match[1]} -> ${target.trim()}`);
  }
  return edges.sort();
}

it("docs/ARCHITECTURE.md's layer diagram draws exactly the imports between layers", async () => {
  const { LAYERS } = (await import(pathToFileURL(resolve(ROOT, 'eslint.config.js')).href)) as {
    LAYERS: Layers;
  };
  const production = new Map(
    [...readSources(ROOT)].filter(
      ([file]) =>
        layerOf(file, LAYERS) !== undefined &&
        !/\.test\.tsx?$|\.fixture\.ts$|\.child\.ts$|test-support\.ts$|fault-proxy\.ts$/.test(file),
    ),
  );
  const actual = new Set<string>();
  for (const [file, targets] of importGraph(production, true)) {
    for (const target of targets) {
      const from = layerOf(file, LAYERS);
      const to = layerOf(target, LAYERS);
      if (from !== to) actual.add(`${from} -> ${to}`);
    }
  }
  const doc = readFileSync(resolve(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
  expect(diagramEdges(doc)).toEqual([...actual].sort());
});
