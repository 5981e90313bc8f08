// End-to-end tests: the built CLI serves the console on a temporary home, and a real Chromium
// opens it. Which Chromium: ENTENTE_CHROMIUM if set, else the system's (/usr/bin/chromium, as
// Debian installs it), else the one shipped inside the `@sparticuz/chromium` npm package — so
// `npm test` passes on a machine with no browser installed. (`npx playwright install` cannot
// reach its download host here.) The `registry-chromium` project runs the smoke test under the
// npm package's Chromium even where a system one exists, so both paths stay tested.
// Run `npm run build` first; `npm test` does.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

let registryPath: string | undefined;
/** Unpacked once per process, and only when a project needs it. */
function registryChromium(): string {
  registryPath ??= execFileSync(process.execPath, ['scripts/registry-chromium.mjs'], { encoding: 'utf8' }).trim();
  return registryPath;
}

function chosenChromium(): string {
  if (process.env.ENTENTE_CHROMIUM) return process.env.ENTENTE_CHROMIUM;
  return existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : registryChromium();
}

const usesRegistry = !process.env.ENTENTE_CHROMIUM && !existsSync(SYSTEM_CHROMIUM);

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
  },
  projects: [
    { name: 'chromium', use: { launchOptions: { executablePath: chosenChromium(), args: CHROMIUM_ARGS } } },
    // Where the first project already runs on the registry Chromium, a second pass is redundant.
    ...(usesRegistry
      ? []
      : [{ name: 'registry-chromium', testMatch: 'console.spec.ts', use: { launchOptions: { executablePath: registryChromium(), args: CHROMIUM_ARGS } } }]),
  ],
});
