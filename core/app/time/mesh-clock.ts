/**
 * This mesh's hybrid logical clock across exchanges (docs/decisions/0007, "The mesh clock"): the
 * HLC's receive rule (core/time/hlc.ts) applied to every foreign observation admitted, so the next
 * local observation is stamped after everything this mesh has heard of — causal order without
 * trusting either wall clock. The clock's state is not kept beside the store: it is the greatest
 * stamp among this mesh's own observations and the foreign ones no further ahead of our physical
 * time than {@link MAX_REMOTE_AHEAD_MS}, two indexed reads. A foreign stamp further ahead is not
 * adopted (a partner's clock set days ahead would otherwise drag ours, and every stamp after it,
 * along): the observation is still admitted, and a `clock-too-far-ahead` integrity event names it.
 */
import type { ReadDb, WriteDb } from '../../store/database.js';
import { latestHlc, latestHlcUpTo } from '../../store/observation-store.js';
import { compare, receive, type HlcStamp } from '../../time/hlc.js';
import type { Log } from '../context/log.js';
import type { MeshContext } from '../context/mesh-context.js';
import { recordIntegrityEventWith } from '../integrity/events.js';

export const CLOCK_TOO_FAR_AHEAD = 'clock-too-far-ahead';

/**
 * How far ahead of our physical time a partner's stamp may be and still be adopted: six hours, so
 * a task group whose clock ran hours fast through a silence (issue 15: "clock skew of hours") still
 * orders causally, while a clock a day or more wrong is flagged instead of followed. The price of
 * adopting: our own stamps may run up to this far ahead of our wall clock until it catches up.
 */
export const MAX_REMOTE_AHEAD_MS = 6 * 3_600_000;

/** The clock's state at physical time `now`: what the next local event ticks from. */
export function meshClock(db: ReadDb, ownMesh: string, now: Date): HlcStamp {
  const own = latestHlc(db, ownMesh);
  const heard = latestHlcUpTo(db, now.getTime() + MAX_REMOTE_AHEAD_MS);
  return compare(own, heard) >= 0 ? own : heard;
}

/** A block's verdict as admission (core/app/crossing/admit.ts) holds it: the record stored when admitted or tainted. */
export interface AdmittedVerdict {
  readonly verdict: { readonly outcome: string; readonly id?: string | null; readonly record?: { readonly mesh: string; readonly time: { readonly hlc: HlcStamp } } };
}

/**
 * After a block of foreign observations was stored (in its transaction): each admitted stamp
 * through the HLC receive rule, from the records in hand; those it refuses as too far ahead, one
 * integrity event. Returns the ids refused.
 */
export function receiveForeignClocks(db: WriteDb, context: MeshContext, log: Log, block: { partner: string; federation: string; verdicts: readonly AdmittedVerdict[] }, now: Date): string[] {
  const physical = now.getTime();
  const ahead: { id: string; mesh: string; aheadMs: number }[] = [];
  let state: HlcStamp | undefined;
  for (const { verdict } of block.verdicts) {
    if ((verdict.outcome !== 'admitted' && verdict.outcome !== 'tainted') || !verdict.record || !verdict.id) continue;
    state ??= meshClock(db, context.mesh.code, now);
    const received = receive(state, verdict.record.time.hlc, physical, MAX_REMOTE_AHEAD_MS);
    if (received.ok) state = received.stamp;
    else ahead.push({ id: verdict.id, mesh: verdict.record.mesh, aheadMs: received.aheadMs ?? 0 });
  }
  if (ahead.length === 0) return [];
  const most = ahead.reduce((a, b) => (b.aheadMs > a.aheadMs ? b : a));
  const hours = (ms: number) => (ms / 3_600_000).toFixed(1);
  recordIntegrityEventWith(
    db,
    context,
    log,
    {
      kind: CLOCK_TOO_FAR_AHEAD,
      partner: block.partner,
      federation: block.federation,
      ids: ahead.map((a) => a.id),
      evidence: { items: ahead.length, observations: ahead.slice(0, 100).map((a) => a.id), origin: most.mesh, mostAheadMs: most.aheadMs, boundMs: MAX_REMOTE_AHEAD_MS },
      message: `${ahead.length} observation(s) from ${block.partner} are stamped up to ${hours(most.aheadMs)} h ahead of our clock (${most.mesh}'s clock), beyond the ${hours(MAX_REMOTE_AHEAD_MS)} h accepted: admitted, but our clock does not follow them.`,
    },
    now,
  );
  return ahead.map((a) => a.id);
}
