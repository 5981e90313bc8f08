/**
 * The federation editor's "Preview effect" against a home seeded with the CLI (the federations of
 * seeded-federations.ts, and two DEU tracks with DEU's marking equivalences attested): a valid
 * draft of the next version previewed with real numbers — unchanged, then with a lowered ceiling
 * holding the GEHEIM track back — and an invalid one refused with its reason beside the field.
 */
import { expect, test } from '@playwright/test';
import { ConsolePage } from './pages/console.page.js';
import { FederationEditor } from './pages/federation-editor.page.js';
import { seedFederations, seedObservations, type SeededFederations } from './seeded-federations.js';
import { serveConsoleOnTempHome, type ServedConsole } from './served-console.js';

// Seeding runs some twenty CLI commands: more than the default minute on a loaded machine.
test.describe.configure({ timeout: 180_000 });

let served: ServedConsole | undefined;
let seeded: SeededFederations;
test.beforeEach(async () => {
  served = await serveConsoleOnTempHome((home) => {
    seeded = seedFederations(home);
    seedObservations(home, seeded.active);
  });
});
test.afterEach(async () => {
  await served?.stop();
});

test('previews a valid draft’s effect on this mesh’s history before signing, and none for an invalid one', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(`${served!.url}#/federations/${seeded.active}`);
  await console.waitForView('federations');
  await console.federations.declaration.waitForDeclaration('Exercise BALTIC SHIELD');
  await page.getByTestId('amend-federation').click();
  const editor = new FederationEditor(page);
  await editor.waitForState('ready to sign');

  // The next version unchanged: both tracks cross to NLD under either, nothing changes.
  await expect(editor.effect.getByTestId('effect-body')).toContainText('against version 1, in force');
  await expect(editor.effect.getByTestId('effect-none')).toBeVisible();
  await expect(editor.effect.getByTestId('effect-row').first()).toContainText(/Would cross\s*2\s*2/);

  // The ceiling lowered to CONFIDENTIAL: the GEHEIM (NATO SECRET) track would stay home, said in words.
  await editor.fill('scope.0.ceiling', 'CONFIDENTIAL');
  await editor.waitForState('ready to sign');
  const changes = editor.effect.getByTestId('effect-change');
  await expect(changes).toHaveCount(1);
  await expect(changes.first()).toContainText('track:4711');
  await expect(changes.first()).toContainText('GEHEIM');
  await expect(changes.first()).toContainText('Refused: classified above the ceiling');
  await expect(editor.effect.getByTestId('effect-row').first()).toContainText(/Would cross\s*2\s*1\s*−1/);
  await expect(editor.effect.locator('tr.row-changed')).toHaveCount(2);
  // Reachable by keyboard: the panel's heading takes focus.
  await editor.effect.getByRole('heading', { name: /Preview effect/ }).focus();
  await expect(editor.effect.getByRole('heading', { name: /Preview effect/ })).toBeFocused();
  await editor.effect.scrollIntoViewIfNeeded();
  await editor.effect.screenshot({ path: '/tmp/preview-effect.png' });

  // An invalid draft: its reason beside the field, and the panel marks what it shows as out of date.
  await editor.fill('validity.expires', 'next month');
  await editor.waitForIssue('validity.expires', /datetime|date/i);
  await expect(editor.effect.getByTestId('effect-stale')).toBeVisible();
});
