// Lint rules, and the import boundaries that keep each part where it belongs.
//
// Layers (docs/decisions/0004-layers.md; the map is eslint/layer-map.js, the rules eslint/rules/):
//   primitives ← domain ← store ← app ← api ← shell. `entente/layers` refuses an import, type-only
//   included, into a higher layer, and any import of test support (core/test-support/, e2e/,
//   test/ folders, test-fixtures.ts, *.test.ts) from production code; test support may import
//   any layer. `entente/no-cycle` refuses an import cycle anywhere, type-only imports included.
//   An exception is an exact file pair with a one-line reason (layerExceptions, cycleExceptions
//   below); one that no longer matches an import simply stops applying.
// Runtimes:
//   core/      headless: no Electron, no React, no DOM — the CLI and both shells run it.
//   renderer/  UI only: no Node built-ins, no native modules, no core runtime code (types are
//              fine: the contract's types are how the renderer knows what it may ask).
//   electron/  the thin shell: no React, no renderer code.
// core/serve/browser/ is the one piece of core that runs in a page (the loopback host's
// `window.entente`); docs/decisions/0001-foundation.md says why it lives there.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import entente from './eslint/plugin.js';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

// Exceptions to the two rules: exact file pairs, each with a one-line reason (the rules refuse one
// without), e.g. { from: 'core/app/x.ts', to: 'core/api/y.ts', reason: 'why this pair may' }.
// None are needed today.
const layerExceptions = [];
const cycleExceptions = [];

const uiLibraries = ['react', 'react-dom', 'react-dom/*', 'react/*', 'zustand', 'zustand/*'];

const restrictImports = (patterns, paths = []) => [
  'error',
  {
    paths: paths.map((name) => ({ name, message: 'This part may not import it; see eslint.config.js.' })),
    patterns,
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'release/**', '.tmp/**', '**/.lint-plant-*/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // With noUncheckedIndexedAccess on, `!` marks an index the code has just checked.
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'error',
      eqeqeq: 'error',
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/serve/browser/**'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports(
        [
          { group: ['electron', 'electron/*'], message: 'core/ is headless: Electron belongs in electron/.' },
          { group: uiLibraries, message: 'core/ is headless: UI code belongs in renderer/.' },
          { group: ['**/renderer/**', '**/electron/**'], message: 'core/ must not depend on a shell.' },
        ],
      ),
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'sessionStorage'],
    },
  },
  {
    files: ['core/serve/browser/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports(
        [
          { group: nodeBuiltins, message: 'This file runs in the page: no Node built-ins.' },
          { group: ['better-sqlite3', 'ws', 'electron', ...uiLibraries], message: 'This file runs in the page on its own.' },
        ],
      ),
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': restrictImports([
        { group: nodeBuiltins, message: 'The renderer runs sandboxed: no Node built-ins.' },
        { group: ['better-sqlite3', 'ws', 'electron', 'electron/*'], message: 'The renderer reaches the core only through window.entente.' },
        {
          // The exceptions: the log's entry types and the integrity event kinds, modules without
          // imports that the contract and the core read too — so the console's filters can never
          // list a type or kind the core lacks.
          regex: '(^|/)(electron/|core/(?!audit/entry-types\\.js$|boundary/integrity-kinds\\.js$))',
          allowTypeImports: true,
          message: 'The renderer may import the contract\'s types, never core or shell runtime code.',
        },
      ]),
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports([
        { group: uiLibraries, message: 'electron/ is the thin shell: UI code belongs in renderer/.' },
        { group: ['**/renderer/**'], message: 'electron/ serves the built renderer; it does not import it.' },
      ]),
    },
  },
  {
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    plugins: { entente },
    rules: {
      'entente/layers': ['error', { exceptions: layerExceptions }],
      'entente/no-cycle': ['error', { exceptions: cycleExceptions }],
    },
  },
  {
    // The command line and the bench print by design.
    files: ['core/cli/entente.ts', 'bench/**/*.ts', 'scripts/**/*.mjs', 'bin/**/*.mjs'],
    rules: { 'no-console': 'off' },
  },
);
