/**
 * A console table scrolled in the browser (issue 16, "Speed"), for the queue and observations
 * benches: the built `entente serve` on a seeded home, Debian's Chromium (software rendering, as
 * on this machine), the time to the first rows drawn, and requestAnimationFrame deltas while the
 * table scrolls — a fast flick, a jump far down, a flick on — of which the p95 is the figure.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from '@playwright/test';

const CLI = join(import.meta.dirname, '..', '..', 'bin', 'entente.mjs');

export interface ScrollFigures {
  /** From navigation to the first row drawn with its data (the page's own clock). */
  readonly firstRowsMs: number;
  readonly p95: number;
  readonly median: number;
  readonly frames: number;
  /** Of the rows in the DOM half a second after the scroll stopped, how many (%) show their data. */
  readonly loadedAtEnd: number;
}

/**
 * Serves `home` with the built `entente serve`, opens `view` in Chromium, waits for the first
 * row with its data, then scrolls the table as an officer flicks through it and times every frame.
 */
export async function measureScroll(home: string, view: { route: string; row: string; scroll: string }): Promise<ScrollFigures> {
  const server = spawn(process.execPath, [CLI, 'serve', '--home', home, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: server.stdout }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
      server.once('exit', (code) => reject(new Error(`entente serve exited with ${code}`)));
    });
    const browser = await chromium.launch({ executablePath: process.env.ENTENTE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${url}#/${view.route}`);
      await page.locator(`[data-testid="${view.row}"][data-item]`).first().waitFor({ timeout: 60_000 });
      // Since navigation started (the page's own clock): what the officer waits for.
      const firstRowsMs = await page.evaluate(() => performance.now());
      const result = await page.evaluate(async ({ row, scroll }) => {
        // Runs in the page; the bench project has no DOM types, so the few members used are named here.
        type Element = { scrollTop: number; hasAttribute(name: string): boolean };
        const page = globalThis as unknown as {
          document: { querySelector(selector: string): Element; querySelectorAll(selector: string): ArrayLike<Element> };
          requestAnimationFrame(callback: () => void): number;
        };
        const scroller = page.document.querySelector(`[data-testid="${scroll}"]`);
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
        const rows = Array.from(page.document.querySelectorAll(`[data-testid="${row}"]`));
        return { times, loaded: rows.filter((r) => r.hasAttribute('data-item')).length, rows: rows.length };
      }, view);
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
