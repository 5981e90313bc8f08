/**
 * Changes made by another process on the same home reach an open console: an observation the
 * CLI records appears within seconds, without a reload. (The core's change watcher,
 * core/app/changes/, publishes the events the views refresh on.)
 */
import { test } from '@playwright/test';
import { ConsolePage } from './pages/console.page.js';
import { recordWithCli, seedWorkspace } from './seeded-workspace.js';
import { serveConsoleOnTempHome, type ServedConsole } from './served-console.js';

let served: ServedConsole;
test.beforeEach(async () => {
  served = await serveConsoleOnTempHome((home) => void seedWorkspace(home));
});
test.afterEach(async () => {
  await served.stop();
});

test('an observation the CLI records shows in the open console within 3 s', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(served.url);
  const observations = console.observations;
  await console.go('audit');
  await console.auditLog.waitForLogSize(6);
  await console.go('observations');
  await observations.waitForObservationCount(3);

  const id = await recordWithCli(served.home, 'radar-2', 'track:9001', { lat: 52.3, lon: 5.4 });

  const soon = { timeout: 3_000 };
  await observations.waitForObservationCount(4, soon);
  await observations.waitForRow(0, 'track:9001', soon);
  // The new row is the record the CLI printed, not a look-alike.
  const detail = await observations.select(0);
  await detail.waitForObservation(id);
  await console.go('audit');
  await console.auditLog.waitForLogSize(7, soon);
});
