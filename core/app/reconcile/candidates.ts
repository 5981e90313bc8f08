/**
 * A subject's stored observations as the picture's candidates (core/reconcile/picture.ts's
 * `candidateOf`, built from migration 18's copy rather than a parsed record), with the device
 * certificate each was signed under, for the queue's cause signals; and the check that a copy
 * still says what its record says.
 */
import { canonicalize } from '../../canonical/jcs.js';
import type { GovernedObservation } from '../../observation/record.js';
import { laterClaim } from '../../reconcile/claims.js';
import { DECISION_CLASS } from '../../reconcile/decision.js';
import { fieldsOf, type Candidate } from '../../reconcile/divergence.js';
import { candidateOf } from '../../reconcile/picture.js';
import { readPictureCandidate, readPictureClaim, subjectCandidateRows, type SubjectCandidateRow } from '../../store/reconcile-store.js';
import type { ReadDb } from '../../store/database.js';

export interface HeldCandidate {
  readonly candidate: Candidate;
  readonly certificate: string;
}

export function subjectCandidates(db: ReadDb, subject: string): HeldCandidate[] {
  return subjectCandidateRows(db, subject).map((row) => ({ certificate: row.certificate, candidate: rowCandidate(row) }));
}

export function rowCandidate(row: SubjectCandidateRow): Candidate {
  const payload: unknown = JSON.parse(row.payload);
  return {
    id: row.id,
    mesh: row.mesh,
    class: row.class,
    statedAt: Date.parse(row.wall),
    hlc: { l: Number(row.hlcL), c: Number(row.hlcC) },
    value: payload,
    payload,
    authority: row.authority,
    device: row.device,
    // As candidateOf: every credential admitted is one the chain accepted.
    credentialStrength: 1,
    sources: row.sources === '[]' ? [] : (JSON.parse(row.sources) as string[]),
  };
}

/**
 * The first field of an observation's picture copy (migration 18) that differs from its signed
 * record: what `entente verify` names, since an edited copy would put a value no one signed
 * into the picture.
 */
export function miscopiedField(copy: SubjectCandidateRow, id: string, record: GovernedObservation): { field: string; stored: unknown; actual: unknown } | null {
  const expected = candidateOf(id, record);
  const stored = rowCandidate(copy);
  const pairs: [string, unknown, unknown][] = [
    ['mesh', stored.mesh, expected.mesh],
    ['class', stored.class, expected.class],
    ['time.wall', copy.wall, record.time.wall],
    ['time.hlc', canonicalize(stored.hlc), canonicalize(expected.hlc)],
    ['device', stored.device, expected.device],
    ['device certificate', copy.certificate, record.device.certificate],
    ['authority', stored.authority, expected.authority],
    ['payload', canonicalize(stored.payload), canonicalize(expected.payload)],
    ['sources', canonicalize(stored.sources), canonicalize(expected.sources)],
  ];
  const differing = pairs.find(([, a, b]) => a !== b);
  return differing ? { field: differing[0], stored: differing[1], actual: differing[2] } : null;
}

/**
 * What is wrong with the current claims (migration 19) an observation's fields are filed under,
 * if anything: for each field it asserts, its mesh's claim must exist, be no earlier than it, and
 * name one of the subject's observations of that mesh that asserts the field at the HLC the
 * claim says. Every assertion checked so, each claim is its mesh's latest: what `entente verify`
 * names, since an edited claim would put an observation no longer current into the picture.
 */
export function misclaimedField(db: ReadDb, subject: string, copy: SubjectCandidateRow): string | null {
  if (copy.class === DECISION_CLASS) return null;
  const own = { hlc: { l: Number(copy.hlcL), c: Number(copy.hlcC) }, id: copy.id };
  for (const field of fieldsOf(JSON.parse(copy.payload) as unknown).keys()) {
    const claim = readPictureClaim(db, subject, field, copy.mesh);
    if (!claim) return `has no current claim of ${copy.mesh} on field ${JSON.stringify(field)}, which it asserts`;
    const claimed = { hlc: { l: Number(claim.hlcL), c: Number(claim.hlcC) }, id: claim.observation };
    if (laterClaim(own, claimed)) return `is later than the claim of ${copy.mesh} on field ${JSON.stringify(field)}, which names ${claim.observation.slice(0, 16)}…`;
    const named = claim.observation === copy.id ? copy : readPictureCandidate(db, subject, claim.observation);
    const asserts = named !== undefined && named.mesh === copy.mesh && named.class !== DECISION_CLASS && fieldsOf(JSON.parse(named.payload) as unknown).has(field);
    if (!asserts || Number(named.hlcL) !== claimed.hlc.l || Number(named.hlcC) !== claimed.hlc.c) {
      return `is filed under a claim of ${copy.mesh} on field ${JSON.stringify(field)} naming ${claim.observation.slice(0, 16)}…, which is not an assertion of that field by that mesh at the clock the claim says`;
    }
  }
  return null;
}
