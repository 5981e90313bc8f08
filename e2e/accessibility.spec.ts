/**
 * The console "throughout" (issue 16), against a home made with the CLI (seeded-quarantine.ts):
 * an officer releases and rejects quarantined items with a signed decision and sees the entry
 * recorded; the classification banner shows the highest marking on screen; a bundle dropped on
 * the console is imported with its progress; and axe-core finds no serious or critical
 * violation on any view, in the dark theme and the light one. Every view is photographed in
 * both themes (/tmp/frame-<view>-<theme>.png).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ConsolePage } from './pages/console.page.js';
import { seedQuarantine, type SeededQuarantine } from './seeded-quarantine.js';
import { serveConsoleOnTempHome, type ServedConsole } from './served-console.js';

let served: ServedConsole;
let seeded: SeededQuarantine;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  served = await serveConsoleOnTempHome((home) => {
    seeded = seedQuarantine(home);
  });
});
test.afterAll(async () => served?.stop());

const PASSPHRASE = 'e2e exercise passphrase';

/** The views of this engineer's part (the divergence queue has its own spec). */
const VIEWS = ['overview', 'picture', 'observations', 'lineage', 'provenance', 'boundaries', 'quarantine', 'federations', 'audit', 'integrity'] as const;

async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
}

test('the banner shows the highest classification on screen, and an officer releases and rejects quarantined items with a signed decision', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(`${served.url}#/quarantine`);
  const items = page.getByTestId('quarantine-item');
  await expect(items).toHaveCount(2);
  await expect(page.getByTestId('quarantine-open')).toHaveText('2 items waiting');
  // DEU's VS-VERTRAULICH is NATO CONFIDENTIAL (DEU's attestation): blue, the marking as shown.
  const top = page.getByTestId('classification-top');
  await expect(top).toHaveAttribute('data-tier', '2');
  await expect(top).toContainText('DEU VS-VERTRAULICH');
  await expect(page.getByTestId('classification-bottom')).toHaveAttribute('data-tier', '2');

  // Release the first under FRA SECRET, signed by the operator with the workspace passphrase.
  await items.filter({ hasText: 'track:rhein-7' }).getByTestId('quarantine-release').click();
  const dialog = page.getByTestId('passphrase-dialog');
  await expect(dialog.getByTestId('decision-operator')).toHaveValue(seeded.operator);
  await dialog.getByTestId('decision-classification').selectOption('SECRET');
  await dialog.getByTestId('decision-reason').fill('Handled as SECRET by the liaison cell');
  // A wrong passphrase is refused with the core's reason, and nothing is decided.
  await dialog.getByTestId('passphrase-input').fill('not the passphrase');
  await dialog.getByTestId('passphrase-submit').click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await expect(items).toHaveCount(2);
  await dialog.getByTestId('passphrase-input').fill(PASSPHRASE);
  await dialog.getByTestId('passphrase-submit').click();
  await expect(dialog).toBeHidden();
  const recorded = page.getByTestId('quarantine-recorded');
  await expect(recorded).toContainText('Released');
  await expect(recorded).toContainText('quarantine-released');
  await expect(recorded.getByTestId('recorded-entry')).toHaveText(/^#\d+ decision$/);
  await expect(items).toHaveCount(1);

  await items.getByTestId('quarantine-reject').click();
  await dialog.getByTestId('decision-reason').fill('Not for this exercise');
  await dialog.getByTestId('passphrase-input').fill(PASSPHRASE);
  await dialog.getByTestId('passphrase-submit').click();
  await expect(recorded).toContainText('Rejected');
  await expect(recorded).toContainText('quarantine-rejected');
  await expect(page.getByTestId('quarantine-open')).toHaveText('0 items waiting');

  // The audit log holds both decisions.
  await console.go('audit');
  await expect(page.getByTestId('view-audit')).toContainText('quarantine-released');
  await expect(page.getByTestId('view-audit')).toContainText('quarantine-rejected');

  // Observations: FRA holds DEU's GEHEIM track (NATO SECRET, red) and the released one.
  await console.go('observations');
  await expect(page.getByText('track:rhein-9')).toBeVisible();
  await expect(top).toHaveAttribute('data-tier', '3');
  await expect(top).toContainText('DEU GEHEIM (SECRET)');
  // The hostile infantry track has its APP-6 symbol; the track without a code its fallback.
  await expect(page.locator('[data-testid="app6-symbol"][data-sidc="SHGPUCI----K"]')).toBeVisible();

  // Integrity events: the two translation losses, in words, with their evidence.
  await console.go('integrity');
  // One event for the bundle, its evidence naming what was held.
  await expect(page.locator('[data-testid="integrity-event"][data-kind="translation-loss"]')).toHaveCount(1);
  await expect(page.getByTestId('integrity').first()).toContainText('has no mapping here');
});

test('a bundle dropped on the console is staged by the shell and imported with its progress', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(`${served.url}#/observations`);
  const bytes = readFileSync(seeded.secondBundle).toString('base64');
  const dataTransfer = await page.evaluateHandle((data) => {
    // Runs in the page; the e2e project has no DOM types, so the few members used are named here.
    const dom = globalThis as unknown as { DataTransfer: new () => { items: { add(file: unknown): void } }; File: new (parts: unknown[], name: string, options: object) => unknown };
    const transfer = new dom.DataTransfer();
    const binary = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    transfer.items.add(new dom.File([binary], 'deu-fra-2.bundle', { type: 'application/octet-stream' }));
    return transfer;
  }, bytes);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await expect(page.getByTestId('drop-target')).toBeVisible();
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  // The authority's key signs the import's log entries and receipt: the passphrase, for this import only.
  const dialog = page.getByTestId('passphrase-dialog');
  await dialog.getByTestId('passphrase-input').fill(PASSPHRASE);
  await dialog.getByTestId('passphrase-submit').click();
  const panel = page.getByTestId('bundle-import');
  await expect(panel).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
  await expect(panel.getByTestId('count-admitted')).toHaveText('1 admitted');
  await expect(page.getByText('track:rhein-10')).toBeVisible();
  await page.screenshot({ path: '/tmp/frame-import-dark.png', fullPage: true });
});

for (const theme of ['dark', 'light'] as const) {
  test(`every view has no serious or critical accessibility violation in the ${theme} theme`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: theme });
    const console = new ConsolePage(page);
    await console.open(`${served.url}#/overview`);
    const found: Record<string, string[]> = {};
    for (const view of VIEWS) {
      await console.go(view);
      // Each view's data in place before it is checked: no "Loading…" left.
      await expect(page.getByTestId(`view-${view}`).getByText('Loading…')).toHaveCount(0);
      await page.waitForLoadState('networkidle');
      // The quarantine was decided by the first test: its decided items, with their decisions, are what to show.
      if (view === 'quarantine') {
        await page.getByLabel('show decided items too').check();
        await expect(page.getByTestId('quarantine-item')).toHaveCount(2);
      }
      await page.screenshot({ path: `/tmp/frame-${view}-${theme}.png`, fullPage: true });
      const violations = await seriousViolations(page);
      if (violations.length > 0) found[view] = violations;
    }
    expect(found).toEqual({});
  });
}

test('every control is reachable by keyboard, with a visible focus ring', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(`${served.url}#/quarantine`);
  await page.keyboard.press('Tab');
  await expect(page.locator('.skip-link')).toBeFocused();
  // Tab through the frame and the view: each focused element draws an outline.
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      // Runs in the page; the e2e project has no DOM types, so the few members used are named here.
      type El = { tagName: string; parentElement: El; matches(selector: string): boolean };
      const dom = globalThis as unknown as { document: { activeElement: El | null; body: El }; getComputedStyle(element: El): { outlineStyle: string; outlineWidth: string } };
      const el = dom.document.activeElement;
      if (!el || el === dom.document.body) return 'nothing focused';
      // A visually hidden file input shows its focus on the label around it.
      const style = dom.getComputedStyle(el.matches('input.visually-hidden') ? el.parentElement : el);
      return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 ? 'visible' : `${el.tagName} ${style.outlineStyle} ${style.outlineWidth}`;
    });
    // Past the last control focus leaves the page: the walk ends there.
    if (outline === 'nothing focused' && i >= 6) break;
    expect(outline).toBe('visible');
  }
});
