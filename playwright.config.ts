// End-to-end tests: the built CLI serves the console on a temporary home, and Debian's
// Chromium opens it. (`npx playwright install` cannot reach its download host here, and a
// packaged browser is not what our users run anyway.) Run `npm run build` first; `npm test`
// does.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: process.env.ENTENTE_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
  },
});
