/**
 * The federation editor's "preview the effect" (issue 16): a valid draft declaration judged against
 * THIS mesh's own history, side by side with the version in force — what would have crossed to each
 * partner or been held back (and why), what that came under the federation would have been
 * admitted, refused or quarantined, and which subjects would be sent to the divergence queue
 * rather than merged. Every verdict comes from the pipeline's own decision functions — the
 * exporter's release control (crossing/export.ts `selectionVerdict`), the admission's declaration
 * checks (crossing/judge.ts `judgeTerms`, with the federation's own attestations) and the what-if
 * replay of arbitration (reconcile/replay.ts `compareSubjects`) — asked read-only: nothing is
 * written, nothing logged. The cost is one pass over the store per side; the examples are capped.
 */
import { Refused } from '../../common/refused.js';
import { Declaration } from '../../federation/declaration.js';
import { evaluate } from '../../federation/lifecycle.js';
import { markingOf, NATO_POLICY, type LabelPolicy } from '../../labels/index.js';
import type { GovernedObservation } from '../../observation/index.js';
import type { PictureRules } from '../../reconcile/picture.js';
import { iterateArrivalsUnder, iterateExportCandidates, latestObservationRowid, type ArrivalRow, type ExportCandidate } from '../../store/crossing-store.js';
import type { ReadOperation } from '../context/operation.js';
import { selectionVerdict, type SelectionVerdict } from '../crossing/export.js';
import { judgeTerms, type TranslationVerdict } from '../crossing/judge.js';
import { ceilingPoliciesOf, crossingParts } from '../crossing/wiring.js';
import { compareSubjects } from '../reconcile/replay.js';
import { rulesInForce, rulesOf } from '../reconcile/rules.js';
import { translatorFor } from '../taxonomy/taxonomy-service.js';
import { checkDraft } from './federation-drafts.js';
import { federationRecord } from './federation-records.js';

/** How many changed observations (and queue subjects) each part lists; the counts are always whole. */
export const EFFECT_EXAMPLES = 50;

export type EffectOutcome = 'crossed' | 'refused' | 'admitted' | 'quarantined';

/** One observation's fate under one declaration: the outcome, the pipeline's reason code (null when it went through), and that reason in words. */
export interface EffectVerdict {
  readonly outcome: EffectOutcome;
  readonly reason: string | null;
  readonly words: string;
}

/** How many observations had each outcome (and reason) under the version in force and under the draft. */
export interface EffectTally {
  readonly outcome: EffectOutcome;
  readonly reason: string | null;
  readonly words: string;
  readonly inForce: number;
  readonly draft: number;
}

/** An observation whose outcome the draft changes. */
export interface EffectChange {
  readonly observation: string;
  readonly subject: string;
  readonly class: string;
  /** The mesh that made it. */
  readonly origin: string;
  /** Outbound: the partner it would go to; inbound: the partner that carried it. */
  readonly partner: string;
  /** Its originator label's marking (STANAG 4774), e.g. "NATO SECRET // REL TO DEU, NLD". */
  readonly label: string;
  readonly inForce: EffectVerdict;
  readonly draft: EffectVerdict;
}

export interface QueueChange {
  readonly subject: string;
  readonly inForce: 'merged' | 'held';
  readonly draft: 'merged' | 'held';
  /** The subject's divergence score (0–1) under each side's weights, and each side's threshold. */
  readonly score: { readonly inForce: number; readonly draft: number };
  readonly threshold: { readonly inForce: number; readonly draft: number };
}

export interface DraftEffect {
  readonly federation: string;
  readonly draftVersion: number;
  /** The version in force it is compared with; null for a new federation (or none ever in force). */
  readonly inForce: number | null;
  readonly judgedAt: string;
  readonly examples: number;
  /** This mesh's own observations and the relays it may pass on, judged for each partner. */
  readonly outbound: {
    readonly observations: number;
    readonly partners: { readonly partner: string; readonly tally: EffectTally[] }[];
    readonly changed: number;
    readonly changes: EffectChange[];
  };
  /** What came under this federation (admitted, or waiting in quarantine), judged again by the admission's declaration checks. */
  readonly inbound: { readonly observations: number; readonly tally: EffectTally[]; readonly changed: number; readonly changes: EffectChange[] };
  /** Every subject, merged or held for the queue under each side's arbitration and divergence threshold. */
  readonly queue: {
    readonly subjects: number;
    /** False when another federation's arbitration governs this mesh's picture whichever version is in force here: both sides are then the same. */
    readonly governs: boolean;
    readonly tally: { readonly state: 'merged' | 'held'; readonly inForce: number; readonly draft: number }[];
    readonly changed: number;
    readonly changes: QueueChange[];
  };
}

/** Reasons in words, for the console and the CLI: the codes are the exporter's and the receiver's own. */
const REASON_WORDS: Record<string, string> = {
  'out-of-scope': 'its class is not in scope between these meshes',
  'outside-window': 'observed outside the validity window',
  'not-releasable': 'its label does not release it to this mesh',
  'above-ceiling': 'classified above the ceiling',
  'translation-loss': 'its marking or terms have no agreed translation',
  'unknown-ceiling-policy': 'the ceiling is stated in a label policy no partner publishes',
  'onward-release-forbidden': 'the originator does not permit onward release',
  'not-a-partner': 'the mesh is not a partner',
  'no-federation': 'no version in force',
};

const OUTCOME_WORDS: Record<EffectOutcome, string> = { crossed: 'would cross', admitted: 'admitted', quarantined: 'quarantined (translation loss)', refused: 'refused' };

function verdict(outcome: EffectOutcome, reason: string | null = null): EffectVerdict {
  const words = reason === null ? OUTCOME_WORDS[outcome] : outcome === 'quarantined' ? OUTCOME_WORDS.quarantined : `${OUTCOME_WORDS[outcome]}: ${REASON_WORDS[reason] ?? reason.replaceAll('-', ' ')}`;
  return { outcome, reason, words };
}

const NO_FEDERATION = verdict('refused', 'no-federation');

/**
 * The effect of a draft (the same object the editor checks) against this mesh's history. Refused
 * `invalid-draft` while the draft has issues: the editor shows those beside their fields instead.
 */
export function previewDraftEffect(op: ReadOperation, candidate: unknown): DraftEffect {
  const checked = checkDraft(op, candidate);
  if (checked.issues.length > 0) {
    const first = checked.issues[0]!;
    const why = first.message.trim().replace(/[.\s]*$/, '');
    throw new Refused('invalid-draft', `The draft is not valid yet${first.path === '' ? '' : ` (${first.path})`}: ${why.slice(0, 512)}.`);
  }
  // checkDraft judged it; the schema's own parse, not the caller's object, is what is judged below.
  const draft = Declaration.parse(candidate);
  const now = op.clock.now();
  const record = federationRecord(op.read, draft.id);
  const inForce = record ? (evaluate(record, now).inForce?.declaration ?? null) : null;
  const policies = policiesFor(op, draft, inForce);
  return {
    federation: draft.id,
    draftVersion: draft.version,
    inForce: inForce?.version ?? null,
    judgedAt: now.toISOString(),
    examples: EFFECT_EXAMPLES,
    outbound: outbound(op, draft, inForce, now, policies),
    inbound: inbound(op, draft, inForce, now, policies),
    queue: queue(op, draft, now),
  };
}

/** The label policies markings are shown in: NATO's, ours, and every partner's of either side. */
function policiesFor(op: ReadOperation, draft: Declaration, inForce: Declaration | null): LabelPolicy[] {
  return [...new Map([...ceilingPoliciesOf(op, inForce ?? undefined), ...ceilingPoliciesOf(op, draft)]).values()];
}

/** A marking with many categories can run long: the contract carries at most this much of it. */
const shortened = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function markingIn(policies: readonly LabelPolicy[], label: GovernedObservation['label']): string {
  return markingOf(label, policies.find((p) => p.id === label.policy.id) ?? (label.policy.id === NATO_POLICY.id ? NATO_POLICY : undefined));
}

/** Counts outcomes per side, in a stable order: what went through first, then each reason by name. */
class Tally {
  private readonly rows = new Map<string, { outcome: EffectOutcome; reason: string | null; words: string; inForce: number; draft: number }>();
  add(side: 'inForce' | 'draft', v: EffectVerdict): void {
    const key = `${v.outcome} ${v.reason ?? ''}`;
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { outcome: v.outcome, reason: v.reason, words: v.words, inForce: 0, draft: 0 }));
    row[side] += 1;
  }
  list(): EffectTally[] {
    const rank: Record<EffectOutcome, number> = { crossed: 0, admitted: 0, quarantined: 1, refused: 2 };
    return [...this.rows.values()].sort((a, b) => rank[a.outcome] - rank[b.outcome] || (a.reason ?? '').localeCompare(b.reason ?? ''));
  }
}

function outbound(op: ReadOperation, draft: Declaration, inForce: Declaration | null, now: Date, policies: readonly LabelPolicy[]): DraftEffect['outbound'] {
  const own = op.mesh().mesh.code;
  const partners = [...new Set([...draft.partners, ...(inForce?.partners ?? [])].map((p) => p.mesh))].filter((m) => m !== own).sort();
  const judge = (declaration: Declaration | null, to: string) =>
    declaration && declaration.partners.some((p) => p.mesh === to)
      ? selectionVerdict(op, { ...crossingParts, policyOf: (_op, _federation, id) => ceilingPoliciesOf(op, declaration).get(id) }, { own, to, federation: declaration.id, declaration, now })
      : null;
  const judges = partners.map((to) => ({ to, draft: judge(draft, to), inForce: judge(inForce, to), tally: new Tally() }));
  // Without a version in force nothing crosses; with one that lacks the partner, nothing goes to it.
  const absent = (declaration: Declaration | null) => (declaration ? verdict('refused', 'not-a-partner') : NO_FEDERATION);
  const asEffect = (v: SelectionVerdict): EffectVerdict => (v.release ? verdict('crossed') : verdict('refused', v.reason === 'origin' ? 'not-a-partner' : v.reason));

  const changes: EffectChange[] = [];
  let changed = 0;
  let observations = 0;
  // Read a page of candidates at a time (the store may not be asked anything while a statement iterates).
  for (const candidate of iterateExportCandidates(op.read, 0, latestObservationRowid(op.read))) {
    // What this mesh could release at all: its own, and relays whose rule permits onward release.
    if (candidate.mesh !== own && (candidate.cameUnder === null || candidate.onwardRelease !== 'permitted')) continue;
    let judged = false;
    for (const j of judges) {
      if (candidate.mesh === j.to) continue; // never back where it came from
      judged = true;
      const a = j.inForce ? asEffect(j.inForce(candidate)) : absent(inForce);
      const b = j.draft ? asEffect(j.draft(candidate)) : absent(draft);
      j.tally.add('inForce', a);
      j.tally.add('draft', b);
      if (a.outcome === b.outcome && a.reason === b.reason) continue;
      changed += 1;
      if (changes.length < EFFECT_EXAMPLES) changes.push(changeOf(candidate, j.to, policies, a, b));
    }
    if (judged) observations += 1;
  }
  return { observations, partners: judges.map((j) => ({ partner: j.to, tally: j.tally.list() })), changed, changes };
}

function changeOf(row: ExportCandidate | ArrivalRow, partner: string, policies: readonly LabelPolicy[], inForce: EffectVerdict, draft: EffectVerdict): EffectChange {
  const record = JSON.parse(row.record) as GovernedObservation;
  const observation = 'id' in row ? row.id : row.observationId;
  return { observation, subject: record.subject, class: record.class, origin: record.mesh, partner, label: shortened(markingIn(policies, record.label), 1000), inForce, draft };
}

function inbound(op: ReadOperation, draft: Declaration, inForce: Declaration | null, now: Date, policies: readonly LabelPolicy[]): DraftEffect['inbound'] {
  const own = op.mesh().mesh.code;
  const judge = (declaration: Declaration | null) => {
    if (!declaration) return () => NO_FEDERATION;
    const ceilings = ceilingPoliciesOf(op, declaration);
    const translators = new Map<string, ((record: GovernedObservation) => TranslationVerdict) | null>();
    const translatorOf = (from: string) => {
      if (!translators.has(from)) {
        try {
          translators.set(from, translatorFor(op, { from, federation: declaration.id, now, declaration }));
        } catch (error) {
          if (!(error instanceof Refused)) throw error;
          translators.set(from, null);
        }
      }
      return translators.get(from)!;
    };
    const isPartner = (mesh: string) => declaration.partners.some((p) => p.mesh === mesh);
    return (row: ArrivalRow, record: GovernedObservation): EffectVerdict => {
      // The hello would be refused before any item: its carrier must be a partner (0005 "Discovery").
      if (!isPartner(row.partner) || !isPartner(record.mesh)) return verdict('refused', 'not-a-partner');
      const translate = translatorOf(record.mesh);
      if (!translate) return verdict('refused', 'not-a-partner');
      const terms = judgeTerms({ ownMesh: own, federation: { id: declaration.id, version: declaration.version, declaration }, carrier: row.partner, translate, policyOf: (id) => ceilings.get(id) }, row.observationId, record);
      return terms.outcome === 'pass' ? verdict('admitted') : terms.outcome === 'quarantined' ? verdict('quarantined', 'translation-loss') : verdict('refused', terms.reason);
    };
  };
  const underDraft = judge(draft);
  const underInForce = judge(inForce);
  const tally = new Tally();
  const changes: EffectChange[] = [];
  let changed = 0;
  let observations = 0;
  for (const row of iterateArrivalsUnder(op.read, draft.id)) {
    observations += 1;
    const record = JSON.parse(row.record) as GovernedObservation;
    const a = underInForce(row, record);
    const b = underDraft(row, record);
    tally.add('inForce', a);
    tally.add('draft', b);
    if (a.outcome === b.outcome && a.reason === b.reason) continue;
    changed += 1;
    if (changes.length < EFFECT_EXAMPLES) changes.push(changeOf(row, row.partner, policies, a, b));
  }
  return { observations, tally: tally.list(), changed, changes };
}

/**
 * The picture's rules are the first active federation's by id (reconcile/rules.ts): the draft's
 * arbitration governs only if its federation is, or would be, that one. Otherwise both sides
 * keep the rules in force and nothing changes, which the result says.
 */
function queue(op: ReadOperation, draft: Declaration, now: Date): DraftEffect['queue'] {
  const current = rulesInForce(op, now);
  const governs = current.federation === null || current.federation.id >= draft.id;
  const replayed: PictureRules = governs ? rulesOf(draft) : current.rules;
  const counts = { merged: { inForce: 0, draft: 0 }, held: { inForce: 0, draft: 0 } };
  const changes: QueueChange[] = [];
  let changed = 0;
  let subjects = 0;
  for (const { subject, current: a, replayed: b } of compareSubjects(op, current.rules, replayed)) {
    subjects += 1;
    counts[a.state].inForce += 1;
    counts[b.state].draft += 1;
    if (a.state === b.state) continue;
    changed += 1;
    if (changes.length < EFFECT_EXAMPLES) {
      changes.push({ subject, inForce: a.state, draft: b.state, score: { inForce: a.divergence.score, draft: b.divergence.score }, threshold: { inForce: current.rules.divergenceThreshold, draft: replayed.divergenceThreshold } });
    }
  }
  return { subjects, governs, tally: (['merged', 'held'] as const).map((state) => ({ state, ...counts[state] })), changed, changes };
}
