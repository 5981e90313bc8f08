/** The reconciliation log in the console: the timeline with who, what and why, its filters, and its verification state. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { ConsolePage } from './pages/console.page.js';
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
  await console.go('audit');
  const log = console.auditLog;

  // mesh init, two enrolments, three observations: six entries, newest first.
  await log.waitForLogSize(6);
  await log.waitForEntryCount(6);
  await log.waitForNewestEntry('observation');
  await log.waitForNewestEntry('device uav-7 @ DEU');
  await log.waitForNewestEntry('derivation: fuse-tracks@1.0');
  await log.waitForNewestEntry('derived');
  await log.waitForOldestEntry('mesh authority @ DEU');
  await log.waitForOldestEntry('mesh-initialised');
  await log.waitForCheckpoint(6);
  await log.waitForNotVerified();

  await log.filter({ type: 'credential' });
  await log.waitForEntryCount(3);
  await log.waitForEntriesWith('enrolled', 2);

  await log.filter({ type: '', subject: 'track:4711' });
  await log.waitForEntryCount(3);
  await log.waitForEntriesWith('recorded', 2);

  await log.verify();
  await log.waitForVerified(6, 6);
  await log.root.scrollIntoViewIfNeeded();
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
  await console.go('audit');
  const log = console.auditLog;
  await log.verify();
  await log.waitForVerificationFailed();
  await log.waitForFirstFailure('entry-changed');
  await log.waitForFirstFailure('Entry 2 does not hash to the id stored with it');
  // Every checkpoint signed after the edited entry (sizes 3 to 6) no longer matches.
  await log.waitForFailureCount('root-mismatch', 4);
});
