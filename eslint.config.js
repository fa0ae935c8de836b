import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { layerImports } from './eslint-rules/layer-imports.js';

/**
 * The layers and what each may import besides itself: other layers, `node` (built-ins),
 * `electron`, npm packages by name, and repository files outside the layers by their top folder
 * or file name (`package.json`). Read top to bottom, each layer sits on the ones it names.
 * docs/ARCHITECTURE.md draws this table; test/lint/layers.test.ts shows each rule failing.
 */
export const LAYERS = {
  // Types and pure code for both sides of IPC: no Node, no Electron, no React.
  shared: { folders: ['shared'], may: [] },
  // The FTPS engine and the local-file layer: plain Node, usable from the CLI.
  engine: { folders: ['electron/engine'], may: ['shared', 'node'] },
  files: { folders: ['electron/files'], may: ['shared', 'node', 'engine'] },
  queue: { folders: ['electron/queue'], may: ['shared', 'node', 'engine', 'files'] },
  // Sites, secrets, pins, settings, the session and the IPC command handlers: plain Node too.
  services: {
    folders: ['electron/services'],
    may: ['shared', 'node', 'engine', 'files', 'queue', 'fast-xml-parser'],
  },
  cli: {
    folders: ['electron/cli'],
    may: ['shared', 'node', 'engine', 'files', 'queue', 'services', 'package.json'],
  },
  // The Electron app: windows, menus, IPC binding. The only layer besides preload with Electron.
  main: {
    folders: ['electron/main'],
    may: ['shared', 'node', 'engine', 'files', 'queue', 'services', 'electron', 'package.json'],
  },
  preload: { folders: ['electron/preload'], may: ['shared', 'electron'] },
  // Untrusted UI: reaches main only through the preload API typed by shared/ipc.ts.
  renderer: {
    folders: ['renderer'],
    may: ['shared', 'react', 'react-dom', 'zustand', 'lucide-react', '@tanstack/react-virtual'],
  },
};

const LAYER_FILES = ['{electron,shared,renderer}/**/*.{ts,tsx,js,mjs,cjs}'];
const TEST_FILES = ['**/*.test.{ts,tsx}'];

/** The layer rule for production files and, with test helpers allowed, for test files. */
export const layerConfig = [
  // Files outside the layers (e2e, test, bench, scripts) are not checked: the rule skips them.
  { plugins: { ferry: { rules: { 'layer-imports': layerImports } } } },
  {
    files: LAYER_FILES,
    rules: { 'ferry/layer-imports': ['error', { layers: LAYERS }] },
  },
  {
    files: TEST_FILES,
    rules: { 'ferry/layer-imports': ['error', { layers: LAYERS, tests: true }] },
  },
];

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
    // React hooks rules for the renderer only.
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  ...layerConfig,
  {
    // Small modules with one job: a file or function past these sizes is split, or says why not.
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['**/*.test.{ts,tsx}', 'e2e/**/*.spec.ts'],
    rules: {
      'max-lines': ['error', { max: 500 }],
      'max-lines-per-function': ['error', { max: 150 }],
    },
  },
  {
    // Only the two IPC wrappers touch ipcMain/ipcRenderer (which layers import Electron: LAYERS).
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
);
