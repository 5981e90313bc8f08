/** The mesh's first real view: identity, devices with certificate status, observations and lineage. */
import { expect, test } from '@playwright/test';
import { ConsolePage } from './console.page.js';
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

  await expect(console.meshIdentity).toContainText('DEU');
  await expect(console.meshIdentity).toContainText('encrypted under the workspace passphrase');
  await expect(page.getByTestId('principal-uav-7')).toContainText('active');
  await expect(page.getByTestId('principal-radar-2')).toContainText('P-256');

  const rows = page.getByTestId('observation-row');
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId('observations-total')).toHaveText('3 stored');
  await expect(rows.first()).toContainText('NATO SECRET // REL TO DEU, NLD');
  await expect(rows.filter({ hasText: 'verified' })).toHaveCount(3);

  // The newest is the fused track: its detail names both sources, each a link to its record.
  await rows.first().click();
  const detail = page.getByTestId('observation-detail');
  await expect(detail).toContainText(seeded.ids.fused);
  await expect(detail.getByTestId('lineage')).toContainText('fuse-tracks 1.0');
  await expect(detail.getByTestId('lineage-source')).toHaveCount(2);
  await page.screenshot({ path: testInfo.outputPath('observations.png'), fullPage: true });

  await detail.getByTestId('lineage-source').filter({ hasText: seeded.ids.radar.slice(0, 16) }).getByRole('button').click();
  await expect(detail).toContainText(seeded.ids.radar);
  await expect(detail.getByTestId('lineage')).toContainText('original observation');
});
