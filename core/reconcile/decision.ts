/**
 * Human decisions (docs/decisions/0007, "A decision"): a governed observation of class
 * `decision`, subject = the queue item's subject, signed by an operator, lineage sources = the
 * competing observations, payload `{ item, action, choose?, merge?, reason }`. Which of several
 * decisions on one item prevails is declared (`decisionPrecedence`); a clash between meshes
 * opens its own queue item. Everything here is a function of the signed records only.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalize } from '../canonical/jcs.js';
import { describeIssues, Sha256Hex } from '../common/atoms.js';
import { Refused } from '../common/refused.js';
import type { Candidate } from './divergence.js';

export const DECISION_CLASS = 'decision';
/** Who signs a record of this class: a decision is an operator's, every other record a device's. */
export function signerRole(observationClass: string): 'operator' | 'device' {
  return observationClass === DECISION_CLASS ? 'operator' : 'device';
}

export const DECISION_ACTIONS = ['choose', 'merge', 'reject', 'escalate'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];
export const DECISION_REASON_MAX = 2_000;

// eslint-disable-next-line no-control-regex -- a reason with control characters could forge lines in the queue's listing.
const Reason = z.string().min(1).max(DECISION_REASON_MAX).regex(/^[^\u0000-\u0008\u000b-\u001f\u007f]*$/, 'expected text without control characters').refine((s) => s.trim().length > 0, 'must not be blank');

export const DecisionPayload = z
  .strictObject({
    item: Sha256Hex,
    action: z.enum(DECISION_ACTIONS),
    choose: Sha256Hex.optional(),
    merge: z.record(z.string().min(1).max(256), Sha256Hex).optional(),
    reason: Reason,
  })
  .superRefine((p, ctx) => {
    if ((p.action === 'choose') !== (p.choose !== undefined)) ctx.addIssue({ code: 'custom', path: ['choose'], message: 'is given exactly when the action is choose' });
    if ((p.action === 'merge') !== (p.merge !== undefined)) ctx.addIssue({ code: 'custom', path: ['merge'], message: 'is given exactly when the action is merge' });
    if (p.merge !== undefined && Object.keys(p.merge).length === 0) ctx.addIssue({ code: 'custom', path: ['merge'], message: 'must name at least one field' });
  });
export type DecisionPayload = z.infer<typeof DecisionPayload>;

/** Checks a decision payload a person (or a partner) wrote. @throws Refused('malformed-decision'). */
export function parseDecisionPayload(candidate: unknown): DecisionPayload {
  const parsed = DecisionPayload.safeParse(candidate);
  if (!parsed.success) throw new Refused('malformed-decision', `The decision is malformed: ${describeIssues(parsed.error, 'decision')}.`);
  return parsed.data;
}

export type QueueItemKind = 'divergence' | 'decision-clash';

/**
 * A queue item's id: SHA-256 of the subject ‖ the sorted competing ids, joined by newlines (a
 * subject holds no control character, so the joining is unambiguous). Same competing set, same
 * item, on every mesh; one more competing observation, a new item.
 */
export function queueItemId(subject: string, competing: readonly string[]): string {
  return createHash('sha256').update([subject, ...[...competing].sort()].join('\n'), 'utf8').digest('hex');
}

/** A decision observation read as a candidate, with its payload checked. */
export interface DecisionCandidate {
  readonly candidate: Candidate;
  readonly payload: DecisionPayload;
}

/** The decision candidates among `candidates` whose payload is well formed (a malformed one decides nothing). */
export function decisionsAmong(candidates: readonly Candidate[]): DecisionCandidate[] {
  const found: DecisionCandidate[] = [];
  for (const candidate of candidates) {
    if (candidate.class !== DECISION_CLASS) continue;
    const parsed = DecisionPayload.safeParse(candidate.payload);
    if (parsed.success) found.push({ candidate, payload: parsed.data });
  }
  return found;
}

/**
 * Whether the decision fits the item it names: what it chooses or merges from is among the
 * competing observations, and a merge names only fields of the observation it takes them from.
 */
export function fitsItem(decision: DecisionPayload, competing: readonly Candidate[]): boolean {
  const byId = new Map(competing.map((c) => [c.id, c]));
  if (decision.action === 'choose') return byId.has(decision.choose!);
  if (decision.action === 'merge') {
    return Object.entries(decision.merge!).every(([field, id]) => {
      const from = byId.get(id);
      return from !== undefined && from.payload !== null && typeof from.payload === 'object' && !Array.isArray(from.payload) && Object.hasOwn(from.payload, field);
    });
  }
  return true;
}

export interface Settlement {
  /** The decision that prevails. */
  readonly prevailing: DecisionCandidate;
  /** When decisions from different meshes say different things: the clash's queue item and the decisions in it. */
  readonly clash?: { readonly item: string; readonly decisions: readonly string[] };
}

/**
 * Which decision on one item prevails: the deciding mesh's place in `decisionPrecedence`
 * (a mesh not named comes after every named one, then by code), then within a mesh the newest
 * by its HLC (a mesh's later decision revises its earlier one), then the id: a total order.
 */
export function settle(subject: string, decisions: readonly DecisionCandidate[], precedence: readonly string[] = []): Settlement | undefined {
  if (decisions.length === 0) return undefined;
  const rank = (mesh: string) => {
    const at = precedence.indexOf(mesh);
    return at === -1 ? precedence.length : at;
  };
  const ordered = [...decisions].sort((x, y) => {
    const a = x.candidate;
    const b = y.candidate;
    if (rank(a.mesh) !== rank(b.mesh)) return rank(a.mesh) - rank(b.mesh);
    if (a.mesh !== b.mesh) return a.mesh < b.mesh ? -1 : 1;
    if (a.hlc.l !== b.hlc.l) return b.hlc.l - a.hlc.l;
    if (a.hlc.c !== b.hlc.c) return b.hlc.c - a.hlc.c;
    return a.id < b.id ? -1 : 1;
  });
  const prevailing = ordered[0]!;
  // Each mesh's own word is its newest decision; meshes whose words differ clash.
  const perMesh = new Map<string, DecisionCandidate>();
  for (const d of ordered) if (!perMesh.has(d.candidate.mesh)) perMesh.set(d.candidate.mesh, d);
  const words = new Set([...perMesh.values()].map((d) => canonicalize(effectOf(d.payload))));
  if (words.size <= 1) return { prevailing };
  const clashing = [...perMesh.values()].map((d) => d.candidate.id).sort();
  return { prevailing, clash: { item: queueItemId(subject, clashing), decisions: clashing } };
}

/** What a decision does, without its reason: two decisions that do the same do not clash. */
function effectOf(p: DecisionPayload): unknown {
  return { action: p.action, choose: p.choose ?? null, merge: p.merge ?? null };
}
