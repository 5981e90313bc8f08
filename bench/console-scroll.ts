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
  /** requestAnimationFrame intervals while scrolling: at 60 Hz never under 16.7 ms; above it, frames were dropped. */
  readonly p95: number;
  readonly median: number;
  /** The main thread's work per frame (from its animation frame to after its rendering and React's render of the scroll). */
  readonly workP95: number;
  readonly frames: number;
  /** After the scroll stopped, until every row drawn shows its data (its page came from the core). */
  readonly settledMs: number;
  /** Of the rows drawn then (or after 10 s), how many (%) show their data. */
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
          MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(message: unknown): void } };
        };
        const scroller = page.document.querySelector(`[data-testid="${scroll}"]`);
        /** After this frame's style, layout and paint, and the tasks queued before (React's render of the scroll): a posted message. */
        const afterRendering = () =>
          new Promise<void>((resolve) => {
            const channel = new page.MessageChannel();
            channel.port1.onmessage = () => resolve();
            channel.port2.postMessage(null);
          });
        const times: number[] = [];
        const work: number[] = [];
        let last = performance.now();
        // Three screens a second at 60 Hz: a fast flick down the table, then a jump far down and on.
        for (let i = 0; i < 240; i++) {
          scroller.scrollTop += i === 120 ? 2_000_000 : 36;
          await new Promise<void>((resolve) => page.requestAnimationFrame(() => resolve()));
          const now = performance.now();
          times.push(now - last);
          last = now;
          await afterRendering();
          work.push(performance.now() - now);
        }
        // The rows on screen after the jump wait for their page from the core: how long until every one shows its data.
        const stopped = performance.now();
        const rowsNow = () => Array.from(page.document.querySelectorAll(`[data-testid="${row}"]`));
        while (rowsNow().some((r) => !r.hasAttribute('data-item')) && performance.now() - stopped < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
        const settledMs = performance.now() - stopped;
        const rows = rowsNow();
        return { times, work, settledMs, loaded: rows.filter((r) => r.hasAttribute('data-item')).length, rows: rows.length };
      }, view);
      const sorted = [...result.times].sort((a, b) => a - b);
      const work = [...result.work].sort((a, b) => a - b);
      return {
        firstRowsMs,
        p95: sorted[Math.floor(sorted.length * 0.95)]!,
        median: sorted[Math.floor(sorted.length / 2)]!,
        workP95: work[Math.floor(work.length * 0.95)]!,
        frames: sorted.length,
        settledMs: result.settledMs,
        loadedAtEnd: Math.round((100 * result.loaded) / Math.max(1, result.rows)),
      };
    } finally {
      await browser.close();
    }
  } finally {
    server.kill('SIGTERM');
  }
}
