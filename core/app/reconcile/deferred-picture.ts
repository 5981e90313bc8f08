/**
 * The picture kept behind a bundle import, a few blocks at a time instead of every block
 * (docs/decisions/0007-reconciliation.md, "Keeping the picture, and what it costs"; migration 20).
 *
 * A bundle carried after a disconnection holds many reports of the same subjects, spread over
 * its blocks: keeping the picture in each block's transaction recomputed a subject once per block
 * it appears in, the same work again each time (a 10,000-observation bundle of 500 tracks: 5,000
 * recomputations for 500 subjects). The import instead notes each block's subjects as pending in
 * the block's transaction (one row per subject) and the ids it admitted in memory, and
 * recomputes them all when `SETTLE_EVERY` ids have gathered and at its end, before its receipt:
 * so the picture lags what was admitted by at most that many observations while an import runs,
 * and equals, once it ends, the picture kept block by block (the picture is a function of the
 * stored set, whatever the order or grouping of its arrival; evidence.property.test.ts).
 *
 * A killed import leaves its pending subjects named in the store but its ids lost: the next
 * import recomputes those subjects from their whole history (`settleLeftoverPicture`) before it
 * admits anything, which is what a recomputation without the ids already does after a purge.
 */
import { BLOCK_LINES } from '../../boundary/bundle/format.js';
import type { Log } from '../context/log.js';
import type { Operation } from '../context/operation.js';
import { clearPicturePending, markPicturePending, picturePendingSubjects } from '../../store/picture-pending-store.js';
import { keepPicture, keepPictureOfSubjects } from './keep.js';

/** Admitted observations gathered before their subjects are recomputed: 16 full blocks of a bundle. */
export const SETTLE_EVERY = 16 * BLOCK_LINES;

export class DeferredPicture {
  private readonly ids: string[] = [];

  /**
   * Notes what one block admitted, in the block's transaction. An id of a block whose
   * transaction then rolls back is harmless: what is not stored is not recomputed.
   */
  add(op: Operation, admitted: readonly { readonly id: string; readonly subject: string }[]): void {
    if (admitted.length === 0) return;
    markPicturePending(op.write, new Set(admitted.map((a) => a.subject)));
    for (const { id } of admitted) this.ids.push(id);
  }

  /** Enough has gathered to recompute now. */
  get due(): boolean {
    return this.ids.length >= SETTLE_EVERY;
  }

  /** Recomputes every pending subject from the ids gathered, in the caller's transaction; nothing is pending after. */
  settle(op: Operation, log: Log, now: Date): void {
    if (this.ids.length === 0) return;
    keepPicture(op, log, this.ids, now);
    clearPicturePending(op.write);
    this.ids.length = 0;
  }
}

/** Recomputes from their history the subjects a killed import left pending, in the caller's transaction. */
export function settleLeftoverPicture(op: Operation, log: Log, now: Date): void {
  const subjects = picturePendingSubjects(op.write);
  if (subjects.length === 0) return;
  keepPictureOfSubjects(op, log, subjects, now);
  clearPicturePending(op.write);
}
