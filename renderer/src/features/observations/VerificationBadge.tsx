/** Whether an observation verified, and if not, the named reason — never just a red colour. */
import type { MethodResult } from '../../../../core/api/index.js';

type Verification = MethodResult<'listObservations'>['observations'][number]['verification'];

export function VerificationBadge({ verification }: { verification: Verification }) {
  if (verification.ok) return <span className="badge badge-ok">verified</span>;
  return (
    <span className="badge badge-bad" title={verification.message ?? undefined}>
      {verification.reason ?? 'unverified'}
    </span>
  );
}
