/**
 * The console's observations table at 100,000 observations (issue 16, "Speed"), measured through
 * the browser as the queue is (bench/console-scroll.ts): a home holding N real observations
 * signed by an enrolled device and stored by the store's own `appendObservations`
 * (bench/observation-store-fixture.ts), the built `entente serve` on it, Chromium on the
 * observations view; the time to the first rows drawn and the frame times while it scrolls (p95,
 * target under 16 ms). Every row the table draws is verified by the core as it is listed.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATABASE_FILE } from '../core/workspace/home.js';
import { measureScroll } from './console-scroll.js';
import { buildObservationStore } from './observation-store-fixture.js';
import { round, type Measurement } from './timing.js';

/** `home`: seeded once and kept, so a change to the view can be measured again without seeding. */
export async function consoleObservationFigures(options: { quick: boolean; observations?: number; home?: string }): Promise<Measurement[]> {
  const count = options.observations ?? (options.quick ? 5_000 : 100_000);
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'entente-bench-observations-view-'));
  try {
    const seeded = Date.now();
    if (!existsSync(join(home, DATABASE_FILE))) {
      mkdirSync(home, { recursive: true });
      // Batch-signed (one signature over a thousand records' hashes): real records, minted in seconds rather than minutes.
      await buildObservationStore(join(home, DATABASE_FILE), count, 'batch');
    }
    const seedSeconds = (Date.now() - seeded) / 1000;
    const { firstRowsMs, p95, median, workP95, frames, settledMs, loadedAtEnd } = await measureScroll(home, { route: 'observations', row: 'observation-row', scroll: 'observations-scroll' });
    return [
      { name: `console observations: seeding ${count} signed observations (store functions)`, value: round(seedSeconds), unit: 's' },
      { name: `console observations: ${count} observations, navigation to first rows drawn`, value: round(firstRowsMs), unit: 'ms' },
      { name: `console observations: ${count} observations, scrolling p95 frame interval (${frames} frames; 16.7 ms at 60 Hz when none is dropped)`, value: round(p95), unit: 'ms' },
      { name: `console observations: ${count} observations, scrolling median frame`, value: round(median), unit: 'ms' },
      { name: `console observations: scrolling p95 main-thread work per frame (target < 16 ms)`, value: round(workP95), unit: 'ms' },
      { name: `console observations: after the jump, until every row drawn shows its data`, value: round(settledMs), unit: 'ms' },
      { name: `console observations: rows drawn with their data at the end of the scroll (of those on screen)`, value: loadedAtEnd, unit: '%' },
    ];
  } finally {
    if (!options.home) rmSync(home, { recursive: true, force: true });
  }
}
