/**
 * Mesh-derived time on real homes (0007 "Time"): a bundle from a partner whose clock runs two
 * hours ahead gives a one-way sample at its import, link samples (stored through the links'
 * store function) bound it from both sides, a foreign observation's time is an interval in our
 * clock and our own a point, and samples that contradict each other are one integrity event,
 * however often the interval is read again.
 */
import { describe, expect, it } from 'vitest';
import { crossBundle, federate, nationalLabel } from '../../test-support/federated-homes.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import { insertClockSamples } from '../../store/link-store.js';
import { noteClockSamples } from './offsets.js';
import { recordConcurrentArbitration } from './ordering-log.js';

const home = useTestHomes('entente-time-');
const HOUR = 3_600_000;

async function observe(h: TestHome, subject: string, derivedFrom: string[] = []) {
  return h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, h.code === 'NLD' ? 'Stg. GEHEIM' : 'GEHEIM'), payloadText: '{"lat":54.1,"lon":12.2}', derivedFrom, derivation: derivedFrom.length > 0 ? { name: 'fuse', version: '1' } : null });
}

/** A link's exchange as session.ts stores it: t1 our send, t2/t3 their receive/send, t4 our receive. */
function linkSample(h: TestHome, partner: string, federation: string, t1: number, theirOffset: number, delay = 20) {
  const t2 = t1 + delay / 2 + theirOffset;
  const sample = { partner, federation, t1, t2, t3: t2 + 1, t4: t1 + delay + 1, offsetMs: theirOffset, delayMs: delay };
  insertClockSamples(h.db, [sample]);
}

const contradictions = (h: TestHome) => h.integrity.list({ kind: 'clock-samples-contradict', limit: 100 }).events;

describe('mesh-derived time', () => {
  it('bounds a skewed partner from a bundle, then from both sides with link samples, and shows foreign time as an interval', async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const real = Date.now();
    // DEU's clock runs two hours ahead of NLD's.
    deu!.setClock(new Date(real + 2 * HOUR));
    nld!.setClock(new Date(real));
    const own = await observe(nld!, 'track:nld');
    const foreign = await observe(deu!, 'track:deu');
    await crossBundle(deu!, nld!);

    const [fromBundle] = nld!.time.offsets('DEU');
    expect(fromBundle).toMatchObject({ partner: 'DEU', driftPpm: 50, contradiction: null, samples: [{ kind: 'bundle', federation: id, t1: null, t2: null }] });
    // Written at DEU's t3, admitted at our t4 ≥ the send: DEU is at least ~2 h ahead, with no upper bound.
    expect(fromBundle!.interval.lo).toBeGreaterThan(2 * HOUR - 5_000);
    expect(fromBundle!.interval.lo).toBeLessThanOrEqual(2 * HOUR + 1);
    expect(fromBundle!.interval.hi).toBe(Number.POSITIVE_INFINITY);
    // Unbounded above, so no earlier bound on when it happened here.
    expect((await nld!.observations.detail(foreign.id))!.summary.derivedTime).toMatchObject({ lo: null });

    // Our own: a point at its HLC time. DEU's: no later (in our clock) than its HLC less two hours.
    const ownTime = nld!.time.derivedTime(own.id)!;
    expect(ownTime).toEqual({ lo: own.record.time.hlc.l, hi: own.record.time.hlc.l });
    const foreignTime = nld!.time.derivedTime(foreign.id)!;
    expect(foreignTime.lo).toBe(Number.NEGATIVE_INFINITY);
    expect(foreignTime.hi).toBeGreaterThanOrEqual(real - 1);
    expect(foreignTime.hi).toBeLessThan(real + 5_000);

    // A link exchange a minute later bounds it from above: the interval narrows to the round trip.
    linkSample(nld!, 'DEU', id, real + 60_000, 2 * HOUR);
    nld!.setClock(new Date(real + 61_000));
    const [both] = nld!.time.offsets();
    expect(both!.samples.map((s) => s.kind)).toEqual(['link', 'bundle']);
    expect(both!.interval.lo).toBeLessThanOrEqual(2 * HOUR);
    expect(both!.interval.hi).toBeGreaterThanOrEqual(2 * HOUR);
    expect(both!.interval.hi - both!.interval.lo).toBeLessThan(30);
    const bounded = nld!.time.derivedTime(foreign.id)!;
    expect(bounded.hi - bounded.lo).toBeLessThan(30);
    expect(Math.abs(bounded.lo - real)).toBeLessThan(5_000);
    // The observation views say it as instants: a foreign one between two of them, our own at one.
    const page = await nld!.observations.page({ limit: 10 });
    const shown = page.observations.find((o) => o.id === foreign.id)!.derivedTime!;
    expect(Date.parse(shown.hi!) - Date.parse(shown.lo!)).toBeLessThan(31);
    expect((await nld!.observations.detail(foreign.id))!.summary.derivedTime).toEqual(shown);
    expect(page.observations.find((o) => o.id === own.id)!.derivedTime).toEqual({ lo: new Date(own.record.time.hlc.l).toISOString(), hi: new Date(own.record.time.hlc.l).toISOString() });

    // Order: a derivation made at NLD from DEU's observation comes after it, by lineage, whatever the clocks.
    nld!.setClock(new Date(real + 62_000));
    const fused = await observe(nld!, 'track:fused', [foreign.id]);
    expect(nld!.time.order(foreign.id, fused.id)).toEqual({ relation: 'before', by: 'lineage' });
    expect(nld!.time.order(own.id, fused.id)).toEqual({ relation: 'before', by: 'hlc' });
    // DEU's track and NLD's own one were made at the same real moment: the intervals overlap, concurrent.
    expect(nld!.time.order(own.id, foreign.id)).toEqual({ relation: 'concurrent', by: 'interval' });
  });

  it('records samples that contradict each other as one integrity event, not one per read', async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const real = Date.now();
    nld!.setClock(new Date(real));
    // A link says DEU's clock agrees with ours…
    linkSample(nld!, 'DEU', id, real - 10_000, 0);
    // …then DEU's agent writes a bundle with its clock set three hours ahead.
    deu!.setClock(new Date(real + 3 * HOUR));
    await observe(deu!, 'track:1');
    await crossBundle(deu!, nld!);

    const [offset] = nld!.time.offsets('DEU');
    expect(offset!.contradiction).toEqual({ first: offset!.samples.find((s) => s.kind === 'bundle')!.key, second: offset!.samples.find((s) => s.kind === 'link')!.key });
    // The newest sample alone (the bundle's) stands.
    expect(offset!.interval.lo).toBeGreaterThan(3 * HOUR - 5_000);
    const events = contradictions(nld!);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ partner: 'DEU', kind: 'clock-samples-contradict' });
    expect(events[0]!.message).toMatch(/cannot both be true/);
    expect(nld!.audit.verify().failures).toEqual([]);

    // Read again, and noted again where samples are written, with one more sample that still contradicts: still one.
    for (let i = 0; i < 3; i++) nld!.time.offsets();
    const op = nld!.context.writing();
    const log = await op.log();
    const note = () => noteClockSamples(op.write, op.mesh(), log, 'DEU', op.clock.now());
    linkSample(nld!, 'DEU', id, real - 5_000, 0);
    expect(note()).toBeUndefined();
    expect(contradictions(nld!)).toHaveLength(1);

    // 64 newer samples that agree with the bundle push the contradicting ones out: resolved, quietly.
    for (let i = 0; i < 64; i++) linkSample(nld!, 'DEU', id, real + 1_000 + i * 100, 3 * HOUR + 50);
    expect(note()).toBeUndefined();
    expect(nld!.time.offsets('DEU')[0]!.contradiction).toBeNull();
    // A new contradiction afterwards is a new event.
    linkSample(nld!, 'DEU', id, real + 20_000, 0);
    expect(note()).toMatch(/^[0-9a-f]{64}$/);
    expect(contradictions(nld!)).toHaveLength(2);
    expect(nld!.audit.verify().failures).toEqual([]);
  });

  it('has nothing to say of a partner without samples, and refuses an unknown observation', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    expect(nld!.time.offsets()).toEqual([{ partner: 'DEU', interval: { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY }, driftPpm: 50, samples: [], ageMs: null, contradiction: null }]);
    expect(deu!.time.offsets().map((o) => o.partner)).toEqual(['NLD']);
    expect(() => nld!.time.derivedTime('0'.repeat(64))).toThrow(/No observation/);
  });

  it('records a concurrent pair that arbitration settled in the log, and refuses a winner outside the pair', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const a = await observe(nld!, 'track:7');
    const b = await observe(deu!, 'track:7');
    const op = nld!.context.writing();
    const log = await op.log();
    const entry = recordConcurrentArbitration(log, op.mesh(), { subject: 'track:7', field: 'lat', candidates: [b.id, a.id], winner: b.id, why: 'originator-wins:\nDEU made the subject first' }, new Date());
    expect(entry.entry).toMatchObject({ type: 'ordering', what: { ids: [b.id, a.id], subject: 'track:7', detail: { field: 'lat', winner: b.id, concurrent: 2 } }, why: { reasons: ['concurrent-arbitrated'] } });
    expect(entry.entry.why.text).not.toMatch(/\n/);
    expect(nld!.audit.verify().failures).toEqual([]);
    expect(() => recordConcurrentArbitration(log, op.mesh(), { subject: 'track:7', field: 'lat', candidates: [a.id, b.id], winner: '1'.repeat(64), why: 'x' }, new Date())).toThrow(/not among/);
    expect(() => recordConcurrentArbitration(log, op.mesh(), { subject: 'track:7', field: 'lat', candidates: [a.id], winner: a.id, why: 'x' }, new Date())).toThrow(/two or more/);
  });
});
