/**
 * The console's divergence queue at 100,000 items (issue 16, "Speed"), measured through the
 * browser: a home whose queue holds N items over 2N real signed observations, the built
 * `entente serve` on it, Debian's Chromium on the queue view; the time from navigation to the
 * first rows drawn, and the frame times while the table scrolls (p95, target under 16 ms).
 *
 * Seeding: the queue rows are written by the store's own `upsertQueueItem` over observations
 * stored by `appendObservations`, not produced one by one by the divergence detector: through the
 * pipeline (two meshes observing, a crossing, the detector) a divergence costs a round of CLI
 * calls, and 100,000 of them would take hours here. What the view reads — the rows, their
 * competing observations, the count and order — is the same.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../core/store/database.js';
import { appendObservations } from '../core/store/observation-store.js';
import { upsertQueueItem, type QueueItemRow } from '../core/store/reconcile-store.js';
import { DATABASE_FILE } from '../core/workspace/home.js';
import { mintObservations, rowOf } from './observation-store-fixture.js';
import { measureScroll } from './console-scroll.js';
import { round, type Measurement } from './timing.js';

const CAUSES = ['genuine-disagreement', 'translation-seam', 'suspected-injection'] as const;

/** `home`: seeded once and kept, so a change to the view can be measured again without minutes of seeding. */
export async function consoleQueueFigures(options: { quick: boolean; items?: number; home?: string }): Promise<Measurement[]> {
  const items = options.items ?? (options.quick ? 5_000 : 100_000);
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'entente-bench-queue-'));
  try {
    const seeded = Date.now();
    if (!existsSync(join(home, DATABASE_FILE))) await seedQueue(home, items);
    const seedSeconds = (Date.now() - seeded) / 1000;
    const { firstRowsMs, p95, median, workP95, frames, settledMs, loadedAtEnd } = await measureScroll(home, { route: 'queue', row: 'queue-row', scroll: 'queue-scroll' });
    return [
      { name: `console queue: seeding ${items} items (${2 * items} signed observations, store functions)`, value: round(seedSeconds), unit: 's' },
      { name: `console queue: ${items} items, navigation to first rows drawn`, value: round(firstRowsMs), unit: 'ms' },
      { name: `console queue: ${items} items, scrolling p95 frame interval (${frames} frames; 16.7 ms at 60 Hz when none is dropped)`, value: round(p95), unit: 'ms' },
      { name: `console queue: ${items} items, scrolling median frame`, value: round(median), unit: 'ms' },
      { name: `console queue: scrolling p95 main-thread work per frame (target < 16 ms)`, value: round(workP95), unit: 'ms' },
      { name: `console queue: after the jump, until every row drawn shows its data`, value: round(settledMs), unit: 'ms' },
      { name: `console queue: rows drawn with their data at the end of the scroll (of those on screen)`, value: loadedAtEnd, unit: '%' },
    ];
  } finally {
    if (!options.home) rmSync(home, { recursive: true, force: true });
  }
}

async function seedQueue(home: string, items: number): Promise<void> {
  mkdirSync(home, { recursive: true });
  const db = openDatabase(join(home, DATABASE_FILE));
  try {
    const records = await mintObservations(db, 2 * items, 'batch');
    const rows = records.map(rowOf);
    for (let i = 0; i < rows.length; i += 5_000) appendObservations(db, rows.slice(i, i + 5_000));
    const opened = Date.parse('2026-11-23T08:00:00Z');
    db.transaction(() => {
      for (let n = 0; n < items; n++) {
        const competing = [rows[2 * n]!.id, rows[2 * n + 1]!.id].sort();
        const subject = `track:${String(n).padStart(6, '0')}`;
        const id = createHash('sha256').update(`${subject}\u0000${competing.join('\u0000')}`).digest('hex');
        const at = new Date(opened + n * 1_000).toISOString();
        const row: QueueItemRow = {
          id,
          kind: 'divergence',
          subject,
          status: n % 20 === 0 ? 'escalated' : 'open',
          score: 0.2 + ((n * 7919) % 800) / 1000,
          competing: JSON.stringify(competing),
          fields: JSON.stringify(['lat']),
          cause: CAUSES[n % CAUSES.length]!,
          reasons: JSON.stringify([`the two reports of ${subject} disagree on lat within the concurrency window`]),
          policyChoice: JSON.stringify({ lat: { observation: competing[0], why: `${subject}.lat: the policy originator-wins picked ${competing[0]!.slice(0, 12)}…` } }),
          decision: null,
          openedAt: at,
          updatedAt: at,
        };
        upsertQueueItem(db, row);
      }
    })();
  } finally {
    db.close();
  }
}
