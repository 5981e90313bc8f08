/**
 * The board, the lineage graph and the provenance browser against homes made with the CLI
 * (seeded-boundaries.ts): two partners' link states, one changed live by `entente agent
 * disconnect` in another process; a crossed observation's chain; the graph expanding, focusing a
 * path and exporting PNG and SVG. No Content Security Policy violation on the way.
 */
import { useBoundariesConsole } from './boundaries-console.js';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { BoundaryBoard } from './pages/boundaries.page.js';
import { ConsolePage } from './pages/console.page.js';
import { LineageGraphPage } from './pages/lineage.page.js';
import { ProvenancePage } from './pages/provenance.page.js';
import { entente } from './seeded-boundaries.js';

const homes = useBoundariesConsole();

/** Every CSP violation the page reports; the console must cause none. */
function cspViolations(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) found.push(message.text());
  });
  return found;
}

test('the board shows both partners and follows a disconnection live', async ({ page }) => {
  const violations = cspViolations(page);
  const console = new ConsolePage(page);
  await console.open(`${homes.served.url}#/boundaries`);
  const board = new BoundaryBoard(page);
  await board.waitForLinkState('NLD', homes.seeded.withNld, 'up', 'Up');
  await board.waitForLinkState('POL', homes.seeded.withPol, 'never-contacted', 'Never contacted');
  await expect(board.card('NLD').getByTestId('credentials')).toContainText('DEU:gw-1');
  await expect(board.card('NLD').getByTestId('credentials')).toContainText('NLD:gw-1');
  // The link's sync left a two-way clock sample: the offset is an interval (RFC 5905 §8).
  await expect(board.card('NLD').getByTestId('clock-offset')).toHaveText(/^[+−][\d,]+ ms … [+−][\d,]+ ms$/);
  await page.screenshot({ path: '/tmp/board-boundaries.png', fullPage: true });

  // The officer disconnects NLD from the command line, in a process of its own.
  entente(homes.served.home, 'DEU', ['agent', 'disconnect', '--partner', 'NLD']);
  await board.waitForLinkState('NLD', homes.seeded.withNld, 'intentionally-disconnected', 'Disconnected (intended)', { timeout: 10_000 });
  await board.waitForLinkState('POL', homes.seeded.withPol, 'never-contacted', 'Never contacted');
  await page.screenshot({ path: '/tmp/board-boundaries-disconnected.png', fullPage: true });
  entente(homes.served.home, 'DEU', ['agent', 'connect', '--partner', 'NLD']);
  await board.waitForLinkState('NLD', homes.seeded.withNld, 'up', 'Up', { timeout: 10_000 });
  expect(violations).toEqual([]);
});

test('the provenance browser shows a crossed observation\'s chain', async ({ page }) => {
  const console = new ConsolePage(page);
  await console.open(`${homes.served.url}#/provenance/${homes.seeded.fused}`);
  const provenance = new ProvenancePage(page);
  await provenance.waitForSteps(3);
  await expect(provenance.step(0)).toContainText('fuse-tracks@1.0');
  await expect(provenance.step(0).getByRole('link', { name: homes.seeded.crossed })).toBeVisible();
  // Its sources in breadth order: DEU's own track and NLD's, crossed.
  const crossed = provenance.steps.filter({ hasText: 'track:nl-1' });
  await expect(crossed).toContainText('NLD');
  await expect(crossed.getByTestId('crossing-facts')).toContainText('NLD:gw-1');
  await expect(crossed.getByTestId('crossing-facts')).toContainText(`${homes.seeded.withNld} v1`);
  await expect(crossed.getByTestId('alternative-label')).toContainText('DEU GEHEIM');
  await expect(crossed.getByTestId('chain-event').first()).toBeVisible();
  await provenance.verifyLog();
  await expect(provenance.step(0).getByTestId('chain-event').first()).toContainText('yes');
  await page.screenshot({ path: '/tmp/board-provenance.png', fullPage: true });

  // The chain is linkable: a source's link opens its own chain in the URL.
  await crossed.scrollIntoViewIfNeeded();
  await provenance.step(0).getByRole('link', { name: homes.seeded.crossed }).click();
  await expect(page).toHaveURL(new RegExp(`#/provenance/${homes.seeded.crossed}$`));
  await provenance.waitForSteps(1);
});

test('the lineage graph expands, focuses a path and exports PNG and SVG', async ({ page }) => {
  const violations = cspViolations(page);
  const graph = new LineageGraphPage(page);
  await graph.open(homes.served.url, homes.seeded.assessed);
  // Two steps from the assessment: the fusion and its two sources, NLD's with its crossing and translation.
  await graph.waitForLaidOut(6);
  await graph.setSteps(1);
  await page.getByTestId('lineage-reload').click();
  await graph.waitForLaidOut(2, 2);
  await graph.select(homes.seeded.fused);
  await expect(page.getByTestId('expand-ancestors')).toBeEnabled();
  await page.getByTestId('expand-ancestors').click();
  await graph.waitForLaidOut(6, 3);
  await expect(graph.summary).toContainText('6 nodes, 5 edges');

  await graph.select(homes.seeded.crossed);
  await expect(graph.detail).toContainText('NLD');
  await page.getByTestId('path-from').click();
  await graph.select(homes.seeded.assessed);
  await page.getByTestId('path-to').click();
  await expect(page.getByTestId('lineage-path')).toContainText('path of 2 steps');
  await page.screenshot({ path: '/tmp/board-lineage.png', fullPage: true });

  const png = await graph.exportPng();
  const pngBytes = readFileSync(await png.path());
  expect(pngBytes.length).toBeGreaterThan(1000);
  expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const svg = readFileSync(await (await graph.exportSvg()).path(), 'utf8');
  expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('track:nl-1');
  expect(svg.match(/<line /g)).toHaveLength(5);
  expect(violations).toEqual([]);
});
