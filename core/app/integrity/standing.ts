/**
 * An observation's standing (docs/decisions/0005-crossing.md): a derived fact is only as good as
 * its weakest source. In order, best first: `verified` < `tainted` < `source-failed` <
 * `source-purged` < `source-missing`, each with what caused it and which observation in the
 * lineage is responsible.
 *
 * Two ways to compute it. For lists, cheaply: the taints table alone (a taint is written for the
 * observation itself and, through lineage, for everything derived from it). For one record in
 * full: the lineage walked up through the sources each signed record names, every source looked
 * for in the store, its tombstone if an exit purged it, its taint, and its verification — so a
 * source whose row was edited in the file makes its descendants `source-failed` even though their
 * own signatures still verify. The walk is a loop over an explicit queue, each id once, bounded.
 *
 * Verification is passed in (the observations part owns it), so this module imports no part.
 */
import type { ReadDb } from '../../store/database.js';
import { readTaint, readTaints, readTombstone, type TaintRow } from '../../store/integrity-store.js';
import { readObservation, type ObservationRow } from '../../store/observation-store.js';

export const STANDINGS = ['verified', 'tainted', 'source-failed', 'source-purged', 'source-missing'] as const;
export type Standing = (typeof STANDINGS)[number];

/** Sources a full standing looks at before it stops and says so: a lineage longer than this is not walked to its end. */
export const MAX_LINEAGE = 100_000;

/** An observation's standing as `show` and the contract give it. */
export interface StandingView {
  readonly standing: Standing;
  /** Why: a taint's cause, a source's verification failure reason, `purged`, `missing`; null when verified. */
  readonly cause: string | null;
  /** The observation in the lineage that is responsible (itself, for its own taint); null when verified. */
  readonly source: string | null;
  readonly message: string | null;
}

export const VERIFIED: StandingView = Object.freeze({ standing: 'verified', cause: null, source: null, message: null });

/** A stored row's verification, as the observations part computes it. */
export type RowVerifier = (row: ObservationRow) => { readonly ok: true; readonly record: { readonly lineage: { readonly sources: readonly string[] } } } | { readonly ok: false; readonly reason: string; readonly message: string };

const rank = (standing: Standing): number => STANDINGS.indexOf(standing);

/** What a taint row makes of its observation's standing. */
export function standingOfTaint(id: string, taint: TaintRow): StandingView {
  const responsible = responsibleSource(taint) ?? id;
  const standing: Standing = taint.cause === 'failed-source' ? 'source-failed' : taint.cause === 'purged-source' ? 'source-purged' : 'tainted';
  return { standing, cause: taint.cause, source: responsible, message: taintMessage(id, taint, responsible) };
}

/** The cheap standing of a page of ids: one taints lookup each. */
export function listStandings(db: ReadDb, ids: readonly string[]): Map<string, StandingView> {
  const taints = readTaints(db, ids);
  return new Map(ids.map((id) => {
    const taint = taints.get(id);
    return [id, taint ? standingOfTaint(id, taint) : VERIFIED];
  }));
}

/**
 * The full standing of a stored observation: the weakest over itself (its taint) and every
 * source its lineage reaches; the nearest responsible source on a tie.
 */
export function standingOf(db: ReadDb, id: string, verify: RowVerifier): StandingView {
  let weakest: StandingView = VERIFIED;
  const consider = (candidate: StandingView) => {
    // The contract bounds a message at 1,024 characters; a source's own failure message can be near that alone.
    if (rank(candidate.standing) > rank(weakest.standing)) weakest = { ...candidate, message: candidate.message?.slice(0, 1024) ?? null };
  };
  const own = readTaint(db, id);
  if (own) consider(standingOfTaint(id, own));

  const start = readObservation(db, id);
  if (!start) return weakest;
  const seen = new Set<string>([id]);
  const queue: string[] = [...sourcesNamed(start, verify(start))];
  for (const source of queue) seen.add(source);
  let walked = 0;
  for (let head = 0; head < queue.length; head += 1) {
    if (walked >= MAX_LINEAGE) {
      const more = queue.length - head;
      // Nothing beyond the bound was looked at: say so rather than call it verified.
      if (weakest.standing === 'verified') return { standing: 'source-missing', cause: 'lineage-too-long', source: queue[head]!, message: `The lineage holds more than ${MAX_LINEAGE} sources; ${more} were not checked.` };
      return weakest;
    }
    walked += 1;
    const sourceId = queue[head]!;
    const row = readObservation(db, sourceId);
    if (!row) {
      const tombstone = readTombstone(db, sourceId);
      consider(
        tombstone
          ? { standing: 'source-purged', cause: 'purged', source: sourceId, message: `Source ${short(sourceId)} was purged on ${tombstone.purgedAt} by the exit of federation ${tombstone.federation}.` }
          : { standing: 'source-missing', cause: 'missing', source: sourceId, message: `Source ${short(sourceId)} is not held in this workspace.` },
      );
      continue;
    }
    const result = verify(row);
    const taint = readTaint(db, sourceId);
    // A tainted source's credential is revoked from the compromise on: its taint explains that failure.
    if (!result.ok && !(result.reason === 'revoked' && taint)) {
      consider({ standing: 'source-failed', cause: result.reason, source: sourceId, message: `Source ${short(sourceId)} does not verify (${result.reason}): ${result.message}` });
    } else if (taint) {
      consider(standingOfTaint(sourceId, taint));
    }
    for (const next of sourcesNamed(row, result)) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
    // The queue's consumed head is dropped now and then, so a long lineage is not held twice.
    if (head > 65_536) {
      queue.splice(0, head + 1);
      head = -1;
    }
  }
  return weakest;
}

/** The sources a record names when it verifies; the edges filed beside it when it does not (its record cannot be believed). */
function sourcesNamed(row: ObservationRow, result: ReturnType<RowVerifier>): readonly string[] {
  return result.ok ? result.record.lineage.sources : row.sources;
}

function responsibleSource(taint: TaintRow): string | undefined {
  try {
    const evidence = JSON.parse(taint.evidence) as { source?: unknown };
    return typeof evidence.source === 'string' ? evidence.source : undefined;
  } catch {
    return undefined;
  }
}

function taintMessage(id: string, taint: TaintRow, responsible: string): string {
  switch (taint.cause) {
    case 'compromised-credential':
      return `Observation ${short(id)} was made at or after its device credential was compromised (${taint.since}).`;
    case 'partner-notice':
      return `A partner's taint notice marks observation ${short(id)} untrustworthy from ${taint.since}.`;
    case 'tainted-source':
      return `Observation ${short(id)} derives from ${short(responsible)}, which is tainted.`;
    case 'failed-source':
      return `Observation ${short(id)} derives from ${short(responsible)}, which failed verification.`;
    case 'purged-source':
      return `Observation ${short(id)} derives from ${short(responsible)}, which an exit purged.`;
  }
}

function short(id: string): string {
  return `${id.slice(0, 16)}…`;
}
