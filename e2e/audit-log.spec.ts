/** The reconciliation log in the console: the timeline with who, what and why, its filters, and its verification state. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ConsolePage } from './console.page.js';
import { seedWorkspace } from './seeded-workspace.js';
import { serveConsoleOnTempHome, type ServedConsole } from './served-console.js';

let served: ServedConsole;
test.afterEach(async () => {
  await served.stop();
});

test('shows the log as a filterable timeline and verifies it on request', async ({ page }, testInfo) => {
  served = await serveConsoleOnTempHome((home) => void seedWorkspace(home));
  const console = new ConsolePage(page);
  await console.open(served.url);
  const log = page.getByTestId('audit-log');

  // mesh init, two enrolments, three observations: six entries, newest first.
  await expect(log.getByTestId('audit-total')).toHaveText('6 entries');
  const entries = log.getByTestId('audit-entry');
  await expect(entries).toHaveCount(6);
  await expect(entries.first()).toContainText('observation');
  await expect(entries.first()).toContainText('device uav-7 @ DEU');
  await expect(entries.first()).toContainText('derivation: fuse-tracks@1.0');
  await expect(entries.first()).toContainText('derived');
  await expect(entries.last()).toContainText('mesh authority @ DEU');
  await expect(entries.last()).toContainText('mesh-initialised');
  await expect(log.getByTestId('audit-state')).toContainText('Last checkpoint: size 6');
  await expect(log.getByTestId('audit-verification')).toContainText('Not verified in this session');

  await log.getByTestId('audit-filter-type').selectOption('credential');
  await log.getByRole('button', { name: 'Apply' }).click();
  await expect(entries).toHaveCount(3);
  await expect(entries.filter({ hasText: 'enrolled' })).toHaveCount(2);

  await log.getByTestId('audit-filter-type').selectOption('');
  await log.getByTestId('audit-filter-subject').fill('track:4711');
  await log.getByRole('button', { name: 'Apply' }).click();
  await expect(entries).toHaveCount(3);
  await expect(entries.filter({ hasText: 'recorded' })).toHaveCount(2);

  await log.getByRole('button', { name: 'Verify log' }).click();
  await expect(log.getByTestId('audit-verification')).toContainText('verified: 6 entries, 6 checkpoints');
  await log.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('audit-log.png'), fullPage: true });
});

test('names the failure when the log was edited in the file', async ({ page }) => {
  served = await serveConsoleOnTempHome((home) => {
    seedWorkspace(home);
    // What someone holding the file could do: drop the store's guard and rewrite an entry.
    const db = new Database(join(home, 'entente.db'));
    db.exec('DROP TRIGGER audit_entries_are_immutable');
    db.prepare("UPDATE audit_entries SET entry = replace(entry, 'radar-2', 'radar-9') WHERE seq = 2").run();
    db.close();
  });
  const console = new ConsolePage(page);
  await console.open(served.url);
  const log = page.getByTestId('audit-log');
  await log.getByRole('button', { name: 'Verify log' }).click();
  await expect(log.getByTestId('audit-verification')).toContainText('does not verify');
  await expect(log.getByTestId('audit-failure').first()).toContainText('entry-changed');
  await expect(log.getByTestId('audit-failure').first()).toContainText('Entry 2 does not hash to the id stored with it');
  // Every checkpoint signed after the edited entry (sizes 3 to 6) no longer matches.
  await expect(log.getByTestId('audit-failure').filter({ hasText: 'root-mismatch' })).toHaveCount(4);
});
