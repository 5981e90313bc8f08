/**
 * Progress of a long import or export, for a person at a terminal: at most one line a second on
 * standard error — lines done, rate, and time left when the total is known. Silent when standard
 * error is not a terminal (scripts read the final report, not the progress).
 */
import type { CliIo } from './command.js';

export interface ProgressReporter {
  update(phase: string, done: number, total: number | null): void;
  done(): void;
}

export function progressReporter(io: CliIo, interactive = process.stderr.isTTY === true): ProgressReporter {
  const started = Date.now();
  let phaseStarted = started;
  let phase: string | undefined;
  let shownAt = 0;
  let shown = false;
  return {
    update(next, done, total) {
      if (!interactive) return;
      const now = Date.now();
      if (next !== phase) {
        // The first phase runs from the command's start; a later one from its own, and is first shown a second in,
        // when it has a rate to show (at its first instant, any count over no time reads as millions a second).
        if (phase !== undefined) {
          phaseStarted = now;
          shownAt = now;
        }
        phase = next;
      }
      if (now - shownAt < 1_000) return;
      shownAt = now;
      shown = true;
      const rate = done / Math.max((now - phaseStarted) / 1_000, 0.001);
      const left = total !== null && rate > 0 ? `, ~${Math.ceil((total - done) / rate)} s left` : '';
      io.stderr(`${phase}: ${done.toLocaleString('en')} ${total === null ? '' : `of ${total.toLocaleString('en')} `}lines (${Math.round(rate).toLocaleString('en')}/s${left})`);
    },
    done() {
      if (interactive && shown) io.stderr(`done in ${((Date.now() - started) / 1_000).toFixed(1)} s`);
    },
  };
}
