/** A divergence score against the threshold in force: the figure, and a bar with the threshold marked (0007: above it, the subject is held). */
export function ScoreBar({ score, threshold, compact = false }: { score: number; threshold: number | null; compact?: boolean }) {
  const width = compact ? 40 : 56;
  const over = threshold !== null && score > threshold;
  return (
    <span className="score" title={threshold === null ? `divergence ${score.toFixed(3)}` : `divergence ${score.toFixed(3)} against the threshold ${threshold.toFixed(2)} in force`}>
      <span className="num">{score.toFixed(3)}</span>
      <svg width={width} height={10} aria-hidden="true" className="score-bar">
        <rect x={0} y={2} width={width} height={6} rx={2} className="score-track" />
        <rect x={0} y={2} width={Math.max(1, score * width)} height={6} rx={2} className={over ? 'score-over' : 'score-under'} />
        {threshold !== null && <line x1={threshold * width} x2={threshold * width} y1={0} y2={10} className="score-threshold" />}
      </svg>
      {threshold !== null && !compact && <span className="muted small">vs {threshold.toFixed(2)}</span>}
    </span>
  );
}
