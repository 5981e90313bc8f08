/**
 * The divergence queue against a home made with the CLI (seeded-queue.ts: DEU holds three
 * divergences with NLD): the view renders the real items with their time axis and evidence; the
 * keyboard moves and opens; an officer decides an item end to end — the passphrase asked in the
 * dialog — and the audit log shows the entry; a replay under a draft policy shows a difference.
 */
import { expect, test } from '@playwright/test';
import { ConsolePage } from './pages/console.page.js';
import { QueueView } from './pages/queue.page.js';
import { entente } from './seeded-boundaries.js';
import { seedQueue, type SeededQueue } from './seeded-queue.js';
import { serveConsoleOnTempHome, type ServedConsole } from './served-console.js';

let served: ServedConsole;
let seeded: SeededQueue;
const PASSPHRASE = 'e2e exercise passphrase';

test.beforeAll(async () => {
  test.setTimeout(240_000);
  served = await serveConsoleOnTempHome(async (home) => {
    seeded = await seedQueue(home);
  });
});
test.afterAll(async () => served?.stop());

test('the queue shows the real items; the keyboard moves and opens; the detail draws the histories on one time axis', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(`${served.url}#/queue`);
  const queue = new QueueView(page);
  await queue.waitForRows(3);
  await expect(queue.root.getByTestId('queue-total')).toContainText('3 waiting · 3 open · threshold 0.20');
  for (const subject of Object.keys(seeded.contacts)) await expect(queue.row(subject)).toContainText('DEU · NLD');
  await expect(page.getByTestId('rail-queue')).toContainText('3');
  // The rows name classified subjects: the banner rises to their observations' markings, top and bottom.
  for (const edge of ['top', 'bottom']) {
    const banner = page.getByTestId(`classification-${edge}`);
    await expect(banner).not.toContainText('no labelled data on screen');
    await expect(banner).toContainText(/VS-VERTRAULICH|CONFIDENTIEEL/);
  }

  // Keyboard only: focus the first row, move down with j and the arrow, back with k, open with Enter.
  await queue.rows.first().focus();
  await page.keyboard.press('j');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('k');
  const second = await queue.rows.nth(1).locator('td').first().innerText();
  await queue.waitForFocusedRow(second);
  await page.keyboard.press('Enter');
  await queue.waitForDetail(second);
  await expect(page).toHaveURL(new RegExp(`#/queue/[0-9a-f]{64}$`));

  // Sorting by subject puts q-1 first; the detail of ship:q-1 shows both histories, DEU's as a point, NLD's as an interval.
  await queue.root.getByTestId('queue-sort-subject').click();
  await expect(queue.rows.first()).toContainText('ship:q-1');
  await queue.row('ship:q-1').click();
  await queue.waitForDetail('ship:q-1');
  const axis = queue.detail.getByTestId('time-axis');
  await expect(axis.getByTestId('time-axis-bar')).toHaveCount(2);
  await expect(axis.locator('[data-mesh="DEU"]')).toHaveAttribute('data-bound', 'bounded');
  await expect(axis.locator('[data-mesh="NLD"]')).toHaveAttribute('data-bound', /bounded|open/);
  // The verdict follows the bars: concurrent when they overlap, ordered when not (the CLI's two observations are a second or so apart).
  const concurrent = (await axis.getAttribute('data-concurrent')) === 'true';
  await expect(axis.getByTestId('time-axis-verdict')).toContainText(concurrent ? 'concurrent' : 'ordered');
  await expect(axis.getByTestId('time-axis-concurrent')).toHaveCount(concurrent ? 1 : 0);
  await expect(queue.detail.getByTestId('histories').getByTestId('field-conflict')).toContainText(['kind']);
  await expect(queue.detail.getByTestId('histories')).toContainText('fishing vessel');
  await expect(queue.detail.getByTestId('queue-cause')).toContainText(/injection|disagreement|seam/);
  await expect(queue.detail.getByTestId('queue-policy')).toContainText('originator-wins');
  await expect(queue.detail.getByTestId('queue-lineage').getByTestId('lineage-canvas')).toHaveAttribute('data-layouts', /[1-9]/);

  // Filters: the search and the subject prefix narrow it, a cause nobody has empties it.
  await queue.root.getByTestId('queue-search').fill('q-3');
  await queue.waitForRows(1);
  await queue.root.getByTestId('queue-search').fill('');
  await queue.root.getByTestId('queue-filter-subject').fill('ship:q-2');
  await queue.waitForRows(1);
  await queue.root.getByTestId('queue-filter-subject').fill('');
  await queue.root.getByTestId('queue-filter-mesh').fill('NLD');
  await queue.waitForRows(3);
  await queue.root.getByTestId('queue-filter-cause').selectOption('decision-clash');
  await expect(queue.root.getByText('Nothing in the queue matches this filter.')).toBeVisible();
  await queue.root.getByRole('button', { name: 'Clear' }).click();
  await queue.waitForRows(3);
  await page.screenshot({ path: '/tmp/queue-view.png' });
});

test('an officer decides an item with the passphrase; the item is decided and the log shows the entry', async ({ page }) => {
  const console = new ConsolePage(page);
  const { deu, nld } = seeded.contacts['ship:q-1']!;
  const item = (JSON.parse(entente(served.home, 'DEU', ['queue', 'list', '--json'])) as { items: { id: string; subject: string }[] }).items.find((i) => i.subject === 'ship:q-1')!.id;
  await console.open(`${served.url}#/queue/${item}`);
  const queue = new QueueView(page);
  await queue.waitForDetail('ship:q-1');
  await queue.waitForStatus('open');

  // A wrong passphrase is refused in the dialog, nothing is recorded; the right one signs.
  await queue.decide({ action: 'choose', chooseMesh: 'NLD', reason: 'Boarding team confirms a fishing vessel', passphrase: 'not the passphrase' });
  await expect(queue.dialog.getByRole('alert').or(queue.dialog.locator('.banner-error'))).toBeVisible();
  await expect(queue.dialog.getByTestId('passphrase-input')).toHaveValue('');
  await queue.dialog.getByTestId('passphrase-input').fill(PASSPHRASE);
  await queue.dialog.getByTestId('passphrase-submit').click();
  await expect(queue.dialog).toBeHidden();
  const recorded = await queue.waitForRecorded();
  await queue.waitForStatus('decided');
  await page.screenshot({ path: '/tmp/queue-decided.png' });

  // The item left the working queue (2 remain) and the CLI sees the same decision, with NLD's observation chosen.
  await queue.waitForRows(2);
  const shown = JSON.parse(entente(served.home, 'DEU', ['queue', 'show', item, '--json'])) as { item: { status: string; decision: string } };
  expect(shown.item.status).toBe('decided');
  const picture = JSON.parse(entente(served.home, 'DEU', ['picture', '--subject', 'ship:q-1', '--json'])) as { picture: { items: { state: string; fields: { field: string; observation: string }[] }[] } };
  expect(picture.picture.items[0]!.state).toBe('merged');
  expect(picture.picture.items[0]!.fields.find((f) => f.field === 'kind')!.observation).toBe(nld);
  expect(deu).not.toBe(nld);

  // The audit log view shows the entry the pane named.
  await console.go('audit');
  const entry = console.auditLog.entries.filter({ hasText: 'ship:q-1' }).filter({ hasText: 'decision' }).filter({ has: page.locator('td.mono', { hasText: new RegExp(`^${recorded.seq}$`) }) });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('queue-decided');
  await page.screenshot({ path: '/tmp/queue-audit.png' });
});

test('a replay under a draft policy shows what would differ', async ({ page }) => {
  const console = new ConsolePage(page);
  const item = (JSON.parse(entente(served.home, 'DEU', ['queue', 'list', '--json'])) as { items: { id: string; subject: string }[] }).items.find((i) => i.subject === 'ship:q-2')!.id;
  await console.open(`${served.url}#/queue/${item}`);
  const queue = new QueueView(page);
  await queue.waitForDetail('ship:q-2');
  await queue.detail.getByTestId('queue-replay-toggle').click();
  const replay = queue.detail.getByTestId('replay');
  const policy = replay.getByTestId('replay-policy');
  await expect(policy).toHaveValue(/"arbitration"/);
  // The draft: the same declaration with a threshold nothing here reaches, so every held subject would merge.
  const draft = JSON.parse(await policy.inputValue()) as { arbitration: Record<string, unknown> };
  draft.arbitration = { ...draft.arbitration, divergenceThreshold: 1 };
  await policy.fill(JSON.stringify(draft, null, 2));
  await replay.getByTestId('replay-run').click();
  await expect(replay.getByTestId('replay-found')).not.toHaveText('0 difference(s)');
  await expect(replay.getByTestId('replay-difference').filter({ hasText: 'ship:q-2' }).first()).toContainText('held');
  await queue.detail.getByTestId('replay').scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/queue-replay.png' });

  // A draft that is not a declaration is refused with the core's reason, and nothing changes.
  await policy.fill('{"type":"entente.federation/v1"}');
  await replay.getByTestId('replay-run').click();
  await expect(replay).toContainText('malformed-declaration');
});
