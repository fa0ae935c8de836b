import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, readSources } from './import-graph';

const ROOT = resolve(import.meta.dirname, '../..');

describe('import cycles', () => {
  it('the repository has none (runtime imports of every source file, tests included)', () => {
    const cycles = importCycles(importGraph(readSources(ROOT)));
    expect(cycles.map((cycle) => cycle.join(' ↔ '))).toEqual([]);
  });

  it('finds a loop through several files and a file importing itself', () => {
    const sources = new Map([
      ['src/a.ts', "import { b } from './b';\nexport const a = b;"],
      ['src/b.ts', "import { c } from './sub/c.js';\nexport const b = c;"],
      ['src/sub/c.ts', "export { a as c } from '../a';"],
      ['src/self.ts', "import './self';"],
      ['src/leaf.ts', "import { a } from './a';\nexport const leaf = a;"],
    ]);
    expect(importCycles(importGraph(sources))).toEqual([
      ['src/a.ts', 'src/b.ts', 'src/sub/c.ts'],
      ['src/self.ts'],
    ]);
  });

  it('a loop only through type-only imports does not count (the compiler erases them)', () => {
    const sources = new Map([
      ['src/a.ts', "import type { B } from './b';\nexport interface A { b?: B }"],
      ['src/b.ts', "import { type A } from './a';\nexport interface B { a?: A }"],
      ['src/c.ts', "export type { A } from './a';\nimport { d } from './d';"],
      ['src/d.ts', "import { type A, c } from './c';\nexport const d = c;"],
    ]);
    expect(importCycles(importGraph(sources))).toEqual([['src/c.ts', 'src/d.ts']]);
  });
});
