/**
 * Ordering decisions that matter, in the log (issue 15, 0007 "Ordering"): when two observations
 * are concurrent (neither is a source of the other, and no clock can order them) and arbitration
 * chose one of them for a field, the log keeps the pair, the winner and why — an `ordering` entry
 * with reason `concurrent-arbitrated`, so a reviewer sees that time did not decide it, the policy did.
 */
import type { AuditDraft, SealedEntry } from '../../audit/entry.js';
import { Refused } from '../../common/refused.js';
import { authorityActor, type Log } from '../context/log.js';
import type { MeshContext } from '../context/mesh-context.js';

export const CONCURRENT_ARBITRATED = 'concurrent-arbitrated';

export interface ConcurrentArbitration {
  readonly subject: string;
  readonly field: string;
  /** The concurrent observations arbitration chose among (two or more), the winner among them. */
  readonly candidates: readonly string[];
  readonly winner: string;
  /** One line: why the winner won (arbitrate's `why`). */
  readonly why: string;
  readonly federation?: string;
  /** The declaration whose arbitration decided: its id and version. */
  readonly policy?: { readonly id: string; readonly version: string };
}

const ID = /^[0-9a-f]{64}$/;

/**
 * The entry for one concurrent arbitration, without its author: the picture (core/app/reconcile/
 * keep.ts) appends it in the transaction that arbitrated, signed by the mesh's authority.
 */
export function concurrentArbitrationDraft(arbitration: ConcurrentArbitration): Omit<AuditDraft, 'who'> {
  const { candidates, winner } = arbitration;
  if (candidates.length < 2 || !candidates.every((id) => ID.test(id))) throw new Refused('malformed-entry', 'A concurrent arbitration names two or more observation ids (lowercase SHA-256 hex).');
  if (!candidates.includes(winner)) throw new Refused('malformed-entry', `The arbitration's winner ${winner.slice(0, 64)} is not among the concurrent observations it chose from.`);
  // The winner first, then the others sorted: one pair, one entry shape, whatever order they came in.
  const ids = [winner, ...[...new Set(candidates)].filter((id) => id !== winner).sort()];
  return {
    type: 'ordering',
    what: {
      ids,
      subject: arbitration.subject,
      ...(arbitration.federation ? { federation: arbitration.federation } : {}),
      ...(arbitration.policy ? { policy: arbitration.policy } : {}),
      detail: { field: arbitration.field.slice(0, 512), winner, concurrent: ids.length },
    },
    why: { reasons: [CONCURRENT_ARBITRATED], text: oneLine(`Concurrent observations of ${arbitration.subject}, field ${arbitration.field}: ${winner.slice(0, 12)}… prevails. ${arbitration.why}`) },
  };
}

/** Appends the entry (in the caller's transaction, when it has one) and returns it. */
export function recordConcurrentArbitration(log: Log, context: MeshContext, arbitration: ConcurrentArbitration, now: Date): SealedEntry {
  const { sealed } = log.append([{ ...concurrentArbitrationDraft(arbitration), who: authorityActor(context.mesh) }], now);
  return sealed[0]!;
}

function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- the log refuses control characters; a why with a newline is flattened, not refused.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').slice(0, 1_000);
}
