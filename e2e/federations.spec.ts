/** Federations in the console: state, version, partners, each authority's signature, expiry, and the declaration in full. */
import { expect, test } from '@playwright/test';
import { ConsolePage } from './console.page.js';
import { seedFederations, type SeededFederations } from './seeded-federations.js';
import { serveConsoleOnTempHome, type ServedConsole } from './served-console.js';

let served: ServedConsole;
let seeded: SeededFederations;
test.beforeEach(async () => {
  served = await serveConsoleOnTempHome((home) => {
    seeded = seedFederations(home);
  });
});
test.afterEach(async () => {
  await served.stop();
});

test('lists federations with their state and every authority’s signature, and shows a declaration in full', async ({ page }, testInfo) => {
  const console = new ConsolePage(page);
  await console.open(served.url);
  const federations = page.getByTestId('federations');

  const active = federations.getByTestId(`federation-${seeded.active}`);
  await expect(active).toContainText('active');
  await expect(active).toContainText('v1');
  await expect(federations.getByTestId(`signature-${seeded.active}-DEU`)).toContainText('signed');
  await expect(federations.getByTestId(`signature-${seeded.active}-NLD`)).toContainText('signed');
  await expect(federations.getByTestId(`expiry-${seeded.active}`)).toContainText(/2099-06-30.*in \d+ d/s);

  const proposed = federations.getByTestId(`federation-${seeded.proposed}`);
  await expect(proposed).toContainText('proposed');
  await expect(federations.getByTestId(`signature-${seeded.proposed}-NLD`)).toContainText('signed');
  await expect(federations.getByTestId(`signature-${seeded.proposed}-POL`)).toContainText('signature missing');

  await active.click();
  const detail = page.getByTestId('federation-detail');
  await expect(detail).toContainText('Exercise BALTIC SHIELD: shared air picture');
  await expect(detail.getByTestId('federation-scope')).toContainText('DEU → NLD');
  await expect(detail.getByTestId('federation-scope')).toContainText('NATO SECRET');
  await expect(detail.getByTestId('federation-exit')).toContainText('track: purge');
  await page.screenshot({ path: testInfo.outputPath('federations.png'), fullPage: true });

  // Keyboard users select with Enter.
  await proposed.focus();
  await page.keyboard.press('Enter');
  await expect(detail).toContainText('Three-nation logistics picture');
  await expect(detail).toContainText('POL');
});
