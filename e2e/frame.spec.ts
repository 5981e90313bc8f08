/**
 * The console's frame: the rail and the keyboard move between views, the URL keeps the view
 * across a reload, the skip link reaches the view, the observations table sorts and filters
 * through the core, and the header says "core unreachable" within seconds of the core stopping.
 */
import { expect, test } from '@playwright/test';
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

test('moves between views by rail and keyboard, and a reload returns to the view', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(served.url);
  await console.waitForView('overview');
  await console.meshIdentity.waitForMesh('DEU');
  await page.screenshot({ path: '/tmp/ui-overview.png' });
  await console.go('boundaries');
  await page.screenshot({ path: '/tmp/ui-boundaries-empty.png' });
  await console.go('quarantine');
  await expect(page.getByTestId('quarantine-open')).toHaveText('0 items waiting');

  await page.keyboard.press('g');
  await page.keyboard.press('f');
  await console.waitForView('federations');
  await page.keyboard.press('Alt+3');
  await console.waitForView('observations');
  // Focus follows to the view's heading, for screen readers.
  await expect(page.locator('#view-heading')).toBeFocused();
  await console.go('audit');
  expect(new URL(page.url()).hash).toBe('#/audit');

  await page.reload();
  await console.waitForConnected();
  await console.waitForView('audit');
  await console.auditLog.waitForLogSize(6);

  // Typing in a field is typing, not a shortcut.
  await console.go('observations');
  await page.getByTestId('filter-subject').fill('gf');
  await console.waitForView('observations');

  // The list of shortcuts, and the skip link as the first stop of the keyboard.
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcut-help')).toContainText('Alt+');
  await page.keyboard.press('Escape');
  await page.reload();
  await console.waitForConnected();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to the view' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#view-heading')).toBeFocused();
});

test('sorts and filters the observations table through the core, the detail beside it', async ({ page }) => {
  await recordWithCli(served.home, 'radar-2', 'track:9001', { lat: 52.3, lon: -5.4, sidc: 'SFAPMF----*****' });
  const console = new ConsolePage(page);
  await console.open(`${served.url}#/observations`);
  await console.waitForView('observations');
  const observations = console.observations;
  await observations.waitForObservationCount(4);

  await page.getByTestId('sort-subject').click();
  await observations.waitForRow(0, 'track:4711');
  await page.getByTestId('sort-subject').click();
  await observations.waitForRow(0, 'track:9001');
  await expect(page.getByRole('columnheader', { name: /Subject/ })).toHaveAttribute('aria-sort', 'descending');

  await page.getByTestId('filter-subject').fill('track:47');
  await expect(page.getByTestId('observations-total')).toHaveText('3 match');
  await page.getByTestId('filter-subject').fill('track:90');
  await expect(page.getByTestId('observations-total')).toHaveText('1 match');
  await page.getByTestId('filter-class').fill('incident');
  await expect(page.getByText('Nothing matches this filter.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear' }).click();
  await observations.waitForObservationCount(4);

  // The observed payload, for people: position with hemispheres, the symbol code.
  await page.getByTestId('filter-subject').fill('track:90');
  const detail = await observations.select(0);
  await expect(detail.root.getByTestId('payload-position')).toHaveText('52.3000° N, 5.4000° W');
  await expect(detail.root.getByTestId('payload-symbol')).toHaveText('SFAPMF----*****');
  await expect(detail.root).toContainText(/UTC \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(local/);
  await page.screenshot({ path: '/tmp/ui-observations.png' });
});

test('says "core unreachable" within seconds of the core stopping', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(served.url);
  await console.waitForConnected();
  await served.stop();
  await console.waitForUnreachable({ timeout: 5_000 });
  await page.screenshot({ path: '/tmp/ui-unreachable.png' });
});
