/**
 * A subject's evidence as the store keeps it (core/reconcile/claims.ts; docs/decisions/0007,
 * "A mesh's current claims"): its current claims and decisions as migration 19 indexes them, the
 * observation that first reported it, and its lineage read through the store on demand. What a
 * subject's recomputation reads is then its claims, not its history: at most one observation per
 * mesh and field, plus the sources of a pair found in conflict.
 */
import { claimsByField, earlier, originOf, type SubjectEvidence } from '../../reconcile/claims.js';
import { ancestryThrough, fieldsOf, type Candidate } from '../../reconcile/divergence.js';
import {
  dataSources,
  readPictureCandidate,
  subjectCandidateRows,
  subjectClaimRows,
  subjectDecisionRows,
  subjectHeld,
  type PictureOriginRow,
} from '../../store/reconcile-store.js';
import type { WriteDb } from '../../store/database.js';
import { rowCandidate, type HeldCandidate } from './candidates.js';

export interface StoredEvidence extends SubjectEvidence {
  /** Each claiming observation and decision with its device certificate (the queue's cause signals read it). */
  readonly held: ReadonlyMap<string, HeldCandidate>;
  /** The origin to keep on the subject's row (null: it holds no data). */
  readonly origin: PictureOriginRow | null;
}

/**
 * The evidence of `subject`, with its origin brought up to date from `known` (the one its picture
 * row keeps; null when not known): `added`, the ids of the subject just stored, are all that can
 * have changed it; without them (a purge, a rebuild) the origin is found from the whole history.
 * Null when the subject holds nothing.
 */
export function storedEvidence(db: WriteDb, subject: string, added: readonly string[] | undefined, known: PictureOriginRow | null): StoredEvidence | null {
  const held = new Map<string, HeldCandidate>();
  const heldCandidate = (row: Parameters<typeof rowCandidate>[0]): Candidate => {
    let entry = held.get(row.id);
    if (!entry) held.set(row.id, (entry = { candidate: rowCandidate(row), certificate: row.certificate }));
    return entry.candidate;
  };
  const latest = new Map<string, Map<string, Candidate>>();
  for (const row of subjectClaimRows(db, subject)) {
    const candidate = heldCandidate(row);
    let perMesh = latest.get(row.field);
    if (!perMesh) latest.set(row.field, (perMesh = new Map()));
    perMesh.set(row.mesh, { ...candidate, value: fieldsOf(candidate.payload).get(row.field) });
  }
  const decisions = subjectDecisionRows(db, subject).map(heldCandidate);
  if (held.size === 0 && !subjectHeld(db, subject)) return null;
  const claims = claimsByField(latest);
  const origin = keptOrigin(db, subject, added, known);
  return { claims, decisions, originator: origin?.mesh, related: storedAncestry(db, subject), held, origin };
}

/**
 * The subject's origin after `added` were stored. The earliest lineage root can change only by a
 * new root stated earlier, or by the origin itself ceasing to be a root because a source it cites
 * arrived late: then, and when the origin is not known, it is found from the whole history.
 */
function keptOrigin(db: WriteDb, subject: string, added: readonly string[] | undefined, known: PictureOriginRow | null): PictureOriginRow | null {
  const addedSet = new Set(added ?? []);
  const originSources = known ? dataSources(db, subject, known.observation) : undefined;
  if (!known || added === undefined || originSources === undefined || sourcesOf(originSources).some((s) => addedSet.has(s))) {
    const data = subjectCandidateRows(db, subject).map(rowCandidate).filter((c) => c.class !== 'decision');
    const first = originOf(data);
    return first ? { observation: first.id, mesh: first.mesh, statedMs: first.statedAt } : null;
  }
  let origin = known;
  for (const id of addedSet) {
    const row = readPictureCandidate(db, subject, id);
    if (!row || row.class === 'decision') continue;
    const candidate = rowCandidate(row);
    const isRoot = !candidate.sources.some((source) => dataSources(db, subject, source) !== undefined);
    if (isRoot && earlier(candidate, { statedAt: origin.statedMs, id: origin.observation })) origin = { observation: candidate.id, mesh: candidate.mesh, statedMs: candidate.statedAt };
  }
  return origin;
}

const sourcesOf = (json: string): string[] => (json === '[]' ? [] : (JSON.parse(json) as string[]));

/** Ancestry within the subject's data through the store: `ancestry` over its whole history, read only as far as asked. */
function storedAncestry(db: WriteDb, subject: string): (a: string, b: string) => boolean {
  return ancestryThrough((id) => {
    const sources = dataSources(db, subject, id);
    return sources === undefined ? undefined : sourcesOf(sources);
  });
}
