/** Walking lineage across devices and meshes: what resolves, what does not, and what the limits cut. */
import { describe, expect, it } from 'vitest';
import { observationId } from './canonical-form.js';
import { walkLineage } from './lineage.js';
import type { GovernedObservation } from './record.js';
import { signObservation } from './sign.js';
import { deviceFixture, type DeviceFixture } from './test-fixtures.js';

const ed = deviceFixture('Ed25519');
const p256 = deviceFixture('ES256', 'NLD', 'radar-2');

function derived(fixture: DeviceFixture, n: number, sources: string[], name = 'fuse'): GovernedObservation {
  const lineage = { device: fixture.deviceId, sources: [...sources].sort(), derivation: { name, version: '1.0' } };
  return signObservation(fixture.record(n, { class: 'assessment', lineage }), fixture.privateKey);
}

const store = (records: GovernedObservation[]) => {
  const held = new Map(records.map((r) => [observationId(r), r]));
  return (id: string) => held.get(id);
};

describe('walkLineage', () => {
  // assessed (0) ← fused (1) ← a (2, DEU), b (2, NLD); assessed also ← missing (1)
  const a = signObservation(ed.record(1), ed.privateKey);
  const b = signObservation(p256.record(2), p256.privateKey);
  const fused = derived(ed, 3, [observationId(a), observationId(b)]);
  const missing = 'e'.repeat(64);
  const assessed = derived(ed, 4, [observationId(fused), missing], 'assess');
  const lookup = store([a, b, fused, assessed]);

  it('walks three levels across devices, reporting a missing source beside the rest', () => {
    const walk = walkLineage(observationId(assessed), lookup);
    // Breadth first; a record's sources in their (sorted) order.
    const level2 = [a, b].sort((x, y) => (observationId(x) < observationId(y) ? -1 : 1)).map((r) => [r.subject, 2]);
    expect(walk.nodes.map((n) => [n.record.subject, n.depth])).toEqual([['track:4', 0], ['track:3', 1], ...level2]);
    expect(walk.unresolved).toEqual([missing]);
    expect(walk.edges).toEqual(
      expect.arrayContaining([
        { from: observationId(assessed), to: observationId(fused) },
        { from: observationId(assessed), to: missing },
        { from: observationId(fused), to: observationId(a) },
        { from: observationId(fused), to: observationId(b) },
      ]),
    );
    expect(walk.edges).toHaveLength(4);
    expect(walk).toMatchObject({ invalid: [], truncated: false });
  });

  it('reports the starting id itself as unresolved when it is not held', () => {
    expect(walkLineage(missing, lookup)).toMatchObject({ nodes: [], edges: [], unresolved: [missing], truncated: false });
  });

  it('visits a source shared by two paths once', () => {
    const other = derived(p256, 5, [observationId(a)]);
    const top = derived(ed, 6, [observationId(fused), observationId(other)]);
    const walk = walkLineage(observationId(top), store([a, b, fused, other, top]));
    expect(walk.nodes.map((n) => n.id).filter((id) => id === observationId(a))).toHaveLength(1);
    expect(walk.edges.filter((e) => e.to === observationId(a))).toHaveLength(2);
  });

  it('stops at the depth and node limits, saying so', () => {
    const byDepth = walkLineage(observationId(assessed), lookup, { maxDepth: 1, maxNodes: 100 });
    expect(byDepth.nodes.map((n) => n.depth)).toEqual([0, 1]);
    expect(byDepth.truncated).toBe(true);
    const byCount = walkLineage(observationId(assessed), lookup, { maxDepth: 10, maxNodes: 2 });
    expect(byCount.nodes.length + byCount.unresolved.length).toBeLessThanOrEqual(2);
    expect(byCount.truncated).toBe(true);
  });

  it('guards against a lookup that returns records not matching their ids, cycles included', () => {
    // A hostile store: every id answers with a record naming two more ids, forever.
    const loop = (id: string): GovernedObservation => {
      const next = [`${id.slice(1)}0`, `${id.slice(1)}1`].sort();
      return { ...fused, lineage: { ...fused.lineage, sources: next } };
    };
    const checked = walkLineage('0'.repeat(64), loop);
    expect(checked.invalid).toEqual([{ id: '0'.repeat(64), reason: 'id-mismatch' }]);
    expect(checked.nodes).toEqual([]);
    // Trusting the lookup, the walk still ends: each id once, within the limits.
    const trusting = walkLineage('0'.repeat(64), loop, { maxDepth: 1000, maxNodes: 500 }, { checkIds: false });
    expect(trusting.nodes.length).toBeLessThanOrEqual(500);
    expect(trusting.truncated).toBe(true);
    // A two-record cycle.
    const x = 'a'.repeat(64);
    const y = 'b'.repeat(64);
    const cycle = (id: string): GovernedObservation => ({ ...fused, lineage: { ...fused.lineage, sources: [id === x ? y : x] } });
    const walk = walkLineage(x, cycle, undefined, { checkIds: false });
    expect(walk.nodes.map((n) => n.id)).toEqual([x, y]);
    expect(walk.edges).toEqual([
      { from: x, to: y },
      { from: y, to: x },
    ]);
  });

  it('does not follow a record whose lineage breaks the rules', () => {
    const broken = { ...fused, lineage: { ...fused.lineage, derivation: null } } as GovernedObservation;
    const walk = walkLineage(observationId(broken), store([broken, a, b]));
    expect(walk.invalid).toEqual([{ id: observationId(broken), reason: 'inconsistent-lineage' }]);
    expect(walk.nodes).toEqual([]);
  });
});
