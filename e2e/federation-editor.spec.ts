/**
 * The federation editor against a home seeded with the CLI: a new draft refused field by field
 * with the core's reasons and then fixed, its preview, signing it with the passphrase asked in
 * the console (a wrong one refused by name), a new version of the active federation and the
 * version-to-version diff.
 */
import { expect, test } from '@playwright/test';
import { ConsolePage } from './pages/console.page.js';
import { FederationEditor, signInDialog } from './pages/federation-editor.page.js';
import { seedFederations, type SeededFederations } from './seeded-federations.js';
import { serveConsoleOnTempHome, type ServedConsole } from './served-console.js';

const PASSPHRASE = 'e2e exercise passphrase';

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

test('drafts a federation with the core’s reasons beside the fields, previews it and signs it', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(served.url);
  await console.go('federations');
  const editor = new FederationEditor(page);
  await editor.startNew(['NLD']);

  // The fresh draft has no purpose yet: the core's schema says so beside the field.
  await editor.waitForIssue('purpose', /too small|at least|>=1/i);
  await editor.waitForState('1 issue');
  await editor.fill('purpose', 'Exercise NORTHERN LIGHT: shared air picture');
  await editor.waitForNoIssue('purpose');
  await editor.waitForState('ready to sign');

  // A class the sender does not publish, then a bad expiry: each reason by its field.
  await editor.fill('scope.0.classes', 'track, weather');
  await editor.waitForIssue('scope.0.classes', 'weather is not a class DEU publishes');
  await editor.fill('validity.expires', 'next month');
  await editor.waitForIssue('validity.expires', /datetime|date/i);
  await page.screenshot({ path: '/tmp/ui-editor-invalid.png' });
  await editor.fill('scope.0.classes', 'track, incident');
  await editor.fill('validity.expires', '2099-01-31T00:00:00Z');
  await editor.waitForState('ready to sign');

  // What it would let cross that nothing in force does today.
  await expect(editor.preview).toContainText('No version is in force yet');
  await expect(editor.preview.getByTestId('preview-row')).toHaveCount(2);
  await expect(editor.preview).toContainText('newly crosses');

  // The raw document is the draft itself.
  await editor.tab('raw');
  await expect(page.locator('#raw-document')).toHaveValue(/"purpose": "Exercise NORTHERN LIGHT: shared air picture"/);
  await editor.tab('form');

  await editor.signAndPropose('not the passphrase');
  await expect(editor.passphrase).toContainText('wrong-passphrase');
  await expect(editor.passphrase.getByTestId('passphrase-input')).toHaveValue('');
  await signInDialog(page, PASSPHRASE);
  await expect(editor.passphrase).toBeHidden();
  await expect(editor.root).toBeHidden();

  // The new federation is listed and selected (in the URL), proposed, signed by DEU, awaiting NLD.
  await expect(page).toHaveURL(/#\/federations\/deu-[0-9a-f]{8}$/);
  const id = new URL(page.url()).hash.split('/')[2]!;
  await console.federations.waitForFederation(id, 'proposed');
  await console.federations.waitForSignature(id, 'DEU', 'signed');
  await console.federations.waitForSignature(id, 'NLD', 'signature missing');
  await page.screenshot({ path: '/tmp/ui-federations.png' });

  // Each partner appears on the boundaries board with the federations it shares.
  await console.go('boundaries');
  await expect(page.getByTestId('boundary-NLD')).toContainText(id);
  await expect(page.getByTestId('boundary-POL')).toContainText(seeded.proposed);
  await page.screenshot({ path: '/tmp/ui-boundaries.png' });
});

test('amends the active federation and shows the version-to-version diff', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(`${served.url}#/federations/${seeded.active}`);
  await console.waitForView('federations');
  await console.federations.declaration.waitForDeclaration('Exercise BALTIC SHIELD');
  await page.getByTestId('amend-federation').click();
  const editor = new FederationEditor(page);
  await expect(editor.field('version')).toHaveValue('2');
  await editor.fill('validity.expires', '2099-12-31T00:00:00Z');
  await editor.fill('scope.0.caveats', 'EXERCISE ONLY');
  await editor.waitForState('ready to sign');
  await editor.tab('diff');
  await expect(editor.root.getByTestId('diff')).toContainText('validity · expires');
  await expect(editor.root.getByTestId('diff')).toContainText('2099-12-31T00:00:00Z');
  await expect(editor.preview).toContainText('Compared with version 1, in force.');
  await page.screenshot({ path: '/tmp/ui-editor-diff.png' });

  await editor.signAndPropose(PASSPHRASE);
  await expect(editor.root).toBeHidden();
  await console.federations.waitForFederation(seeded.active, 'v2');
  await console.federations.waitForSignature(seeded.active, 'NLD', 'signature missing');

  // The stored versions compare the same way.
  await page.getByTestId('detail-tab-versions').click();
  const versions = page.getByTestId('versions');
  await expect(versions.getByTestId('diff')).toContainText('validity · expires');
  await expect(versions.getByTestId('diff-row')).toHaveCount(3);
  await page.getByTestId('detail-tab-raw').click();
  await expect(page.getByTestId('raw-declaration')).toContainText('"version": 2');
});
