/**
 * The joint picture (docs/decisions/0007, "The joint picture, divergence and the queue"): per
 * subject, per field (the payload's top-level members), the value of the candidate arbitration
 * picks, with the observation and mesh that supplied it. A subject whose divergence is above the
 * declared threshold is `held`: it keeps the fields not in conflict, and a field in conflict
 * only as the non-competing observations give it; a queue item opens, until a decision on that item settles it. The subject digest is SHA-256 of
 * the canonical JSON (RFC 8785) of `{ subject, fields: { field: { value, observation } }, state }`;
 * the picture digest is the sum mod 2^256 of the subject digests, so an update costs only the
 * subjects it touches and two meshes with the same signed content compare one hash.
 */
import { createHash } from 'node:crypto';
import { canonicalize } from '../canonical/jcs.js';
import type { GovernedObservation } from '../observation/record.js';
import { claimants, evidenceOf, type SubjectEvidence } from './claims.js';
import { decisionsAmong, fitsItem, queueItemId, settle, type DecisionCandidate, type QueueItemKind } from './decision.js';
import { divergenceOfClaims, fieldsOf, type Candidate, type Divergence, type DivergenceRules } from './divergence.js';
import { arbitrate as declaredArbitration, type Arbitrated, type Arbitration, type ArbitrationContext } from './arbitration/index.js';

/**
 * The declaration's arbitration the picture is computed under, with what a shorthand leaves
 * out filled by `effectiveArbitration` (the concurrency window, the decision precedence).
 */
export type PictureRules = Arbitration & DivergenceRules;

/** One field's arbitration: core/reconcile/arbitration's `arbitrate` has this shape. */
export type Arbiter = (rules: PictureRules, subject: string, field: string, candidates: readonly Candidate[], context?: ArbitrationContext) => Arbitrated;

export type SubjectStateName = 'merged' | 'held';

export interface FieldState {
  readonly value: unknown;
  readonly observation: string;
  readonly mesh: string;
}

export interface OpenItem {
  readonly id: string;
  readonly kind: QueueItemKind;
  /** The competing observations (a divergence) or the clashing decisions (a clash), sorted. */
  readonly competing: readonly string[];
  /** Escalated by the prevailing decision: still open, for someone above. */
  readonly escalated: boolean;
}

export interface SubjectState {
  readonly subject: string;
  readonly fields: Readonly<Record<string, FieldState>>;
  readonly state: SubjectStateName;
  readonly divergence: Divergence;
  /** The divergence item, open or settled (none when the score is at or below the threshold). */
  readonly item?: { readonly id: string; readonly competing: readonly string[]; readonly decision?: string; readonly action?: string };
  /** Queue items this subject keeps open: an unsettled or escalated divergence, a decision clash. */
  readonly open: readonly OpenItem[];
  /** What the policy would have chosen for each field in conflict (held or decided). */
  readonly policyChoice: Readonly<Record<string, { readonly observation: string; readonly why: string }>>;
  /** Fields where arbitration settled a concurrent conflict below the threshold (worth a log line). */
  /** Per conflicting field settled by arbitration: the concurrent candidates, the winner among them, and why. */
  readonly arbitrated: readonly { readonly field: string; readonly candidates: readonly string[]; readonly winner: string; readonly why: string }[];
}

/** An observation as a candidate (its whole payload as `value`; the field's value is filled per field). */
export function candidateOf(id: string, record: GovernedObservation): Candidate {
  return {
    id,
    mesh: record.mesh,
    class: record.class,
    statedAt: Date.parse(record.time.wall),
    hlc: { l: record.time.hlc.l, c: record.time.hlc.c },
    value: record.payload,
    payload: record.payload,
    authority: record.authority.issuer,
    device: record.device.id,
    // Every credential admitted is one the chain accepted; grades of strength are the arbitration's growth.
    credentialStrength: 1,
    sources: record.lineage.sources,
  };
}

/** Per field, the arbitrated winner among the claims on it. */
function mergeClaims(rules: PictureRules, subject: string, claims: ReadonlyMap<string, readonly Candidate[]>, arbitrate: Arbiter, context: ArbitrationContext): { fields: Record<string, FieldState>; why: Record<string, Arbitrated> } {
  const fields: Record<string, FieldState> = {};
  const why: Record<string, Arbitrated> = {};
  for (const field of [...claims.keys()].sort()) {
    const list = claims.get(field)!;
    if (list.length === 0) continue;
    const result = list.length === 1 ? { winner: list[0]!, why: 'sole candidate' } : arbitrate(rules, subject, field, list, context);
    fields[field] = { value: result.winner.value, observation: result.winner.id, mesh: result.winner.mesh };
    why[field] = result;
  }
  return { fields, why };
}

/** The observations in conflict on `field` (concurrent by construction: related or far-apart pairs are no conflict), sorted. */
function concurrentIn(divergence: Divergence, field: string): string[] {
  return [...new Set(divergence.conflicts.filter((c) => c.field === field).flatMap((c) => c.pair))].sort();
}

/**
 * A subject's state from every observation held about it (decisions among them), through its
 * current claims (core/reconcile/claims.ts). Order of the candidates does not matter; duplicates
 * (same id) count once.
 */
export function subjectState(rules: PictureRules, subject: string, all: readonly Candidate[], arbitrate: Arbiter = declaredArbitration): SubjectState {
  return stateOfEvidence(rules, subject, evidenceOf(all), arbitrate);
}

/**
 * A subject's state from its evidence: each mesh's current claim per field, arbitrated and
 * scored for divergence; above the threshold the subject is held for a decision on the claims
 * in conflict.
 */
export function stateOfEvidence(rules: PictureRules, subject: string, evidence: SubjectEvidence, arbitrate: Arbiter = declaredArbitration): SubjectState {
  const context: ArbitrationContext = evidence.originator === undefined ? {} : { originator: evidence.originator };
  const divergence = divergenceOfClaims(rules, evidence.claims, evidence.related);
  const merged = mergeClaims(rules, subject, evidence.claims, arbitrate, context);
  if (divergence.score <= rules.divergenceThreshold) {
    const arbitrated = divergence.fields.map((field) => {
      const winner = merged.fields[field]!.observation;
      // The winner is chosen among every claim on the field; it may be one outside the conflicting pairs.
      return { field, candidates: [...new Set([winner, ...concurrentIn(divergence, field)])].sort(), winner, why: merged.why[field]!.why };
    });
    return { subject, fields: merged.fields, state: 'merged', divergence, open: [], policyChoice: {}, arbitrated };
  }
  const competingIds = new Set(divergence.competing);
  const competing = claimants(evidence.claims).filter((c) => competingIds.has(c.id));
  const rest = new Map([...evidence.claims].map(([field, list]) => [field, list.filter((c) => !competingIds.has(c.id))] as const));
  const itemId = queueItemId(subject, divergence.competing);
  const policyChoice = Object.fromEntries(divergence.fields.map((field) => [field, { observation: merged.fields[field]!.observation, why: merged.why[field]!.why }]));
  // Held: fields not in conflict as arbitration gives them; a field in conflict only as the claims not competing give it.
  const quiet = mergeClaims(rules, subject, rest, arbitrate, context).fields;
  const inConflict = new Set(divergence.fields);
  const held = sortedFields({
    ...Object.fromEntries(Object.entries(merged.fields).filter(([field]) => !inConflict.has(field))),
    ...Object.fromEntries(Object.entries(quiet).filter(([field]) => inConflict.has(field))),
  });
  const decisions = decisionsAmong(evidence.decisions).filter((d) => d.payload.item === itemId && fitsItem(d.payload, competing));
  const settlement = settle(subject, decisions, rules.decisionPrecedence);
  const base = { subject, divergence, policyChoice, arbitrated: [] };
  if (!settlement) {
    return { ...base, fields: held, state: 'held', item: { id: itemId, competing: divergence.competing }, open: [{ id: itemId, kind: 'divergence', competing: divergence.competing, escalated: false }] };
  }
  const { prevailing, clash } = settlement;
  const clashItem: OpenItem[] = clash ? [{ id: clash.item, kind: 'decision-clash', competing: clash.decisions, escalated: false }] : [];
  const item = { id: itemId, competing: divergence.competing, decision: prevailing.candidate.id, action: prevailing.payload.action };
  if (prevailing.payload.action === 'escalate') {
    return { ...base, fields: held, state: 'held', item, open: [{ id: itemId, kind: 'divergence', competing: divergence.competing, escalated: true }, ...clashItem] };
  }
  return { ...base, fields: applyDecision(prevailing, competing, held, merged.fields), state: 'merged', item, open: clashItem };
}

/** The fields a prevailing decision settles the subject on: from the held fields (reject, choose) or the arbitrated ones (merge). */
function applyDecision(decision: DecisionCandidate, competing: readonly Candidate[], held: Record<string, FieldState>, merged: Record<string, FieldState>): Record<string, FieldState> {
  const { payload } = decision;
  if (payload.action === 'reject') return held;
  if (payload.action === 'choose') {
    const chosen = competing.find((c) => c.id === payload.choose)!;
    const fields = { ...held };
    for (const [field, value] of fieldsOf(chosen.payload)) fields[field] = { value, observation: chosen.id, mesh: chosen.mesh };
    return sortedFields(fields);
  }
  // merge: the arbitrated picture, with each named field taken from the observation named.
  const fields = { ...merged };
  for (const [field, id] of Object.entries(payload.merge!)) {
    const from = competing.find((c) => c.id === id)!;
    fields[field] = { value: fieldsOf(from.payload).get(field), observation: from.id, mesh: from.mesh };
  }
  return sortedFields(fields);
}

function sortedFields(fields: Record<string, FieldState>): Record<string, FieldState> {
  return Object.fromEntries(Object.keys(fields).sort().map((f) => [f, fields[f]!]));
}

/** SHA-256 (hex) of the canonical `{ subject, fields: { field: { value, observation } }, state }`. */
export function subjectDigest(state: Pick<SubjectState, 'subject' | 'fields' | 'state'>): string {
  const fields = Object.fromEntries(Object.entries(state.fields).map(([f, s]) => [f, { value: s.value, observation: s.observation }]));
  return createHash('sha256').update(canonicalize({ subject: state.subject, fields, state: state.state }), 'utf8').digest('hex');
}

const MODULUS = 1n << 256n;
export const EMPTY_PICTURE_DIGEST = '0'.repeat(64);

/** The picture digest with `add` subject digests added and `remove` taken away, mod 2^256. */
export function updatePictureDigest(sum: string, add: readonly string[], remove: readonly string[] = []): string {
  let total = BigInt(`0x${sum}`);
  for (const d of add) total += BigInt(`0x${d}`);
  for (const d of remove) total -= BigInt(`0x${d}`);
  total = ((total % MODULUS) + MODULUS) % MODULUS;
  return total.toString(16).padStart(64, '0');
}

/** The whole picture in memory (replay, tests, a full recomputation): subject states and the digest. */
export function computePicture(rules: PictureRules, candidates: Iterable<{ subject: string; candidate: Candidate }>, arbitrate: Arbiter = declaredArbitration): { digest: string; subjects: Map<string, SubjectState> } {
  const bySubject = new Map<string, Candidate[]>();
  for (const { subject, candidate } of candidates) {
    let list = bySubject.get(subject);
    if (!list) bySubject.set(subject, (list = []));
    list.push(candidate);
  }
  const subjects = new Map<string, SubjectState>();
  const digests: string[] = [];
  for (const [subject, list] of bySubject) {
    const state = subjectState(rules, subject, list, arbitrate);
    subjects.set(subject, state);
    digests.push(subjectDigest(state));
  }
  return { digest: updatePictureDigest(EMPTY_PICTURE_DIGEST, digests), subjects };
}
