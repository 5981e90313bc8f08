/**
 * The after-action export and the long operations in the console (issue 16), against homes made
 * with the CLI (seeded-boundaries.ts: NLD's track crossed into DEU and fused there). The provenance
 * browser searches by federation and subject, exports the selection signed with the passphrase,
 * its progress heard; the downloaded bundle verifies with the CLI alone, and the report opens in
 * Chromium with nothing fetched. The audit view verifies the log with its progress.
 */
import { useBoundariesConsole } from './boundaries-console.js';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AfterActionPage } from './pages/after-action.page.js';
import { ConsolePage } from './pages/console.page.js';

const PASSPHRASE = 'e2e exercise passphrase';
const CLI = join(import.meta.dirname, '..', 'bin', 'entente.mjs');

const homes = useBoundariesConsole();

test('the provenance browser searches, exports the after-action bundle and report, and the bundle verifies offline', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const console = new ConsolePage(page);
  await console.open(`${homes.served.url}#/provenance`);
  const aar = new AfterActionPage(page);
  await expect(aar.search).toBeVisible();

  // By federation: only what crossed under it (NLD's track, and the fusion whose entries name it).
  await aar.query({ federation: homes.seeded.withNld });
  await expect(aar.results.filter({ hasText: 'track:nl-1' })).toHaveCount(1);
  await aar.query({ federation: '', subject: 'track:4711-f' });
  await aar.waitForResults(1);
  await expect(aar.results.first()).toContainText('track:4711-fused');

  await aar.recordProgress();
  await aar.exportSigned(PASSPHRASE);
  await expect(page.getByTestId('after-action-done')).toContainText('1 observation');
  await expect(page.getByTestId('after-action-done')).toContainText('3 records');
  await expect.poll(async () => (await aar.progressHeard()).filter((p) => p.kind === 'after-action-export').map((p) => p.state)).toEqual(expect.arrayContaining(['running', 'done']));
  expect((await aar.progressHeard()).some((p) => p.phase === 'walking the chains' || p.phase === 'hashing the log')).toBe(true);
  await page.screenshot({ path: '/tmp/aar-provenance-export.png', fullPage: true });

  const bundle = await aar.save('bundle');
  const bundlePath = testInfo.outputPath(bundle.suggestedFilename());
  await bundle.saveAs(bundlePath);
  expect(bundle.suggestedFilename()).toMatch(/^after-action-DEU-\d{8}T\d{6}Z\.bundle\.json$/);
  const verified = JSON.parse(execFileSync(process.execPath, [CLI, 'provenance', 'verify', bundlePath, '--json'], { encoding: 'utf8' })) as Record<string, unknown>;
  expect(verified).toMatchObject({ ok: true, mesh: 'DEU', selected: 1, observations: 3 });

  const report = await aar.save('html');
  const reportPath = testInfo.outputPath(report.suggestedFilename());
  await report.saveAs(reportPath);
  const html = readFileSync(reportPath, 'utf8');
  expect(html).toContain('Crossed into DEU from <strong>NLD</strong>');
  await expect(page.getByTestId('after-action-saved')).toContainText('.html');

  // The report on its own, as an auditor opens it: nothing fetched, banner top and bottom.
  const reader = await page.context().newPage();
  const requests: string[] = [];
  reader.on('request', (request) => requests.push(request.url()));
  await reader.goto(`file://${reportPath}`);
  await expect(reader.locator('.banner')).toHaveCount(2);
  await expect(reader.locator('h1')).toContainText('After-action report of mesh DEU');
  await reader.screenshot({ path: '/tmp/aar-report.png', fullPage: true });
  expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
  await reader.close();
  expect(violations).toEqual([]);
});

test('the chain view exports just that chain', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(`${homes.served.url}#/provenance/${homes.seeded.crossed}`);
  const aar = new AfterActionPage(page);
  await aar.exportSigned(PASSPHRASE);
  await expect(page.getByTestId('after-action-done')).toContainText('1 observation');
});

test('the audit view verifies the log with its progress, and exports it', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(homes.served.url);
  await console.go('audit');
  const aar = new AfterActionPage(page);
  await aar.recordProgress();
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-verification')).toContainText('verified', { timeout: 30_000 });
  // The last event may reach the page just after the answer: heard, not raced.
  await expect.poll(async () => (await aar.progressHeard()).filter((p) => p.kind === 'audit-verification').map((p) => p.state)).toEqual(expect.arrayContaining(['running', 'done']));
  expect((await aar.progressHeard()).some((p) => p.phase === 'verifying')).toBe(true);

  await page.getByTestId('audit-export-format').selectOption('html');
  await page.getByTestId('audit-export-start').click();
  await expect(page.getByTestId('audit-export-done')).toBeVisible({ timeout: 30_000 });
  const downloading = page.waitForEvent('download');
  await page.getByTestId('audit-export-save').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^audit-DEU-.*\.html$/);
  await page.screenshot({ path: '/tmp/aar-audit.png', fullPage: true });
});
