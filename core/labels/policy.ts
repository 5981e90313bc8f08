/**
 * A labelling policy: the small SPIF-like JSON each mesh gives of its markings (after the Open
 * XML SPIF, http://www.xmlspif.org/spif): classifications from lowest to highest with how each
 * is marked, and the categories a label may carry with the values each allows.
 */
import { z } from 'zod';
import { readStrictJson, JsonError } from '../canonical/strict-json.js';
import { ISO_3166_ALPHA_3 } from './data/iso3166-alpha3.js';
import { describeIssue, LabelError } from './errors.js';
import { boundedText } from './text.js';

/** The value rule for "Releasable To" and the like: any ISO 3166-1 alpha-3 country code. */
export const ISO_3166_ALPHA_3_RULE = 'ISO-3166-alpha-3';

const PolicyClassification = z.strictObject({
  name: boundedText(64),
  /** The full display marking, when it is not "<markingPrefix> <name>" (NATO TOP SECRET: COSMIC TOP SECRET). */
  marking: boundedText(128).optional(),
});

const PolicyCategory = z.strictObject({
  tagName: boundedText(128),
  type: z.enum(['PERMISSIVE', 'RESTRICTIVE', 'INFORMATIVE']),
  uri: boundedText(256).optional(),
  /** Shown before the values, e.g. "REL TO"; empty shows the values alone (ATOMAL). Default: the tag name in capitals. */
  marking: z.union([z.literal(''), boundedText(32)], { error: 'expected an empty string or a short marking' }).optional(),
  values: z.union([z.literal(ISO_3166_ALPHA_3_RULE), z.array(boundedText(128)).min(1).max(1024)], {
    error: `expected "${ISO_3166_ALPHA_3_RULE}" or a list of allowed values`,
  }),
});

export const PolicyFile = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a policy id of letters, digits and . _ - such as NATO or DEU'),
    uri: z.string().regex(/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]{1,250}$/, 'expected a URI such as urn:oid:1.3.26.1.3.1').optional(),
    /** Who the policy belongs to, for people. */
    name: boundedText(128).optional(),
    /** Where the markings come from, so the data can be checked. */
    source: boundedText(512).optional(),
    /** Prefix shown before a classification's name, e.g. "NATO". */
    markingPrefix: boundedText(32).optional(),
    /** The hierarchy, lowest first: the order is the meaning. */
    classifications: z.array(PolicyClassification).min(1).max(32),
    /** Also the order categories appear in a marking. */
    categories: z.array(PolicyCategory).max(32),
  })
  .superRefine((policy, ctx) => {
    const duplicate = (items: readonly string[], path: (index: number) => PropertyKey[], what: string) => {
      items.forEach((item, index) => {
        if (items.indexOf(item) !== index) ctx.addIssue({ code: 'custom', path: path(index), message: `${what} "${item}" appears twice` });
      });
    };
    duplicate(policy.classifications.map((c) => c.name), (i) => ['classifications', i, 'name'], 'classification');
    duplicate(policy.categories.map((c) => c.tagName), (i) => ['categories', i, 'tagName'], 'category');
    policy.categories.forEach((category, c) => {
      if (Array.isArray(category.values)) duplicate(category.values, (i) => ['categories', c, 'values', i], 'value');
    });
  });

export type LabelPolicy = z.infer<typeof PolicyFile>;
export type PolicyCategory = LabelPolicy['categories'][number];

/** Checks a parsed policy file; each refusal names the field, e.g. "policy.classifications.2.name: …". */
export function parsePolicyFile(json: unknown): LabelPolicy {
  const parsed = PolicyFile.safeParse(json);
  if (!parsed.success) throw new LabelError('malformed-policy', `The policy file is wrong at ${describeIssue('policy', parsed.error)}.`);
  return parsed.data;
}

/** Reads a policy file's text with the strict JSON reader (no duplicate keys, bounded). */
export function readPolicyFile(text: string): LabelPolicy {
  let json: unknown;
  try {
    json = readStrictJson(text, { maxBytes: 256 * 1024, maxDepth: 8 });
  } catch (error) {
    if (error instanceof JsonError) throw new LabelError('malformed-policy', `The policy file is not usable JSON: ${error.message}`);
    throw error;
  }
  return parsePolicyFile(json);
}

/** A classification's place in the hierarchy, 0 the lowest; undefined when the policy lacks it. */
export function classificationRank(policy: LabelPolicy, name: string): number | undefined {
  const index = policy.classifications.findIndex((c) => c.name === name);
  return index < 0 ? undefined : index;
}

export function allowsValue(category: PolicyCategory, value: string): boolean {
  return category.values === ISO_3166_ALPHA_3_RULE ? ISO_3166_ALPHA_3.has(value) : category.values.includes(value);
}
