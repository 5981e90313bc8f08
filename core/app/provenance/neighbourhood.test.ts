/** The lineage neighbourhood the console's graph draws: bounded, both directions, honest about what lies beyond. */
import { describe, expect, it } from 'vitest';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';

const open = useTestHomes('entente-neighbourhood-');
const label = JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [], createdAt: '2026-11-23T08:00:00Z' });

async function record(home: TestHome, subject: string, derivedFrom: string[] = []): Promise<string> {
  const { id } = await home.observations.observe({
    device: 'sensor-1', class: 'track', subject, labelText: label, payloadText: '{"lat":52.1}', derivedFrom,
    derivation: derivedFrom.length > 0 ? { name: 'fuse-tracks', version: '1.0' } : null,
  });
  return id;
}

describe('lineage neighbourhood', () => {
  it('walks depth steps each way, marks derivations, and says which nodes have more beyond', async () => {
    const home = await open('DEU');
    const a = await record(home, 'track:a');
    const b = await record(home, 'track:b', [a]);
    const c = await record(home, 'track:c', [b]);
    const d = await record(home, 'track:d', [c]);
    const graph = home.provenance.neighbourhood({ ids: [b], depth: 1, direction: 'both', limit: 100 });
    expect(graph.nodes.map((n) => n.id).sort()).toEqual([a, b, c].sort());
    expect(graph.edges).toEqual(expect.arrayContaining([{ from: a, to: b, kind: 'source' }, { from: b, to: c, kind: 'source' }]));
    const node = (id: string) => graph.nodes.find((n) => n.id === id)!;
    expect(node(a)).toMatchObject({ kind: 'observation', mesh: 'DEU', label: 'track:a', found: 'held', more: { ancestors: false, descendants: false } });
    expect(node(b)).toMatchObject({ kind: 'derivation', more: { ancestors: false, descendants: false } });
    expect(node(c).more).toEqual({ ancestors: false, descendants: true });
    expect(graph.truncated).toBe(false);

    const deeper = home.provenance.neighbourhood({ ids: [b], depth: 5, direction: 'descendants', limit: 100 });
    expect(deeper.nodes.map((n) => n.id).sort()).toEqual([b, c, d].sort());
    expect(deeper.nodes.find((n) => n.id === b)!.more.ancestors).toBe(true);
  });

  it('stops at the limit and says so; an unknown source is an unresolved node, not an error', async () => {
    const home = await open('DEU');
    const ghost = 'e'.repeat(64);
    const root = await record(home, 'track:root');
    const children = [];
    for (let n = 0; n < 5; n++) children.push(await record(home, `track:child-${n}`, [root]));
    const cut = home.provenance.neighbourhood({ ids: [root], depth: 3, direction: 'both', limit: 3 });
    expect(cut.observations).toBe(3);
    expect(cut.truncated).toBe(true);
    expect(cut.nodes.find((n) => n.id === root)!.more.descendants).toBe(true);

    // Asked about an id the store does not hold (a source known from a partner's log, say).
    const ghostly = home.provenance.neighbourhood({ ids: [ghost], depth: 2, direction: 'both', limit: 10 });
    expect(ghostly.nodes).toEqual([expect.objectContaining({ id: ghost, found: 'unresolved', mesh: null, kind: 'observation', more: { ancestors: false, descendants: false } })]);
  });

  it('says a node has descendants beyond when only some of what was derived from it is drawn, walking either way', async () => {
    const home = await open('DEU');
    const a = await record(home, 'track:a');
    const b = await record(home, 'track:b', [a]);
    const c = await record(home, 'track:c', [a]);
    const d = await record(home, 'track:d', [b]);
    // Up from d: a is reached through b, and c (also derived from a) is not in the answer.
    const up = home.provenance.neighbourhood({ ids: [d], depth: 2, direction: 'ancestors', limit: 100 });
    const node = (graph: typeof up, id: string) => graph.nodes.find((n) => n.id === id)!;
    expect(up.nodes.map((n) => n.id).sort()).toEqual([a, b, d].sort());
    expect(node(up, a).more.descendants).toBe(true);
    expect(node(up, b).more.descendants).toBe(false);
    expect(node(up, d).more.descendants).toBe(false);
    // Down from a, whole: nothing lies beyond anyone.
    const down = home.provenance.neighbourhood({ ids: [a], depth: 3, direction: 'descendants', limit: 100 });
    expect(down.nodes.map((n) => n.id).sort()).toEqual([a, b, c, d].sort());
    for (const n of down.nodes) expect(n.more.descendants).toBe(false);
    // Down from a, one step: b drew nothing of d, so b says there is more.
    const step = home.provenance.neighbourhood({ ids: [a], depth: 1, direction: 'descendants', limit: 100 });
    expect(node(step, a).more.descendants).toBe(false);
    expect(node(step, b).more.descendants).toBe(true);
    expect(node(step, c).more.descendants).toBe(false);
  });
});
