import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'e2e/screenshots/**',
      'test-results/**',
      'playwright-report/**',
      'bench/results/**',
      '.cache/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.web.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      parserOptions: { project: null, projectService: false },
      globals: { ...globals.node },
    },
  },
  {
    // The renderer is untrusted and runs without Node: it may only reach main through the preload API.
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/electron/**', 'electron', 'node:*'],
              message: 'The renderer imports shared/ only.',
            },
          ],
        },
      ],
    },
  },
  {
    // shared/ is types and pure code: no Node, no Electron, no React.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'react', '**/electron/**', '**/renderer/**'],
              message: 'shared/ holds only pure code.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only the two IPC wrappers touch ipcMain/ipcRenderer; the engine never imports Electron.
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/ipc.ts', 'electron/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message: 'Use the typed IPC wrappers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'electron/engine/**/*.ts',
      'electron/files/**/*.ts',
      'electron/queue/**/*.ts',
      'electron/cli/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The engine, local files, queue and CLI run in plain Node.',
            },
          ],
        },
      ],
    },
  },
);
