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
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from '@playwright/test';
import { openDatabase } from '../core/store/database.js';
import { appendObservations } from '../core/store/observation-store.js';
import { upsertQueueItem, type QueueItemRow } from '../core/store/reconcile-store.js';
import { DATABASE_FILE } from '../core/workspace/home.js';
import { mintObservations, rowOf } from './observation-store-fixture.js';
import { round, type Measurement } from './timing.js';

const CLI = join(import.meta.dirname, '..', '..', 'bin', 'entente.mjs');
const CAUSES = ['genuine-disagreement', 'translation-seam', 'suspected-injection'] as const;

export async function consoleQueueFigures(options: { quick: boolean; items?: number }): Promise<Measurement[]> {
  const items = options.items ?? (options.quick ? 5_000 : 100_000);
  const home = mkdtempSync(join(tmpdir(), 'entente-bench-queue-'));
  try {
    const seeded = Date.now();
    await seedQueue(home, items);
    const seedSeconds = (Date.now() - seeded) / 1000;
    const { firstRowsMs, p95, median, frames, loadedAtEnd } = await measure(home);
    return [
      { name: `console queue: seeding ${items} items (${2 * items} signed observations, store functions)`, value: round(seedSeconds), unit: 's' },
      { name: `console queue: ${items} items, navigation to first rows drawn`, value: round(firstRowsMs), unit: 'ms' },
      { name: `console queue: ${items} items, scrolling p95 frame (${frames} frames; target < 16 ms)`, value: round(p95), unit: 'ms' },
      { name: `console queue: ${items} items, scrolling median frame`, value: round(median), unit: 'ms' },
      { name: `console queue: rows drawn with their data at the end of the scroll (of those on screen)`, value: loadedAtEnd, unit: '%' },
    ];
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

async function seedQueue(home: string, items: number): Promise<void> {
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

async function measure(home: string) {
  const server = spawn(process.execPath, [CLI, 'serve', '--home', home, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: server.stdout }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
      server.once('exit', (code) => reject(new Error(`entente serve exited with ${code}`)));
    });
    const browser = await chromium.launch({ executablePath: process.env.ENTENTE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${url}#/queue`);
      await page.locator('[data-testid="queue-row"][data-item]').first().waitFor({ timeout: 60_000 });
      // Since navigation started (the page's own clock): what the officer waits for.
      const firstRowsMs = await page.evaluate(() => performance.now());
      const result = await page.evaluate(async () => {
        // Runs in the page; the bench project has no DOM types, so the few members used are named here.
        type Element = { scrollTop: number; hasAttribute(name: string): boolean };
        const page = globalThis as unknown as {
          document: { querySelector(selector: string): Element; querySelectorAll(selector: string): ArrayLike<Element> };
          requestAnimationFrame(callback: () => void): number;
        };
        const scroller = page.document.querySelector('[data-testid="queue-scroll"]');
        const times: number[] = [];
        let last = performance.now();
        // Three screens a second at 60 Hz: a fast flick down the queue, then a jump far down and on.
        for (let i = 0; i < 240; i++) {
          scroller.scrollTop += i === 120 ? 2_000_000 : 36;
          await new Promise<void>((resolve) => page.requestAnimationFrame(() => resolve()));
          const now = performance.now();
          times.push(now - last);
          last = now;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
        const rows = Array.from(page.document.querySelectorAll('[data-testid="queue-row"]'));
        return { times, loaded: rows.filter((r) => r.hasAttribute('data-item')).length, rows: rows.length };
      });
      const sorted = [...result.times].sort((a, b) => a - b);
      return {
        firstRowsMs,
        p95: sorted[Math.floor(sorted.length * 0.95)]!,
        median: sorted[Math.floor(sorted.length / 2)]!,
        frames: sorted.length,
        loadedAtEnd: Math.round((100 * result.loaded) / Math.max(1, result.rows)),
      };
    } finally {
      await browser.close();
    }
  } finally {
    server.kill('SIGTERM');
  }
}
