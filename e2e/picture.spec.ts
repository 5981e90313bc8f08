/**
 * The joint picture against a home made with the CLI (seeded-queue.ts: DEU holds three
 * divergences with NLD, over a live link): the view shows the digest the CLI reports, every
 * subject with its state and suppliers, filters by prefix and state in the core, opens a subject
 * with each field's value, marking, mesh and observation (a link to its provenance) and the queue
 * item a held subject waits in; an observation the CLI records joins the open view.
 */
import { expect, test } from '@playwright/test';
import { ConsolePage } from './pages/console.page.js';
import { PictureView } from './pages/picture.page.js';
import { entente } from './seeded-boundaries.js';
import { seedQueue, type SeededQueue } from './seeded-queue.js';
import { serveConsoleOnTempHome, type ServedConsole } from './served-console.js';

let served: ServedConsole;
let seeded: SeededQueue;

interface CliPicture {
  readonly digest: string;
  readonly subjects: number;
  readonly held: number;
  readonly items: readonly { readonly subject: string; readonly state: string; readonly item: string | null; readonly fields: readonly { field: string; observation: string; mesh: string }[] }[];
}
const cliPicture = (args: string[] = []) => (JSON.parse(entente(served.home, 'DEU', ['picture', '--json', '--limit', '500', ...args])) as { picture: CliPicture }).picture;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  served = await serveConsoleOnTempHome(async (home) => {
    seeded = await seedQueue(home);
  });
});
test.afterAll(async () => served?.stop());

test('the picture shows the digest and subjects the CLI reports; filters, opens a subject with its provenance, and follows the CLI', async ({ page }) => {
  const console = new ConsolePage(page);
  const expected = cliPicture();
  await console.open(`${served.url}#/picture`);
  const picture = new PictureView(page);
  expect(await picture.digest()).toBe(expected.digest);
  await expect(picture.summary.getByTestId('picture-counts')).toContainText(`${expected.subjects} subjects · ${expected.held} held for a person · 3 queue items open`);
  await picture.waitForRows(expected.subjects);
  for (const subject of Object.keys(seeded.contacts)) await expect(picture.row(subject)).toContainText('held');
  // The rows show values under their suppliers' labels: the banner rises to the highest on screen.
  const banner = page.getByTestId('classification-top');
  await expect(banner).toContainText('GEHEIM');

  // The core filters: held subjects only, then one prefix.
  await picture.filterByState('held');
  await picture.waitForRows(3);
  await expect(picture.root.getByTestId('picture-total')).toHaveText(`3 of ${expected.subjects} match`);
  await picture.filterBySubject('ship:q-1');
  await picture.waitForRows(1);
  // Only the contact's values are on screen now: the banner falls to their marking.
  await expect(banner).toContainText(/VS-VERTRAULICH|CONFIDENTIEEL/);
  await expect(banner).not.toContainText('GEHEIM');
  await picture.filterBySubject('ship:q-%');
  await expect(picture.root.getByText('No subject matches this filter.')).toBeVisible();
  await picture.filterBySubject('ship:q-1');
  await picture.waitForRows(1);

  // Enter opens the subject: what prevails of it, and where each field came from.
  await picture.row('ship:q-1').focus();
  await page.keyboard.press('Enter');
  await picture.waitForDetail('ship:q-1');
  const held = expected.items.find((s) => s.subject === 'ship:q-1')!;
  await expect(picture.detail.getByTestId('picture-detail-state')).toHaveText('held');
  await expect(picture.detail.getByTestId('picture-detail-conflict')).toContainText(': kind.');
  // The fields in conflict stay out; the rest prevail, each from its supplier.
  expect(held.fields.map((f) => f.field)).toEqual(['lat', 'lon', 'speedKn']);
  await expect(picture.detail.getByTestId('picture-field')).toHaveCount(held.fields.length);
  for (const f of held.fields) {
    await expect(picture.field(f.field)).toContainText(f.mesh);
    await expect(picture.field(f.field).getByTestId('picture-field-observation')).toHaveAttribute('href', `#/provenance/${f.observation}`);
    await expect(picture.field(f.field).locator('.marking')).not.toBeEmpty();
  }
  // The held subject links to the queue item the officer decides it in.
  await picture.detail.getByTestId('picture-detail-item').click();
  await console.waitForView('queue');
  expect(new URL(page.url()).hash).toBe(`#/queue/${held.item}`);

  // Back in the picture, the filter is as the officer left it; an observation the CLI records joins it.
  await console.go('picture');
  await picture.waitForRows(1);
  await picture.filterBySubject('');
  await picture.filterByState('');
  await picture.waitForRows(expected.subjects);
  const label = `${served.home}/partners/DEU.contact.label.json`;
  entente(served.home, 'DEU', ['observe', '--device', 'sensor-1', '--class', 'track', '--subject', 'ship:new-1', '--label', label], JSON.stringify({ lat: 54.9, lon: 13.6, kind: 'tug' }));
  await expect(picture.row('ship:new-1')).toContainText('merged', { timeout: 5_000 });
  const after = cliPicture();
  await expect(picture.summary.getByTestId('picture-digest')).toHaveText(after.digest);
  expect(after.digest).not.toBe(expected.digest);
  await page.screenshot({ path: '/tmp/ui-picture.png', fullPage: true });
});
