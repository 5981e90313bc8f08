/**
 * The queue view's pure parts: the time axis's geometry (intervals, points, open sides, what is
 * concurrent) and the page loader (pages asked once, in order, refreshed on events, a refusal kept).
 */
import { describe, expect, it } from 'vitest';
import type { Envelope, MethodArgs } from '../../../../core/api/index.js';
import { QueuePages, type QueuePage, type QueueRow } from './queue-pages.js';
import { queryOf } from './queue-store.js';
import { axisModel, barOf, describeBar, scale, ticks } from './time-axis.js';

const at = (s: number) => new Date(Date.parse('2026-11-23T08:00:00Z') + s * 1000).toISOString();

describe('the time axis', () => {
  it('draws our own observation as a point, a foreign one as its interval, and finds where they overlap', () => {
    const model = axisModel([
      { id: 'a', mesh: 'DEU', statedAt: at(10), derivedTime: { lo: at(10), hi: at(10) } },
      { id: 'b', mesh: 'NLD', statedAt: at(12), derivedTime: { lo: at(8), hi: at(11) } },
    ]);
    expect(model.bars.map((b) => b.bound)).toEqual(['bounded', 'bounded']);
    expect(model.concurrent).toEqual([[0, 1]]);
    expect(model.common).toEqual({ lo: Date.parse(at(10)), hi: Date.parse(at(10)) });
    expect(describeBar(model.bars[0]!)).toContain('a point');
    expect(describeBar(model.bars[1]!)).toBe('08:00:08.000 – 08:00:11.000 UTC (±1,500 ms)');
    // Every finite bound is inside the window drawn.
    const x = scale(model, 400);
    for (const bar of model.bars) expect([x(bar.lo), x(bar.hi)].every((v) => v > 0 && v < 400)).toBe(true);
  });

  it('orders intervals that do not overlap, and never calls them concurrent', () => {
    const model = axisModel([
      { id: 'a', mesh: 'DEU', statedAt: at(0), derivedTime: { lo: at(0), hi: at(0) } },
      { id: 'b', mesh: 'NLD', statedAt: at(5), derivedTime: { lo: at(4.99), hi: at(5.01) } },
    ]);
    expect(model.concurrent).toEqual([]);
    expect(model.common).toBeNull();
  });

  it('runs an unbounded side to the edge, and draws an unknown clock apart', () => {
    const open = barOf({ id: 'c', mesh: 'POL', statedAt: at(3), derivedTime: { lo: at(1), hi: null } });
    expect(open.bound).toBe('open');
    expect(open.hi).toBe(Number.POSITIVE_INFINITY);
    expect(describeBar(open)).toContain('no upper bound');
    const unknown = barOf({ id: 'd', mesh: 'FRA', statedAt: at(3), derivedTime: null });
    expect(unknown.bound).toBe('unknown');
    expect(describeBar(unknown)).toContain('no clock sample');
    const model = axisModel([{ id: 'c', mesh: 'POL', statedAt: at(3), derivedTime: { lo: at(1), hi: null } }, { id: 'e', mesh: 'DEU', statedAt: at(9), derivedTime: { lo: at(9), hi: at(9) } }]);
    // The open bar reaches past the point: concurrent, as nothing bounds it above.
    expect(model.concurrent).toEqual([[0, 1]]);
    expect(scale(model, 300)(open.hi)).toBe(300);
  });

  it('puts round ticks inside the window', () => {
    const window = { from: Date.parse(at(0)), to: Date.parse(at(47)) };
    const marks = ticks(window);
    expect(marks.length).toBeGreaterThan(1);
    expect(marks.length).toBeLessThanOrEqual(6);
    expect(marks.every((t) => t >= window.from && t <= window.to && t % 10_000 === 0)).toBe(true);
  });
});

const row = (n: number) => ({ id: n.toString(16).padStart(64, '0'), subject: `track:${n}` }) as unknown as QueueRow;

/** A core holding `total` items: answers pages of them and records what was asked. */
function fakeCore(total: number) {
  const asked: MethodArgs<'listQueue'>[] = [];
  let refuse = false;
  const list = async (args: MethodArgs<'listQueue'>): Promise<Envelope<QueuePage>> => {
    asked.push(args);
    await Promise.resolve();
    if (refuse) return { ok: false, error: { code: 'refused', reason: 'unavailable', message: 'the core is busy' } };
    const offset = args.offset ?? 0;
    const items = Array.from({ length: Math.max(0, Math.min(args.limit ?? 100, total - offset)) }, (_, i) => row(offset + i));
    return { ok: true, value: { open: total, total, threshold: 0.2, federation: null, items } };
  };
  return { asked, list, refuseNext: () => (refuse = true) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the queue pages', () => {
  it('asks each page once, only those shown, and knows the total and threshold from the first', async () => {
    const core = fakeCore(1_000);
    const pages = new QueuePages(core.list, queryOf({}, { sort: 'score', descending: true }), 100);
    pages.ensure(0, 30);
    pages.ensure(0, 30);
    await settle();
    expect(core.asked).toEqual([{ all: false, sort: 'score', descending: true, limit: 100, offset: 0 }]);
    expect(pages.getState()).toMatchObject({ total: 1_000, threshold: 0.2, error: null });
    expect(pages.row(42)?.subject).toBe('track:42');
    expect(pages.row(142)).toBeUndefined();
    pages.ensure(150, 260);
    await settle();
    expect(core.asked.map((a) => a.offset)).toEqual([0, 100, 200]);
    expect(pages.row(260)?.subject).toBe('track:260');
    // Past the end nothing is asked.
    pages.ensure(990, 5_000);
    await settle();
    expect(core.asked.map((a) => a.offset)).toEqual([0, 100, 200, 900]);
  });

  it('refreshes the pages shown on an event and keeps a refusal to show', async () => {
    const core = fakeCore(500);
    const pages = new QueuePages(core.list, queryOf({ mesh: 'N', search: '  frigate ' }, { sort: 'opened', descending: false }), 100);
    pages.ensure(0, 10);
    await settle();
    // A half-typed mesh code is not asked; the search is trimmed.
    expect(core.asked[0]).toEqual({ all: false, search: 'frigate', sort: 'opened', descending: false, limit: 100, offset: 0 });
    pages.refresh(120, 130);
    await settle();
    expect(core.asked.map((a) => a.offset)).toEqual([0, 100]);
    expect(pages.row(5)).toBeUndefined();
    expect(pages.row(125)?.subject).toBe('track:125');
    core.refuseNext();
    pages.refresh(0, 10);
    await settle();
    expect(pages.getState().error).toMatchObject({ reason: 'unavailable' });
  });
});

describe('the shared page loader under a flick', () => {
  it('keeps two calls in flight at most and never asks for pages scrolled past before their turn', async () => {
    const core = fakeCore(100_000);
    const pages = new QueuePages(core.list, queryOf({}, { sort: 'score', descending: true }), 100);
    pages.ensure(0, 30);
    await settle();
    // A flick: every window passes while the first calls are still out.
    for (let first = 0; first < 1_000; first += 10) pages.ensure(first, first + 30);
    pages.ensure(50_000, 50_250);
    expect(core.asked.length).toBeLessThanOrEqual(3);
    await settle();
    await settle();
    await settle();
    const offsets = core.asked.map((a) => a.offset);
    // The rows now on screen are in; the pages flicked over in between were never asked.
    expect(pages.row(50_000)?.subject).toBe('track:50000');
    expect(pages.row(50_250)?.subject).toBe('track:50250');
    expect(offsets.filter((o) => o! > 200 && o! < 50_000)).toEqual([]);
  });

  it('does not ask again at once after a refusal', async () => {
    const core = fakeCore(1_000);
    core.refuseNext();
    const pages = new QueuePages(core.list, queryOf({}, { sort: 'score', descending: true }), 100);
    pages.ensure(0, 250);
    await settle();
    await settle();
    expect(pages.getState().error).toMatchObject({ reason: 'unavailable' });
    expect(core.asked.length).toBe(1);
  });
});
