/**
 * The picture's convergence rule (docs/decisions/0007): a function of signed content only, so
 * any delivery order, duplicates and partitions give one digest; decisions settle a held
 * subject the same way on every mesh; precedence decides a clash and the clash is an item.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DECISION_CLASS, parseDecisionPayload, queueItemId } from './decision.js';
import type { Candidate } from './divergence.js';
import { divergenceOf, estimateCause } from './divergence.js';
import { computePicture, EMPTY_PICTURE_DIGEST, subjectDigest, subjectState, updatePictureDigest, type PictureRules } from './picture.js';

const MESHES = ['DEU', 'NLD', 'FRA'] as const;
const T0 = Date.parse('2026-06-01T10:00:00Z');
const rules: PictureRules = { divergenceThreshold: 0.4, concurrencyWindowSeconds: 600, decisionPrecedence: ['NLD', 'DEU', 'FRA'] };

function idOf(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

function candidate(mesh: string, n: number, payload: unknown, options: { at?: number; sources?: string[]; class?: string } = {}): Candidate {
  const statedAt = options.at ?? T0 + n * 1000;
  const id = idOf([mesh, n, payload, options.sources ?? [], options.class ?? 'track']);
  return { id, mesh, class: options.class ?? 'track', statedAt, hlc: { l: statedAt, c: 0 }, value: payload, payload, authority: `${mesh}-ca`, device: `${mesh}-sensor`, credentialStrength: 1, sources: options.sources ?? [] };
}

function decision(mesh: string, n: number, subject: string, competing: readonly string[], payload: Record<string, unknown>): Candidate {
  const body = { item: queueItemId(subject, competing), reason: `decided by ${mesh}`, ...payload };
  return candidate(mesh, n, body, { class: DECISION_CLASS, sources: [...competing].sort() });
}

describe('divergence', () => {
  it('scores only concurrent, causally unrelated, cross-mesh disagreements, weighted by field', () => {
    const a = candidate('DEU', 1, { lat: 1, lon: 2, kind: 'tank' });
    const b = candidate('NLD', 2, { lat: 1, lon: 3, kind: 'truck' });
    expect(divergenceOf({ divergenceThreshold: 0.5 }, [a, b])).toMatchObject({ score: 2 / 3, fields: ['kind', 'lon'], competing: [a.id, b.id].sort() });
    expect(divergenceOf({ divergenceThreshold: 0.5, fieldWeights: { kind: 8 } }, [a, b]).score).toBeCloseTo(9 / 10);
    // Derived from a: causally after it, not a rival.
    const c = candidate('NLD', 3, { lat: 9, lon: 9, kind: 'truck' }, { sources: [a.id] });
    expect(divergenceOf({ divergenceThreshold: 0.5 }, [a, c]).score).toBe(0);
    // Same mesh: its own HLC orders them; far apart in stated time: not concurrent.
    expect(divergenceOf({ divergenceThreshold: 0.5 }, [a, candidate('DEU', 5, { lat: 7 })]).score).toBe(0);
    expect(divergenceOf({ divergenceThreshold: 0.5, concurrencyWindowSeconds: 10 }, [a, candidate('NLD', 60, { lat: 7 })]).score).toBe(0);
  });

  it('estimates the cause: injection signs first, then a translation seam, else disagreement', () => {
    expect(estimateCause([{ id: 'a'.repeat(64), translated: true }, { id: 'b'.repeat(64), burst: true }]).cause).toBe('suspected-injection');
    expect(estimateCause([{ id: 'a'.repeat(64), translated: true }, { id: 'b'.repeat(64) }])).toMatchObject({ cause: 'translation-seam', reasons: [expect.stringContaining('translated term')] });
    expect(estimateCause([{ id: 'a'.repeat(64) }]).cause).toBe('genuine-disagreement');
  });
});

describe('a subject held, decided, clashed', () => {
  const subject = 'track:7';
  const a = candidate('DEU', 1, { lat: 1, kind: 'tank' });
  const b = candidate('NLD', 2, { lat: 2, kind: 'truck' });
  const quiet = candidate('FRA', 100_000, { speed: 30 });

  it('holds above the threshold: the non-competing fields stay, an item opens with what the policy would choose', () => {
    const state = subjectState(rules, subject, [a, b, quiet]);
    expect(state.state).toBe('held');
    // lat is in conflict too (1 against 2): both gone; speed is not.
    expect(state.fields).toEqual({ speed: { value: 30, observation: quiet.id, mesh: 'FRA' } });
    const partly = subjectState({ ...rules, divergenceThreshold: 0.2 }, subject, [a, candidate('NLD', 2, { lat: 1, kind: 'truck' }), quiet]);
    expect([partly.state, Object.keys(partly.fields)]).toEqual(['held', ['lat', 'speed']]);
    expect(state.open).toEqual([{ id: queueItemId(subject, [a.id, b.id]), kind: 'divergence', competing: [a.id, b.id].sort(), escalated: false }]);
    expect(state.policyChoice.kind!.observation).toBe(a.id);
  });

  it('choose, merge and reject settle it; escalate keeps it held and open', () => {
    const chose = subjectState(rules, subject, [a, b, quiet, decision('DEU', 10, subject, [a.id, b.id], { action: 'choose', choose: b.id })]);
    expect([chose.state, chose.fields.kind, chose.fields.speed?.value, chose.open]).toEqual(['merged', { value: 'truck', observation: b.id, mesh: 'NLD' }, 30, []]);
    const merged = subjectState(rules, subject, [a, b, decision('DEU', 10, subject, [a.id, b.id], { action: 'merge', merge: { kind: b.id, lat: a.id } })]);
    expect([merged.fields.kind!.value, merged.fields.lat!.value]).toEqual(['truck', 1]);
    const rejected = subjectState(rules, subject, [a, b, quiet, decision('DEU', 10, subject, [a.id, b.id], { action: 'reject' })]);
    expect([rejected.state, Object.keys(rejected.fields)]).toEqual(['merged', ['speed']]);
    const escalated = subjectState(rules, subject, [a, b, decision('DEU', 10, subject, [a.id, b.id], { action: 'escalate' })]);
    expect([escalated.state, escalated.open[0]!.escalated]).toEqual(['held', true]);
  });

  it('a decision for another competing set, or choosing an outsider, settles nothing', () => {
    const stale = decision('DEU', 10, subject, [a.id], { action: 'choose', choose: a.id });
    expect(subjectState(rules, subject, [a, b, stale]).state).toBe('held');
    const outsider = decision('DEU', 11, subject, [a.id, b.id], { action: 'choose', choose: quiet.id });
    expect(subjectState(rules, subject, [a, b, quiet, outsider]).state).toBe('held');
  });

  it('two meshes deciding differently: the declared precedence prevails and the clash is its own item', () => {
    const byDeu = decision('DEU', 10, subject, [a.id, b.id], { action: 'choose', choose: a.id });
    const byNld = decision('NLD', 11, subject, [a.id, b.id], { action: 'choose', choose: b.id });
    const state = subjectState(rules, subject, [byDeu, a, byNld, b]);
    expect(state.fields.kind!.observation).toBe(b.id);
    expect(state.open).toEqual([{ id: queueItemId(subject, [byDeu.id, byNld.id]), kind: 'decision-clash', competing: [byDeu.id, byNld.id].sort(), escalated: false }]);
    // The same word from two meshes is no clash.
    const agree = decision('NLD', 12, subject, [a.id, b.id], { action: 'choose', choose: a.id });
    expect(subjectState(rules, subject, [a, b, byDeu, agree]).open).toEqual([]);
  });

  it('refuses a malformed decision payload with a reason', () => {
    expect(() => parseDecisionPayload({ item: 'a'.repeat(64), action: 'choose', reason: 'x' })).toThrow(expect.objectContaining({ reason: 'malformed-decision' }));
    expect(() => parseDecisionPayload({ item: 'a'.repeat(64), action: 'reject', reason: '   ' })).toThrow(/blank/);
    expect(() => parseDecisionPayload({ item: 'a'.repeat(64), action: 'merge', merge: {}, reason: 'r' })).toThrow(/at least one field/);
  });
});

describe('convergence over three meshes (fast-check)', () => {
  const payload = fc.record({ lat: fc.integer({ min: 0, max: 2 }), kind: fc.constantFrom('tank', 'truck', 'unknown') }, { requiredKeys: [] });
  const observation = fc.record({ mesh: fc.constantFrom(...MESHES), subject: fc.constantFrom('s:1', 's:2', 's:3'), n: fc.integer({ min: 0, max: 50 }), payload });
  const world = fc.array(observation, { minLength: 1, maxLength: 24 }).map((list) => list.map((o) => ({ subject: o.subject, candidate: candidate(o.mesh, o.n, o.payload) })));

  /** Decisions the meshes make on what they see held, as they would: each mesh decides per item. */
  function withDecisions(items: { subject: string; candidate: Candidate }[], deciders: readonly string[]) {
    const { subjects } = computePicture(rules, items);
    const decisions: { subject: string; candidate: Candidate }[] = [];
    let n = 1_000;
    for (const state of subjects.values()) {
      if (state.state !== 'held') continue;
      for (const mesh of deciders) {
        const competing = state.item!.competing;
        decisions.push({ subject: state.subject, candidate: decision(mesh, n++, state.subject, competing, { action: 'choose', choose: competing[n % competing.length]! }) });
      }
    }
    return [...items, ...decisions];
  }

  it('every delivery order, with duplicates and partitions, gives the same digest; delivering twice changes nothing', () => {
    fc.assert(
      fc.property(world, fc.subarray([...MESHES]), fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), (items, deciders, seeds) => {
        const all = withDecisions(items, deciders);
        const reference = computePicture(rules, all).digest;
        for (const seed of seeds) {
          // Each mesh receives in its own order, sees some items twice, and first only a partition of them.
          const order = shuffled(all, seed);
          const partition = order.filter((_, i) => (i + seed) % 3 !== 0);
          const incremental = incrementalDigest([...partition, ...order, ...order.slice(0, seed % (order.length + 1))]);
          expect(incremental).toBe(reference);
        }
      }),
      { numRuns: 150 },
    );
  });

  /** As a store keeps it: per arrival, recompute the subject touched and move the sum by its old and new digest. */
  function incrementalDigest(arrivals: readonly { subject: string; candidate: Candidate }[]): string {
    let sum = EMPTY_PICTURE_DIGEST;
    const held = new Map<string, Map<string, Candidate>>();
    const digests = new Map<string, string>();
    for (const { subject, candidate: c } of arrivals) {
      const list = held.get(subject) ?? new Map<string, Candidate>();
      held.set(subject, list);
      if (list.has(c.id)) continue;
      list.set(c.id, c);
      const digest = subjectDigest(subjectState(rules, subject, [...list.values()]));
      sum = updatePictureDigest(sum, [digest], digests.has(subject) ? [digests.get(subject)!] : []);
      digests.set(subject, digest);
    }
    return sum;
  }
});

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed + 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
