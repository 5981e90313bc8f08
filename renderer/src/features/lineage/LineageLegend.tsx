/** What the lineage graph's shapes, colours and outlines mean: the shapes drawn as the graph draws them, so the legend needs no colour to read. */
import { KIND_LABELS, meshColour, meshesOf, SHAPES, type GraphModel, type NodeKind } from './graph-model.js';

const ICONS: Record<(typeof SHAPES)[NodeKind], string> = {
  ellipse: 'M8 1a7 7 0 1 0 0.01 0z',
  'round-rectangle': 'M3 3h10a2 2 0 0 1 2 2v6a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z',
  diamond: 'M8 1l7 7-7 7-7-7z',
  hexagon: 'M4.5 1.5h7L15 8l-3.5 6.5h-7L1 8z',
  triangle: 'M8 1l7 13H1z',
  octagon: 'M5 1h6l4 4v6l-4 4H5l-4-4V5z',
};

export function LineageLegend({ model }: { model: GraphModel }) {
  return (
    <div className="lineage-legend small" aria-label="Legend">
      {(Object.keys(SHAPES) as NodeKind[]).map((kind) => (
        <span key={kind} className="legend-item">
          <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true"><path d={ICONS[SHAPES[kind]]} fill="#8a9bab" /></svg> {KIND_LABELS[kind]}
        </span>
      ))}
      <span className="legend-item"><svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6" fill="none" stroke="#e06c6c" strokeWidth="2" strokeDasharray="3 2" /></svg> tainted</span>
      <span className="legend-item"><svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6" fill="none" stroke="#d9a441" strokeWidth="3" /></svg> quarantined</span>
      {meshesOf(model).map((mesh) => (
        <span key={mesh} className="legend-item">
          <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true"><rect x="2" y="2" width="12" height="12" rx="2" fill={meshColour(mesh)} /></svg> {mesh}
        </span>
      ))}
    </div>
  );
}
