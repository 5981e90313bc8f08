/**
 * A mesh's vocabularies, published on its card (docs/decisions/0005-crossing.md, "Taxonomy
 * translation"): each names its terms and the pivot vocabulary its equivalence attestations
 * point into. `markings` is derived from the mesh's label policy (pivot NATO, the NATO policy's
 * classifications); the others a mesh defines itself — unit types with their APP-6 symbol codes
 * (pivot APP-6), event terms (pivot coalition-incident) — and each names the top-level payload
 * member its terms appear in (`field`).
 */
import { z } from 'zod';
import { describeIssues } from '../common/atoms.js';
import { Refused } from '../common/refused.js';
import type { LabelPolicy } from '../labels/policy.js';

/** The vocabulary of classification markings, derived from the label policy, never defined by hand. */
export const MARKINGS = 'markings';
/** The pivot the markings of every mesh are attested against: the NATO policy (OID 1.3.26.1.3.1). */
export const MARKINGS_PIVOT = 'NATO';
/** The pivot for unit and platform types: APP-6 symbol identification codes. */
export const APP6_PIVOT = 'APP-6';

/** Bounds that keep a card (carried inside every declaration, up to 16 partners) small. */
export const VOCABULARY_LIMITS = { vocabularies: 16, terms: 1024 } as const;

// C0/C1 controls, lone surrogates and non-characters would let a term forge lines in tables and
// logs; NFC because one term typed on two systems must be the same bytes ("Pantserinfanterie").
const FORBIDDEN = /[\p{Cc}\p{Cs}\uFFFE\uFFFF]/u;
export const TermText = z
  .string()
  .min(1)
  .max(128)
  .refine((value) => !FORBIDDEN.test(value), 'must not contain control characters')
  .refine((value) => value.trim() === value && value.normalize('NFC') === value, 'must be trimmed and in Unicode NFC');

export const VocabularyName = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'expected a vocabulary name such as unit-types');
export const PivotName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a pivot vocabulary such as NATO or APP-6');
/** A top-level string member of the payload: a plain identifier, never a path. */
export const PayloadField = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'expected a top-level payload member name such as unitType');

/**
 * APP-6D / MIL-STD-2525D symbol identification code, 20 digits (DOMAIN.md §4): version (10),
 * context (0 reality, 1 exercise, 2 simulation), standard identity (0–6), symbol set (a known
 * two-digit set), status (0–5), HQ/task force/dummy (0–7), echelon/mobility, entity, modifiers.
 */
const SIDC_20 = /^10[0-2][0-6](00|01|02|05|06|10|11|15|20|25|27|30|35|36|40|45|46|47|50|51|52|53|54|60)[0-5][0-7]\d{12}$/;
/**
 * MIL-STD-2525B/C, 15 characters: coding scheme, affiliation, battle dimension (for warfighting
 * S: space, air, ground, sea surface, subsurface, SOF, other, unknown), status, six characters
 * of function id, size/mobility, country, order of battle; `-` where a position is unused.
 */
const SIDC_15 = /^(S[PUAFNSHGWMDLJK-][PAGSUFXZ-]|[GWIOE][PUAFNSHGWMDLJK-][A-Z-])[APCDXF-][A-Z0-9-]{6}[A-Z0-9*-]{2}[A-Z-]{2}[A-Z-]$/;

export function isSidc(value: string): boolean {
  return SIDC_20.test(value) || SIDC_15.test(value);
}

export const Sidc = z.string().refine(isSidc, 'expected a 20-digit APP-6D SIDC or a 15-character MIL-STD-2525C one');

export const VocabularyTerm = z.strictObject({
  term: TermText,
  /** The term's APP-6 symbol, for unit and platform types. */
  sidc: Sidc.optional(),
});
export type VocabularyTerm = z.infer<typeof VocabularyTerm>;

export const Vocabulary = z
  .strictObject({
    name: VocabularyName,
    pivot: PivotName,
    /** Where the terms appear in a payload; every vocabulary but markings has one. */
    field: PayloadField.optional(),
    terms: z.array(VocabularyTerm).min(1).max(VOCABULARY_LIMITS.terms),
  })
  .superRefine((vocabulary, ctx) => {
    const seen = new Set<string>();
    vocabulary.terms.forEach((t, i) => {
      if (seen.has(t.term)) ctx.addIssue({ code: 'custom', path: ['terms', i, 'term'], message: `term "${t.term}" appears twice` });
      seen.add(t.term);
    });
    if (vocabulary.name === MARKINGS) {
      if (vocabulary.pivot !== MARKINGS_PIVOT) ctx.addIssue({ code: 'custom', path: ['pivot'], message: `the markings pivot is ${MARKINGS_PIVOT}` });
      if (vocabulary.field !== undefined) ctx.addIssue({ code: 'custom', path: ['field'], message: 'markings are read from the label, not a payload field' });
    } else if (vocabulary.field === undefined) {
      ctx.addIssue({ code: 'custom', path: ['field'], message: 'a vocabulary other than markings names the payload field its terms appear in' });
    }
  });
export type Vocabulary = z.infer<typeof Vocabulary>;

/** What a card carries: at most one vocabulary per name. */
export const Vocabularies = z
  .array(Vocabulary)
  .max(VOCABULARY_LIMITS.vocabularies)
  .superRefine((list, ctx) => {
    const names = list.map((v) => v.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `vocabulary "${name}" appears twice` });
    });
  });

/** Checks a vocabulary file or card member. @throws Refused('malformed-vocabulary') naming the field. */
export function parseVocabulary(candidate: unknown): Vocabulary {
  const parsed = Vocabulary.safeParse(candidate);
  if (!parsed.success) throw new Refused('malformed-vocabulary', `The vocabulary is malformed: ${describeIssues(parsed.error, 'vocabulary')}.`);
  return parsed.data;
}

/**
 * The markings vocabulary of a mesh: its policy's classifications, lowest first (the order is
 * the hierarchy), attested against the NATO levels.
 * @example markingsVocabulary(defaultNationalPolicy('DEU')).terms[3] // { term: 'GEHEIM' }
 */
export function markingsVocabulary(policy: LabelPolicy): Vocabulary {
  return { name: MARKINGS, pivot: MARKINGS_PIVOT, terms: policy.classifications.map((c) => ({ term: c.name })) };
}

export function findTerm(vocabularies: readonly Vocabulary[], vocabulary: string, term: string): VocabularyTerm | undefined {
  return vocabularies.find((v) => v.name === vocabulary)?.terms.find((t) => t.term === term);
}
