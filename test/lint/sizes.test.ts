import { resolve } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SIZE_RULES = ['max-lines', 'max-lines-per-function'] as const;

/** The size rules the repository config applies to `file`, run on `code` with the TS parser. */
async function sizeErrors(file: string, code: string): Promise<string[]> {
  const config = (await new ESLint({ cwd: ROOT }).calculateConfigForFile(
    resolve(ROOT, file),
  )) as Linter.Config;
  const rules = Object.fromEntries(SIZE_RULES.map((rule) => [rule, config.rules?.[rule] ?? 0]));
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } },
      { rules },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

const lines = (count: number): string =>
  Array.from({ length: count }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
const longFunction = (bodyLines: number): string =>
  `export function f(): number {\n  let n = 0;\n${'  n++;\n'.repeat(bodyLines)}  return n;\n}\n`;

describe('size limits (max-lines 500, max-lines-per-function 150)', () => {
  it('a source file over 500 lines fails, 500 pass', async () => {
    expect(await sizeErrors('electron/services/x.ts', lines(501))).toEqual(['max-lines']);
    expect(await sizeErrors('electron/services/x.ts', lines(500))).toEqual([]);
  });

  it('a function over 150 lines fails unless a one-line reason at its top says why', async () => {
    expect(await sizeErrors('electron/main/x.ts', longFunction(150))).toEqual([
      'max-lines-per-function',
    ]);
    expect(await sizeErrors('electron/main/x.ts', longFunction(140))).toEqual([]);
    const excused = `// eslint-disable-next-line max-lines-per-function -- a table, one line per entry\n${longFunction(150)}`;
    expect(await sizeErrors('electron/main/x.ts', excused)).toEqual([]);
  });

  it('covers every folder of non-test code, not test files', async () => {
    for (const file of ['shared/x.ts', 'electron/cli/x.ts', 'renderer/src/x.tsx', 'test/x.ts']) {
      expect(await sizeErrors(file, lines(501))).toEqual(['max-lines']);
    }
    expect(await sizeErrors('electron/cli/x.test.ts', lines(501))).toEqual([]);
  });
});
