/**
 * The core's worker thread, built for tests that start it from TypeScript sources: worker threads
 * load JavaScript only. Bundled once per test process, as scripts/build.mjs bundles it, inside the
 * project (node_modules/.cache) so that its external packages resolve from node_modules.
 */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

let built: Promise<string> | undefined;

/** The path of a freshly built core-worker.cjs; removed when the test process exits. */
export function builtCoreWorker(): Promise<string> {
  built ??= (async () => {
    const cache = join(process.cwd(), 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, 'entente-core-worker-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, 'core-worker.cjs');
    await build({
      entryPoints: ['core/api/worker/core-worker.ts'],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      define: { __ENTENTE_VERSION__: JSON.stringify(process.env.npm_package_version ?? '0.0.0-test') },
      outfile,
      logLevel: 'warning',
    });
    return outfile;
  })();
  return built;
}
