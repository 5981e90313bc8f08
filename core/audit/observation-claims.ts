/**
 * What the log says about the observations a store holds: the entries that record one
 * (`observation`: the first id is the recorded observation, the rest its sources) or admit them
 * from a partner (`crossing` with reason `admitted`: every id it names, one block of a bundle),
 * and those that purge some (`purge`). The
 * store and its log must agree on these: every observation a log entry records or admits is held
 * unless a purge names it, and every held observation has such an entry.
 */
import type { AuditEntry } from './entry.js';

export interface ObservationClaims {
  /** Recorded or admitted ids, each with the first entry that names it. */
  readonly stored: Map<string, number>;
  readonly purged: Set<string>;
}

export function emptyClaims(): ObservationClaims {
  return { stored: new Map(), purged: new Set() };
}

/** Adds what one entry claims; entries that do not concern stored observations add nothing. */
export function addClaims(claims: ObservationClaims, entry: AuditEntry): void {
  const first = entry.what.ids[0];
  if (entry.type === 'purge') {
    for (const id of entry.what.ids) claims.purged.add(id);
  } else if (entry.type === 'crossing' && entry.why.reasons.includes('admitted')) {
    for (const id of entry.what.ids) if (!claims.stored.has(id)) claims.stored.set(id, entry.seq);
  } else if (first !== undefined && entry.type === 'observation') {
    if (!claims.stored.has(first)) claims.stored.set(first, entry.seq);
  }
}
