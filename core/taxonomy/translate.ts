/**
 * Translation through a pivot (decision 0005): a term of mesh A reaches mesh B by A's
 * attestation to a pivot term and the inverse of B's attestation from it, carrying the weaker
 * grade. Nothing is renamed: a translated marking becomes a STANAG 4774 *alternative* label in
 * the receiver's policy, beside the originator's, and an approximate one lands on the most
 * restrictive receiver level among the candidates (DOMAIN.md §10: "an approximate
 * classification mapping admits at the more restrictive level"). No candidate is translation
 * loss, never a guess.
 */
import { normaliseLabel, type Category, type ConfidentialityLabel } from '../labels/label.js';
import { allowsValue, classificationRank, type LabelPolicy } from '../labels/policy.js';
import { checkAgainstPolicy } from '../labels/validate.js';
import type { AttestationBody } from './attestation.js';
import { compose, inverse, stronger, weakerOf, type Relation } from './grades.js';
import { MARKINGS, MARKINGS_PIVOT, type Vocabulary } from './vocabulary.js';

/** UTF-16 code unit order (RFC 8785 §3.2.3's): the same answer on every platform. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What translation needs of an attestation: its id (to cite) and its verified body. */
export interface AttestationFact {
  readonly id: string;
  readonly body: Pick<AttestationBody, 'mesh' | 'vocabulary' | 'term' | 'relation' | 'pivot'>;
}

export interface TermRef {
  readonly mesh: string;
  readonly vocabulary: string;
  readonly term: string;
}

/** One term a translation could land on, with its grade and the attestations it rests on. */
export interface Candidate {
  readonly term: string;
  readonly grade: Relation;
  readonly attestations: readonly string[];
}

export interface MissingTerm {
  readonly vocabulary: string;
  readonly term: string;
}

export type TermTranslation = { readonly ok: true; readonly term: string; readonly grade: Relation; readonly attestations: readonly string[] } | { readonly ok: false; readonly reason: 'translation-loss' };

const attestedBy = (attestations: readonly AttestationFact[], ref: TermRef) =>
  attestations.filter((a) => a.body.mesh === ref.mesh && a.body.vocabulary === ref.vocabulary && a.body.term === ref.term);

/** Keeps, for each term, its strongest way there. */
function bestPerTerm(found: readonly Candidate[]): Candidate[] {
  const best = new Map<string, Candidate>();
  for (const candidate of found) {
    const held = best.get(candidate.term);
    if (!held || stronger(candidate.grade, held.grade)) best.set(candidate.term, candidate);
  }
  return [...best.values()].sort((a, b) => byCodeUnits(a.term, b.term));
}

/** Every pivot term A's term is attested against, graded as A's authority stated. */
export function pivotCandidates(from: TermRef, attestations: readonly AttestationFact[], pivot?: string): Candidate[] {
  return bestPerTerm(
    attestedBy(attestations, from)
      .filter((a) => pivot === undefined || a.body.pivot.vocabulary === pivot)
      .map((a) => ({ term: a.body.pivot.term, grade: a.body.relation, attestations: [a.id] })),
  );
}

/** Every term of B's vocabulary attested against this pivot term, graded pivot → B (the inverse of B's statement). */
export function fromPivotCandidates(pivot: { vocabulary: string; term: string }, to: { mesh: string; vocabulary: string }, attestations: readonly AttestationFact[]): Candidate[] {
  return bestPerTerm(
    attestations
      .filter((b) => b.body.mesh === to.mesh && b.body.vocabulary === to.vocabulary && b.body.pivot.vocabulary === pivot.vocabulary && b.body.pivot.term === pivot.term)
      .map((b) => ({ term: b.body.term, grade: inverse(b.body.relation), attestations: [b.id] })),
  );
}

/** Every term of B's vocabulary that A's term reaches through a shared pivot term. */
export function translationCandidates(from: TermRef, to: { mesh: string; vocabulary: string }, attestations: readonly AttestationFact[]): Candidate[] {
  const found: Candidate[] = [];
  for (const a of attestedBy(attestations, from)) {
    for (const b of fromPivotCandidates(a.body.pivot, to, attestations)) {
      const grade = compose(a.body.relation, b.grade);
      if (grade !== null) found.push({ term: b.term, grade, attestations: [a.id, ...b.attestations] });
    }
  }
  return bestPerTerm(found);
}

/**
 * One term into another mesh's vocabulary (by default the one of the same name): the
 * strongest candidate, ties broken by the term's code units so the answer never depends on
 * the order attestations arrived in.
 */
export function translateTerm(request: { from: TermRef; to: string; toVocabulary?: string; attestations: readonly AttestationFact[] }): TermTranslation {
  const found = translationCandidates(request.from, { mesh: request.to, vocabulary: request.toVocabulary ?? request.from.vocabulary }, request.attestations);
  const best = found.reduce<Candidate | undefined>((held, c) => (held === undefined || stronger(c.grade, held.grade) ? c : held), undefined);
  return best ? { ok: true, term: best.term, grade: best.grade, attestations: best.attestations } : { ok: false, reason: 'translation-loss' };
}

/**
 * The level a classification lands on in `policy`: an exact candidate as is (the most
 * restrictive, should there be several); otherwise the most restrictive of all candidates.
 */
function levelIn(policy: LabelPolicy, found: readonly Candidate[]): Candidate | undefined {
  const known = found.filter((c) => classificationRank(policy, c.term) !== undefined);
  const exact = known.filter((c) => c.grade === 'exact');
  const pool = exact.length > 0 ? exact : known;
  return pool.reduce<Candidate | undefined>((held, c) => (held === undefined || classificationRank(policy, c.term)! > classificationRank(policy, held.term)! ? c : held), undefined);
}

export interface LabelTranslationOptions {
  /** The mesh whose markings the label is in (its policy is that mesh's, or NATO's). */
  readonly senderMesh: string;
  readonly receiverMesh: string;
  readonly receiverPolicy: LabelPolicy;
  /** The policy the federation's ceiling is stated in (NATO, usually). */
  readonly ceilingPolicy: LabelPolicy;
  readonly attestations: readonly AttestationFact[];
}

export type LabelTranslation =
  | {
      readonly ok: true;
      /** The label in the receiver's policy (kind alternative); null when the label is in it already. */
      readonly alternative: ConfidentialityLabel | null;
      /** The label's classification in the ceiling's policy, for the ceiling check. */
      readonly ceilingClassification: string;
      readonly grade: Relation;
      readonly attestations: readonly string[];
    }
  | { readonly ok: false; readonly reason: 'translation-loss'; readonly missing: readonly MissingTerm[] };

/** A classification into `policy`, owned by `mesh` (or the NATO pivot itself). */
function classificationInto(label: ConfidentialityLabel, senderMesh: string, policy: LabelPolicy, mesh: string, attestations: readonly AttestationFact[]): Candidate | undefined {
  if (policy.id === label.policy.id) return { term: label.classification, grade: 'exact', attestations: [] };
  const from: TermRef = { mesh: senderMesh, vocabulary: MARKINGS, term: label.classification };
  const pivot = { vocabulary: MARKINGS_PIVOT, term: label.classification };
  let found: Candidate[];
  if (label.policy.id === MARKINGS_PIVOT) found = fromPivotCandidates(pivot, { mesh, vocabulary: MARKINGS }, attestations);
  else if (policy.id === MARKINGS_PIVOT) found = pivotCandidates(from, attestations, MARKINGS_PIVOT);
  else found = translationCandidates(from, { mesh, vocabulary: MARKINGS }, attestations);
  return levelIn(policy, found);
}

/**
 * Categories carried into the receiver's policy where it defines the same tag and type. A
 * PERMISSIVE value it does not know is dropped (that narrows who may see the data); a
 * RESTRICTIVE one it cannot carry, or a permissive category left with no value, would widen
 * access, so it is a loss, named.
 */
function carryCategories(label: ConfidentialityLabel, policy: LabelPolicy): { categories: Category[]; missing: MissingTerm[] } {
  const categories: Category[] = [];
  const missing: MissingTerm[] = [];
  for (const category of label.categories) {
    const defined = policy.categories.find((c) => c.tagName === category.tagName && c.type === category.type);
    const values = defined ? category.values.filter((v) => allowsValue(defined, v)) : [];
    if (category.type === 'RESTRICTIVE' && values.length < category.values.length) {
      missing.push(...category.values.filter((v) => !values.includes(v)).map((v) => ({ vocabulary: MARKINGS, term: `${category.tagName}: ${v}` })));
    } else if (category.type === 'PERMISSIVE' && values.length === 0) {
      missing.push({ vocabulary: MARKINGS, term: category.tagName });
    }
    if (defined && values.length > 0) categories.push({ tagName: category.tagName, type: category.type, ...(defined.uri === undefined ? {} : { uri: defined.uri }), values });
  }
  return { categories, missing };
}

/**
 * A label into the receiver's policy and the ceiling's. The alternative keeps the originator's
 * creation time, originator id, privacy mark and review time: it is the same label's meaning
 * under another policy, not a new marking.
 */
export function translateLabel(label: ConfidentialityLabel, options: LabelTranslationOptions): LabelTranslation {
  const { senderMesh, receiverMesh, receiverPolicy, ceilingPolicy, attestations } = options;
  const missing: MissingTerm[] = [];
  const lost = { vocabulary: MARKINGS, term: label.classification };
  let alternative: ConfidentialityLabel | null = null;
  let level: Candidate | undefined;
  if (receiverPolicy.id === label.policy.id) {
    level = { term: label.classification, grade: 'exact', attestations: [] };
  } else {
    level = classificationInto(label, senderMesh, receiverPolicy, receiverMesh, attestations);
    const carried = carryCategories(label, receiverPolicy);
    if (!level) missing.push(lost);
    missing.push(...carried.missing);
    if (level && carried.missing.length === 0) {
      alternative = normaliseLabel({
        kind: 'alternative',
        policy: { id: receiverPolicy.id, ...(receiverPolicy.uri === undefined ? {} : { uri: receiverPolicy.uri }) },
        classification: level.term,
        ...(label.privacyMark === undefined ? {} : { privacyMark: label.privacyMark }),
        categories: carried.categories,
        ...(label.originator === undefined ? {} : { originator: label.originator }),
        createdAt: label.createdAt,
        ...(label.reviewAt === undefined ? {} : { reviewAt: label.reviewAt }),
      });
      checkAgainstPolicy(alternative, receiverPolicy);
    }
  }
  // A label already in the receiver's policy is in the receiver's markings, whoever carried it.
  const owner = label.policy.id === receiverPolicy.id ? receiverMesh : senderMesh;
  // A ceiling in a third national policy is that mesh's markings (national policy ids are mesh codes).
  const ceiling = ceilingPolicy.id === receiverPolicy.id && level ? level : classificationInto(label, owner, ceilingPolicy, ceilingPolicy.id, attestations);
  if (!ceiling && !missing.some((m) => m === lost)) missing.push(lost);
  if (missing.length > 0 || !level || !ceiling) return { ok: false, reason: 'translation-loss', missing };
  return {
    ok: true,
    alternative,
    ceilingClassification: ceiling.term,
    grade: weakerOf(level.grade, ceiling.grade),
    attestations: [...new Set([...level.attestations, ...ceiling.attestations])].sort(byCodeUnits),
  };
}

/** One payload term translated: the sender's field and term, and where it lands with the receiver. */
export interface PayloadTranslation {
  readonly vocabulary: string;
  readonly field: string;
  readonly term: string;
  /** The receiver's vocabulary and field, or the pivot itself (no field) where the receiver has none for it. */
  readonly to: { readonly vocabulary: string; readonly field: string | null; readonly term: string };
  readonly grade: Relation;
  readonly attestations: readonly string[];
}

export type PayloadTranslations = { readonly ok: true; readonly translations: readonly PayloadTranslation[] } | { readonly ok: false; readonly reason: 'translation-loss'; readonly missing: readonly MissingTerm[] };

export interface VocabularyHolder {
  readonly mesh: string;
  readonly vocabularies: readonly Vocabulary[];
}

/**
 * The terms a payload carries in the sender's vocabularies with a `field` (a top-level string
 * member), each into the receiver's vocabulary on the same pivot, or, where the receiver has
 * none, the pivot term itself. The payload is never changed: the translations go beside it.
 */
export function translatePayloadTerms(payload: unknown, sender: VocabularyHolder, receiver: VocabularyHolder, attestations: readonly AttestationFact[]): PayloadTranslations {
  const translations: PayloadTranslation[] = [];
  const missing: MissingTerm[] = [];
  const members = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
  for (const vocabulary of sender.vocabularies) {
    if (vocabulary.field === undefined || !Object.hasOwn(members, vocabulary.field)) continue;
    const term = members[vocabulary.field];
    if (typeof term !== 'string') continue;
    const from: TermRef = { mesh: sender.mesh, vocabulary: vocabulary.name, term };
    if (!vocabulary.terms.some((t) => t.term === term)) {
      missing.push({ vocabulary: vocabulary.name, term });
      continue;
    }
    const target = receiver.vocabularies.find((v) => v.name === vocabulary.name && v.pivot === vocabulary.pivot) ?? receiver.vocabularies.find((v) => v.pivot === vocabulary.pivot && v.name !== MARKINGS);
    const found = target ? translationCandidates(from, { mesh: receiver.mesh, vocabulary: target.name }, attestations) : pivotCandidates(from, attestations, vocabulary.pivot);
    const best = found.reduce<Candidate | undefined>((held, c) => (held === undefined || stronger(c.grade, held.grade) ? c : held), undefined);
    if (!best) {
      missing.push({ vocabulary: vocabulary.name, term });
      continue;
    }
    translations.push({
      vocabulary: vocabulary.name,
      field: vocabulary.field,
      term,
      to: target ? { vocabulary: target.name, field: target.field ?? null, term: best.term } : { vocabulary: vocabulary.pivot, field: null, term: best.term },
      grade: best.grade,
      attestations: best.attestations,
    });
  }
  return missing.length > 0 ? { ok: false, reason: 'translation-loss', missing } : { ok: true, translations };
}
