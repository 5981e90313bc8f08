/**
 * A subject's stored observations as the picture's candidates (core/reconcile/picture.ts's
 * `candidateOf`, built from migration 18's copy rather than a parsed record), with the device
 * certificate each was signed under, for the queue's cause signals; and the check that a copy
 * still says what its record says.
 */
import { canonicalize } from '../../canonical/jcs.js';
import type { GovernedObservation } from '../../observation/record.js';
import type { Candidate } from '../../reconcile/divergence.js';
import { candidateOf } from '../../reconcile/picture.js';
import { subjectCandidateRows, type SubjectCandidateRow } from '../../store/reconcile-store.js';
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
