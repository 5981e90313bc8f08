/**
 * The lineage graph as an SVG document, written from the laid-out positions: each node its
 * kind's outline in its mesh's colour (tainted and quarantined marked as on screen), each edge a
 * line with an arrow, labels as text. Everything is escaped: labels are partner-supplied text.
 */
export interface SvgNode {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly shape: 'ellipse' | 'round-rectangle' | 'diamond' | 'hexagon' | 'triangle' | 'octagon';
  readonly fill: string;
  readonly stroke: string;
  readonly dashed: boolean;
  readonly label: string;
}

export interface SvgEdge {
  readonly from: { readonly x: number; readonly y: number };
  readonly to: { readonly x: number; readonly y: number };
  /** How far before `to` the line stops, so the arrow meets the target's outline rather than hiding under it. */
  readonly toRadius: number;
}

function shortened(e: SvgEdge): { x: number; y: number } {
  const dx = e.to.x - e.from.x;
  const dy = e.to.y - e.from.y;
  const length = Math.hypot(dx, dy);
  if (length <= e.toRadius) return e.to;
  return { x: e.to.x - (dx / length) * e.toRadius, y: e.to.y - (dy / length) * e.toRadius };
}

const escape = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const n = (v: number) => (Math.round(v * 10) / 10).toString();

function outline(node: SvgNode): string {
  const { x, y, width: w, height: h } = node;
  const poly = (points: [number, number][]) => `<polygon points="${points.map(([px, py]) => `${n(x + px * w / 2)},${n(y + py * h / 2)}`).join(' ')}"`;
  switch (node.shape) {
    case 'ellipse':
      return `<ellipse cx="${n(x)}" cy="${n(y)}" rx="${n(w / 2)}" ry="${n(h / 2)}"`;
    case 'round-rectangle':
      return `<rect x="${n(x - w / 2)}" y="${n(y - h / 2)}" width="${n(w)}" height="${n(h)}" rx="${n(Math.min(w, h) / 4)}"`;
    case 'diamond':
      return poly([[0, -1], [1, 0], [0, 1], [-1, 0]]);
    case 'hexagon':
      return poly([[-0.5, -1], [0.5, -1], [1, 0], [0.5, 1], [-0.5, 1], [-1, 0]]);
    case 'triangle':
      return poly([[0, -1], [1, 1], [-1, 1]]);
    case 'octagon':
      return poly([[-0.41, -1], [0.41, -1], [1, -0.41], [1, 0.41], [0.41, 1], [-0.41, 1], [-1, 0.41], [-1, -0.41]]);
  }
}

/** A standalone SVG 1.1 document of the graph, with a margin around its bounding box. */
export function lineageSvg(nodes: readonly SvgNode[], edges: readonly SvgEdge[], background = '#0d141b'): string {
  const margin = 20;
  const xs = nodes.flatMap((d) => [d.x - d.width / 2, d.x + d.width / 2]);
  const ys = nodes.flatMap((d) => [d.y - d.height / 2, d.y + d.height / 2 + 14]);
  const minX = (xs.length ? Math.min(...xs) : 0) - margin;
  const minY = (ys.length ? Math.min(...ys) : 0) - margin;
  const width = (xs.length ? Math.max(...xs) : 0) - minX + margin;
  const height = (ys.length ? Math.max(...ys) : 0) - minY + margin;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="${n(minX)} ${n(minY)} ${n(width)} ${n(height)}" width="${n(width)}" height="${n(height)}">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#6d8193"/></marker></defs>',
    `<rect x="${n(minX)}" y="${n(minY)}" width="${n(width)}" height="${n(height)}" fill="${escape(background)}"/>`,
    '<g stroke="#6d8193" stroke-width="1.2">',
    ...edges.map((e) => {
      const end = shortened(e);
      return `<line x1="${n(e.from.x)}" y1="${n(e.from.y)}" x2="${n(end.x)}" y2="${n(end.y)}" marker-end="url(#arrow)"/>`;
    }),
    '</g>',
    '<g font-family="DejaVu Sans, sans-serif" font-size="9" fill="#dbe4ec" text-anchor="middle">',
    ...nodes.map(
      (d) =>
        `${outline(d)} fill="${escape(d.fill)}" stroke="${escape(d.stroke)}" stroke-width="2"${d.dashed ? ' stroke-dasharray="4 2"' : ''}/>` +
        `<text x="${n(d.x)}" y="${n(d.y + d.height / 2 + 11)}">${escape(d.label)}</text>`,
    ),
    '</g>',
    '</svg>',
  ];
  return `${lines.join('\n')}\n`;
}
