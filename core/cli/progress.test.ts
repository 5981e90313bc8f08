/**
 * The terminal progress of a long import or export (issue 13, "Gateway bundles": items, rate,
 * time left): at most a line a second on standard error, the rate counted from the phase's start,
 * time left only when the total is known, and nothing at all when standard error is not a terminal.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CliIo } from './command.js';
import { progressReporter } from './progress.js';

function terminal(): { io: CliIo; lines: string[] } {
  const lines: string[] = [];
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (line) => lines.push(line),
    env: {},
    untilStopped: () => new Promise(() => undefined),
    readStdin: () => Promise.resolve(''),
  };
  return { io, lines };
}

describe('progressReporter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-03T08:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('shows lines, rate and time left at most once a second, and how long it took', () => {
    const { io, lines } = terminal();
    const progress = progressReporter(io, true);
    vi.advanceTimersByTime(2_000);
    progress.update('verifying', 4_000, 10_000);
    // Within the second: nothing more.
    vi.advanceTimersByTime(500);
    progress.update('verifying', 5_000, 10_000);
    vi.advanceTimersByTime(1_500);
    progress.update('verifying', 8_000, 10_000);
    progress.done();
    expect(lines).toEqual(['verifying: 4,000 of 10,000 lines (2,000/s, ~3 s left)', 'verifying: 8,000 of 10,000 lines (2,000/s, ~1 s left)', 'done in 4.0 s']);
  });

  it('counts each phase’s rate from its own start, and says no time left without a total', () => {
    const { io, lines } = terminal();
    const progress = progressReporter(io, true);
    vi.advanceTimersByTime(10_000);
    progress.update('verifying', 10_000, 10_000);
    vi.advanceTimersByTime(1_000);
    // The phase starts now, and is first shown a second in: its rate is neither diluted by the ten seconds of verifying nor a count over no time.
    progress.update('admitting', 500, null);
    vi.advanceTimersByTime(500);
    progress.update('admitting', 1_000, null);
    vi.advanceTimersByTime(1_500);
    progress.update('admitting', 3_000, null);
    expect(lines).toEqual(['verifying: 10,000 of 10,000 lines (1,000/s, ~0 s left)', 'admitting: 3,000 lines (1,500/s)']);
  });

  it('is silent when standard error is not a terminal: scripts read the final report', () => {
    const { io, lines } = terminal();
    const progress = progressReporter(io, false);
    vi.advanceTimersByTime(5_000);
    progress.update('writing', 1_000, null);
    progress.done();
    expect(lines).toEqual([]);
  });
});
