import { describe, expect, it } from 'vitest';
import { EMPTY_GRAPH, meshColour, mergeLineage, type LineageNode } from './graph-model.js';
import { lineageSvg } from './svg-export.js';

const node = (id: string, more = { ancestors: true, descendants: true }): LineageNode => ({
  id, kind: 'observation', observation: id, mesh: 'DEU', label: id.slice(0, 4), found: 'held', tainted: null, quarantine: null, at: null, detail: '', more,
});
const a = 'a'.repeat(64);
const b = 'b'.repeat(64);

describe('the lineage graph model', () => {
  it('merges answers by id, keeps each edge once, and clears "more" once an expansion drew it', () => {
    const first = mergeLineage(EMPTY_GRAPH, { nodes: [node(a), node(b)], edges: [{ from: a, to: b, kind: 'source' }], observations: 2, truncated: false, markings: ['NATO SECRET'] });
    const second = mergeLineage(first, { nodes: [node(b, { ancestors: false, descendants: true })], edges: [{ from: a, to: b, kind: 'source' }], observations: 1, truncated: true, markings: ['GEHEIM', 'NATO SECRET'] });
    expect(first.markings).toEqual(['NATO SECRET']);
    expect(second.markings).toEqual(['GEHEIM', 'NATO SECRET']);
    expect(second.nodes.size).toBe(2);
    expect(second.edges.size).toBe(1);
    expect(second.nodes.get(b)!.more).toEqual({ ancestors: false, descendants: true });
    expect(second.truncated).toBe(true);
    expect(first.nodes.get(b)!.more.ancestors).toBe(true);
  });

  it('gives a mesh the same colour every time and an unknown one the neutral grey', () => {
    expect(meshColour('NLD')).toBe(meshColour('NLD'));
    expect(meshColour(null)).toBe('#5b6b7a');
  });
});

describe('the SVG export', () => {
  it('writes each shape, escapes labels, and stops edges at the target outline', () => {
    const svg = lineageSvg(
      [
        { x: 0, y: 0, width: 20, height: 20, shape: 'ellipse', fill: '#56b4e9', stroke: '#000', dashed: false, label: 'track:<1>&"x"' },
        { x: 0, y: 100, width: 20, height: 20, shape: 'diamond', fill: '#e69f00', stroke: '#e06c6c', dashed: true, label: 'crossing' },
      ],
      [{ from: { x: 0, y: 0 }, to: { x: 0, y: 100 }, toRadius: 12 }],
    );
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<ellipse cx="0" cy="0" rx="10" ry="10" fill="#56b4e9"');
    expect(svg).toContain('<polygon points="0,90 10,100 0,110 -10,100" fill="#e69f00" stroke="#e06c6c" stroke-width="2" stroke-dasharray="4 2"/>');
    expect(svg).toContain('<line x1="0" y1="0" x2="0" y2="88" marker-end="url(#arrow)"/>');
    expect(svg).toContain('track:&#60;1&#62;&#38;&#34;x&#34;');
    expect(svg).not.toContain('<1>');
    // Well-formed as XML: the browser's parser would say so; here, every element opened is closed.
    expect(svg.match(/<svg/g)).toHaveLength(1);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});

describe('the fast layered layout', () => {
  it('ranks by longest path, orders by parents, and survives a cycle', async () => {
    const { layeredPositions } = await import('./layered.js');
    const at = layeredPositions(['r', 'a', 'b', 'c', 'x', 'y'], [
      { from: 'r', to: 'a' }, { from: 'r', to: 'b' }, { from: 'a', to: 'c' }, { from: 'r', to: 'c' }, { from: 'x', to: 'y' }, { from: 'y', to: 'x' },
    ], { nodeSep: 10, rankSep: 100 });
    expect(at.get('r')!.y).toBe(0);
    expect(at.get('a')!.y).toBe(100);
    expect(at.get('c')!.y).toBe(200); // the longest path, not the shortest
    expect(at.get('a')!.x).not.toBe(at.get('b')!.x);
    expect(at.size).toBe(6); // the cycle's nodes are placed too, after the rest
    expect(at.get('x')!.y).toBe(300);
  });
});
