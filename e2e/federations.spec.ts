/** Federations in the console: state, version, partners, each authority's signature, expiry, and the declaration in full. */
import { test } from '@playwright/test';
import { ConsolePage } from './pages/console.page.js';
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
  await console.go('federations');
  const federations = console.federations;

  await federations.waitForFederation(seeded.active, 'active');
  await federations.waitForFederation(seeded.active, 'v1');
  await federations.waitForSignature(seeded.active, 'DEU', 'signed');
  await federations.waitForSignature(seeded.active, 'NLD', 'signed');
  await federations.waitForExpiry(seeded.active, /2099-06-30.*in [\d,]+ d/s);

  await federations.waitForFederation(seeded.proposed, 'proposed');
  await federations.waitForSignature(seeded.proposed, 'NLD', 'signed');
  await federations.waitForSignature(seeded.proposed, 'POL', 'signature missing');

  const declaration = await federations.select(seeded.active);
  await declaration.waitForDeclaration('Exercise BALTIC SHIELD: shared air picture');
  await declaration.waitForScope('DEU → NLD');
  await declaration.waitForScope('NATO SECRET');
  await declaration.waitForExit('track: purge');
  await page.screenshot({ path: testInfo.outputPath('federations.png'), fullPage: true });

  // Keyboard users select with Enter.
  await federations.selectWithKeyboard(seeded.proposed);
  await declaration.waitForDeclaration('Three-nation logistics picture');
  await declaration.waitForDeclaration('POL');
});
