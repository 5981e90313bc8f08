// Unit and property tests (vitest). Playwright's e2e/ runs separately (`npm run test:e2e`).
// Electron's runtime cannot be installed everywhere, so electron/ is tested against a
// stand-in `electron` module that records what the shell asks of Electron.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __ENTENTE_VERSION__: JSON.stringify(process.env.npm_package_version ?? '0.0.0-test') },
  resolve: {
    alias: { electron: fileURLToPath(new URL('./electron/test/stand-in-electron.ts', import.meta.url)) },
  },
  test: {
    include: ['{core,electron,renderer,bench,build,scripts,eslint}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
  },
});
