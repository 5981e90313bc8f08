/**
 * Taint notices (docs/decisions/0005-crossing.md, "Integrity, taint, tombstones"): what one mesh
 * tells its partners after it marked observations tainted, so the taint follows lineage across
 * meshes. A notice carries ids only — never content — each with the cause as the sender's log
 * states it and the id of the sender's `integrity` log entry that recorded it, so the receiver can
 * hold the claim against the sender's audit export. A notice crosses as a `{ kind: 'taint' }` line
 * of a bundle, under the manifest the agent signs; it is not signed on its own.
 */
import { z } from 'zod';
import { describeIssues, FederationId, IsoDateTime, MeshCode, Sha256Hex } from '../common/atoms.js';
import { Refused } from '../common/refused.js';

export const TAINT_NOTICE_TYPE = 'entente.taint-notice/v1';

/** Ids per notice: a taint of a large lineage is sent as several notices, never truncated. */
export const MAX_TAINTS_PER_NOTICE = 10_000;

/** The causes a sender may state, as its own taints table records them. */
export const NoticeCause = z.enum(['compromised-credential', 'tainted-source', 'failed-source', 'purged-source', 'partner-notice']);

export const NoticedTaint = z.strictObject({
  id: Sha256Hex,
  cause: NoticeCause,
  /** From when the sender holds the observation untrustworthy (the compromise time, for a credential). */
  since: IsoDateTime,
  /** The sender's `integrity` log entry that recorded the taint. */
  entry: Sha256Hex,
});
export type NoticedTaint = z.infer<typeof NoticedTaint>;

export const TaintNotice = z.strictObject({
  type: z.literal(TAINT_NOTICE_TYPE),
  from: MeshCode,
  to: MeshCode,
  federation: FederationId,
  at: IsoDateTime,
  taints: z.array(NoticedTaint).min(1).max(MAX_TAINTS_PER_NOTICE),
});
export type TaintNotice = z.infer<typeof TaintNotice>;

/** @throws Refused 'malformed-taint-notice' naming the first bad field. */
export function parseTaintNotice(candidate: unknown): TaintNotice {
  const parsed = TaintNotice.safeParse(candidate);
  if (!parsed.success) throw new Refused('malformed-taint-notice', `The taint notice is malformed: ${describeIssues(parsed.error, 'notice')}.`);
  return parsed.data;
}
