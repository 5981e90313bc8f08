/** The mesh's first real view: identity, devices with certificate status, observations and lineage. */
import { test } from '@playwright/test';
import { ConsolePage } from './pages/console.page.js';
import { seedWorkspace, type SeededWorkspace } from './seeded-workspace.js';
import { serveConsoleOnTempHome, type ServedConsole } from './served-console.js';

let served: ServedConsole;
let seeded: SeededWorkspace;
test.beforeEach(async () => {
  served = await serveConsoleOnTempHome((home) => {
    seeded = seedWorkspace(home);
  });
});
test.afterEach(async () => {
  await served.stop();
});

test('shows the mesh, its devices and its observations, and the lineage of a derived one', async ({ page }, testInfo) => {
  const console = new ConsolePage(page);
  await console.open(served.url);

  await console.meshIdentity.waitForMesh('DEU');
  await console.meshIdentity.waitForKeysEncrypted();
  await console.principals.waitForPrincipal('uav-7', 'active');
  await console.principals.waitForPrincipal('radar-2', 'P-256');

  await console.go('observations');
  const observations = console.observations;
  await observations.waitForObservationCount(3);
  await observations.waitForRow(0, 'NATO SECRET // REL TO DEU, NLD');
  await observations.waitForVerifiedCount(3);

  // The newest is the fused track: its detail names both sources, each a link to its record.
  const detail = await observations.select(0);
  await detail.waitForObservation(seeded.ids.fused);
  await detail.waitForLineage('fuse-tracks 1.0');
  await detail.waitForSourceCount(2);
  await page.screenshot({ path: testInfo.outputPath('observations.png'), fullPage: true });

  await detail.openSource(seeded.ids.radar.slice(0, 16));
  await detail.waitForObservation(seeded.ids.radar);
  await detail.waitForLineage('original observation');
});
