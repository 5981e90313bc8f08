/**
 * The competing histories on one time axis: one lane per observation, its mesh-derived time drawn
 * as an interval bar (a point for this mesh's own, a span for a foreign one, an arrow where a side
 * is unbounded), the span where they overlap shaded — concurrent: neither can be ordered before
 * the other (docs/decisions/0007, "Ordering"). The legend says what the bars are.
 */
import { meshColour } from '../lineage/graph-model.js';
import { axisModel, describeBar, scale, tickLabel, ticks, type AxisInput } from './time-axis.js';

const LANE = 26;
const LEFT = 96;
const WIDTH = 440;
const AXIS = 22;

export function TimeAxis({ competing, own }: { competing: readonly AxisInput[]; own: string }) {
  const model = axisModel(competing);
  const plot = WIDTH - LEFT - 12;
  const x = scale(model, plot);
  const height = model.bars.length * LANE + AXIS + 8;
  const concurrent = model.concurrent.length > 0;
  return (
    <figure className="time-axis" data-testid="time-axis" data-concurrent={concurrent}>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby="time-axis-caption">
        <g transform={`translate(${LEFT},4)`}>
          {ticks(model).map((t) => (
            <g key={t} transform={`translate(${x(t)},0)`}>
              <line y1={0} y2={model.bars.length * LANE} className="axis-grid" />
              <text y={model.bars.length * LANE + 14} className="axis-tick" textAnchor="middle">{tickLabel(t)}</text>
            </g>
          ))}
          {model.common && (
            <rect x={x(model.common.lo)} width={Math.max(2, x(model.common.hi) - x(model.common.lo))} y={0} height={model.bars.length * LANE} className="axis-concurrent" data-testid="time-axis-concurrent">
              <title>All competing observations overlap here: concurrent</title>
            </rect>
          )}
        </g>
        {model.bars.map((bar, i) => {
          const y = 4 + i * LANE;
          const lo = x(bar.lo);
          const hi = x(bar.hi);
          const point = bar.lo === bar.hi;
          return (
            <g key={bar.id} data-testid="time-axis-bar" data-bound={bar.bound} data-mesh={bar.mesh}>
              <text x={8} y={y + LANE / 2 + 4} className="axis-lane">{bar.mesh} <tspan className="axis-id">{bar.id.slice(0, 8)}</tspan></text>
              <g transform={`translate(${LEFT},${y})`}>
                <title>{`${bar.mesh}${bar.mesh === own ? ' (this mesh)' : ''}: ${describeBar(bar)}`}</title>
                {bar.bound === 'unknown' ? (
                  <>
                    <line x1={0} x2={plot} y1={LANE / 2} y2={LANE / 2} className="axis-unknown" stroke={meshColour(bar.mesh)} />
                    <circle cx={x(bar.stated)} cy={LANE / 2} r={3} fill="none" stroke={meshColour(bar.mesh)} />
                  </>
                ) : point ? (
                  <path d={`M ${lo} ${LANE / 2 - 7} l 6 7 l -6 7 l -6 -7 z`} fill={meshColour(bar.mesh)} className="axis-point" />
                ) : (
                  <rect x={lo} width={Math.max(3, hi - lo)} y={LANE / 2 - 6} height={12} rx={2} fill={meshColour(bar.mesh)} className="axis-bar" />
                )}
                {bar.bound === 'open' && !Number.isFinite(bar.hi) && <path d={`M ${plot - 8} ${LANE / 2 - 6} l 8 6 l -8 6`} className="axis-open" />}
                {bar.bound === 'open' && !Number.isFinite(bar.lo) && <path d={`M 8 ${LANE / 2 - 6} l -8 6 l 8 6`} className="axis-open" />}
              </g>
            </g>
          );
        })}
        <text x={LEFT} y={height - 2} className="axis-tick">UTC, in {own}’s clock</text>
      </svg>
      <figcaption id="time-axis-caption" className="muted small">
        Bars are <strong>mesh-derived time</strong>: each observation’s stated time less its origin’s clock offset interval (from the clock samples), so a foreign
        observation is an interval, {own}’s own a point. {concurrent ? <span data-testid="time-axis-verdict">Overlapping bars are <strong>concurrent</strong>: neither can be placed before the other.</span> : <span data-testid="time-axis-verdict">The bars do not overlap: by mesh-derived time they are ordered. They compete all the same, their stated times being within the federation’s concurrency window.</span>}
      </figcaption>
    </figure>
  );
}
