// Builds every part into dist/: the CLI and loopback host (Node ESM), the core's worker thread
// (CommonJS), the loopback bridge (browser script), Electron main and preload (CommonJS: a
// sandboxed preload cannot be ESM), the bench harness, and the React console with Vite.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const define = { __ENTENTE_VERSION__: JSON.stringify(pkg.version) };
const quiet = { logLevel: 'warning', legalComments: 'none' };

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

const node = { ...quiet, bundle: true, platform: 'node', target: 'node20', packages: 'external', define, sourcemap: 'linked' };
await Promise.all([
  // The verification worker sits beside the CLI: `entente verify` starts it on every core.
  esbuild({ ...node, format: 'esm', entryPoints: { 'cli/entente': 'core/cli/entente.ts', 'cli/verify-worker': 'core/app/observations/verify-worker.ts', 'cli/crossing-signature-worker': 'core/app/crossing/signature-worker.ts' }, outdir: 'dist', outExtension: { '.js': '.mjs' } }),
  esbuild({
    ...node,
    format: 'esm',
    entryPoints: {
      'bench/run': 'bench/run.ts',
      'bench/verify-worker': 'bench/verify-worker.ts',
      'bench/stored-verification-worker': 'bench/stored-verification-worker.ts',
      'bench/pouchdb-child': 'bench/pouchdb-child.ts',
      'bench/crossing-import-child': 'bench/crossing-import-child.ts',
      'bench/link-probe': 'bench/link-probe.ts',
    },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
  }),
  esbuild({ ...quiet, bundle: true, platform: 'browser', target: 'chrome120', format: 'iife', minify: true, entryPoints: { 'bridge/entente-bridge': 'core/serve/browser/web-bridge.ts' }, outdir: 'dist' }),
  esbuild({ ...node, format: 'cjs', entryPoints: { 'electron/main': 'electron/main.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
  // The core's worker thread, started by Electron main and by `entente serve`; CommonJS like
  // main.cjs, so the packaged app loads it from its archive the way it loads main.
  esbuild({ ...node, format: 'cjs', entryPoints: { 'core/core-worker': 'core/api/worker/core-worker.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' } }),
  // The preload is bundled whole (only `electron` stays external): a sandboxed preload cannot require packages.
  esbuild({ ...quiet, bundle: true, minify: true, platform: 'node', target: 'node20', format: 'cjs', define, entryPoints: { 'electron/preload': 'electron/preload.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
]);
await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn' });
