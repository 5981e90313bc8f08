/**
 * Confidentiality labels with the STANAG 4774 (ADatP-4774) structure, in the JSON form carried
 * inside signed observation records: plain JSON, strict, with one canonical order.
 */
import { z } from 'zod';
import { hasOnlyKeys, isOneOf, isPlainArray, isPlainObject } from '../canonical/quick-shape.js';
import { describeIssue, LabelError } from './errors.js';
import { boundedText, byCodeUnits, isBoundedText } from './text.js';

export const CategoryType = z.enum(['PERMISSIVE', 'RESTRICTIVE', 'INFORMATIVE']);
export type CategoryType = z.infer<typeof CategoryType>;

/** One 4774 `Category`: TagName, Type and URI attributes, one or more `GenericValue`s. */
export const Category = z.strictObject({
  tagName: boundedText(128),
  type: CategoryType,
  uri: boundedText(256).optional(),
  values: z.array(boundedText(128)).min(1).max(256),
});
export type Category = z.infer<typeof Category>;

/** 4774 `PolicyIdentifier`: its text and optional URI attribute, e.g. NATO, urn:oid:1.3.26.1.3.1. */
export const PolicyRef = z.strictObject({ id: boundedText(64), uri: boundedText(256).optional() });
export type PolicyRef = z.infer<typeof PolicyRef>;

/** 4774 `OriginatorID` with its IDType attribute. */
export const Originator = z.strictObject({ idType: boundedText(64), id: boundedText(256) });
export type Originator = z.infer<typeof Originator>;

const dateTime = z.iso.datetime({ offset: true });

/** originator: what the originator gave the data, never overwritten; alternative: a translation beside it. */
const Kind = z.enum(['originator', 'alternative']);

export const ConfidentialityLabel = z
  .strictObject({
    kind: Kind,
    policy: PolicyRef,
    classification: boundedText(64),
    privacyMark: boundedText(256).optional(),
    categories: z.array(Category).max(32),
    originator: Originator.optional(),
    createdAt: dateTime,
    reviewAt: dateTime.optional(),
  })
  .superRefine((label, ctx) => {
    // A tag appears once: two `Category` elements with one TagName would leave it open which
    // values apply (and whether a RESTRICTIVE set is the union or each on its own).
    const seen = new Set<string>();
    label.categories.forEach((category, index) => {
      if (seen.has(category.tagName)) {
        ctx.addIssue({ code: 'custom', path: ['categories', index, 'tagName'], message: `category "${category.tagName}" appears twice` });
      }
      seen.add(category.tagName);
    });
    if (label.reviewAt !== undefined && Date.parse(label.reviewAt) < Date.parse(label.createdAt)) {
      ctx.addIssue({ code: 'custom', path: ['reviewAt'], message: 'is before createdAt' });
    }
  });
export type ConfidentialityLabel = z.infer<typeof ConfidentialityLabel>;
export type LabelKind = ConfidentialityLabel['kind'];

const LABEL_KEYS = new Set(Object.keys(ConfidentialityLabel.shape));
const POLICY_KEYS = new Set(Object.keys(PolicyRef.shape));
const CATEGORY_KEYS = new Set(Object.keys(Category.shape));
const ORIGINATOR_KEYS = new Set(Object.keys(Originator.shape));

/**
 * A quick yes for a label that plainly has the shape above (see core/canonical/quick-shape.ts):
 * never yes where ConfidentialityLabel says no; a no means "ask the schema".
 */
export function isPlainLabel(value: unknown): value is ConfidentialityLabel {
  if (!isPlainObject(value) || !hasOnlyKeys(value, LABEL_KEYS)) return false;
  const { kind, policy, classification, privacyMark, categories, originator, createdAt, reviewAt } = value;
  if (!isOneOf(Kind.options, kind) || !isBoundedText(classification, 64) || !isDateTime(createdAt)) return false;
  if (privacyMark !== undefined && !isBoundedText(privacyMark, 256)) return false;
  if (reviewAt !== undefined && (!isDateTime(reviewAt) || Date.parse(reviewAt) < Date.parse(createdAt))) return false;
  if (!isPlainObject(policy) || !hasOnlyKeys(policy, POLICY_KEYS) || !isBoundedText(policy.id, 64) || !isOptionalText(policy.uri, 256)) return false;
  if (originator !== undefined && !(isPlainObject(originator) && hasOnlyKeys(originator, ORIGINATOR_KEYS) && isBoundedText(originator.idType, 64) && isBoundedText(originator.id, 256))) return false;
  if (!isPlainArray(categories, 32)) return false;
  const tags = new Set<string>();
  for (const category of categories) {
    if (!isPlainCategory(category) || tags.has(category.tagName)) return false;
    tags.add(category.tagName);
  }
  return true;
}

function isPlainCategory(value: unknown): value is Category {
  if (!isPlainObject(value) || !hasOnlyKeys(value, CATEGORY_KEYS)) return false;
  const { tagName, type, uri, values } = value;
  if (!isBoundedText(tagName, 128) || !isOneOf(CategoryType.options, type) || !isOptionalText(uri, 256)) return false;
  if (!isPlainArray(values, 256) || values.length < 1) return false;
  // A loop, not every(): every() skips the holes of a sparse array, which the schema refuses.
  for (let index = 0; index < values.length; index++) if (!isBoundedText(values[index], 128)) return false;
  return true;
}

function isOptionalText(value: unknown, max: number): boolean {
  return value === undefined || isBoundedText(value, max);
}

/** The schema's own datetime check, so the two can never disagree on what a moment looks like. */
export function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && dateTime.safeParse(value).success;
}

/**
 * The canonical form, so that two labels meaning the same are the same bytes and a signature
 * over one is a signature over the other:
 * - keys in the order of the schema above; absent optional members omitted, never `undefined`;
 * - categories sorted by `tagName`, values within a category de-duplicated and sorted, both
 *   in UTF-16 code unit order (the order RFC 8785 sorts keys in);
 * - strings otherwise as written (the schema already demands NFC, trimmed, one line), and
 *   times as written: `createdAt` is what the originator stated, not re-rendered.
 */
export function normaliseLabel(label: ConfidentialityLabel): ConfidentialityLabel {
  const categories = label.categories
    .map(
      (category): Category => ({
        tagName: category.tagName,
        type: category.type,
        ...(category.uri === undefined ? {} : { uri: category.uri }),
        values: [...new Set(category.values)].sort(byCodeUnits),
      }),
    )
    .sort((a, b) => byCodeUnits(a.tagName, b.tagName));
  return {
    kind: label.kind,
    policy: { id: label.policy.id, ...(label.policy.uri === undefined ? {} : { uri: label.policy.uri }) },
    classification: label.classification,
    ...(label.privacyMark === undefined ? {} : { privacyMark: label.privacyMark }),
    categories,
    ...(label.originator === undefined ? {} : { originator: { idType: label.originator.idType, id: label.originator.id } }),
    createdAt: label.createdAt,
    ...(label.reviewAt === undefined ? {} : { reviewAt: label.reviewAt }),
  };
}

/** Whether a label is already in canonical order (a signed record should carry it so). */
export function isCanonicalLabel(label: ConfidentialityLabel): boolean {
  for (let i = 1; i < label.categories.length; i++) {
    if (byCodeUnits(label.categories[i - 1]!.tagName, label.categories[i]!.tagName) >= 0) return false;
  }
  return label.categories.every((category) =>
    category.values.every((value, i) => i === 0 || byCodeUnits(category.values[i - 1]!, value) < 0),
  );
}

/** Checks the JSON form (not yet the policy) and returns it in canonical order. */
export function parseLabel(candidate: unknown): ConfidentialityLabel {
  const parsed = ConfidentialityLabel.safeParse(candidate);
  if (!parsed.success) throw new LabelError('malformed-label', `The label is malformed at ${describeIssue('label', parsed.error)}.`);
  return normaliseLabel(parsed.data);
}
