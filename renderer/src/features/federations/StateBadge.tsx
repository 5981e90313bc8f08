/** A federation's lifecycle state as a badge: green when active, amber while not yet in force, red once over. */
import type { MethodResult } from '../../../../core/api/index.js';

type State = MethodResult<'listFederations'>['federations'][number]['state'];

export function StateBadge({ state }: { state: State }) {
  const tone = state === 'active' ? 'badge-ok' : state === 'proposed' || state === 'draft' ? 'badge-warn' : 'badge-bad';
  return <span className={`badge ${tone}`}>{state}</span>;
}
