/**
 * Confidentiality labels with the STANAG 4774 structure (ADatP-4774): policy, classification,
 * optional privacy mark, categories with their values, originator and creation time. This is
 * the JSON form carried inside signed records, so it is strict and has one canonical order.
 */
import { z } from 'zod';

const text = (max: number) => z.string().min(1).max(max);

export const CategoryType = z.enum(['PERMISSIVE', 'RESTRICTIVE', 'INFORMATIVE']);

export const Category = z.strictObject({
  tagName: text(128),
  type: CategoryType,
  uri: text(256).optional(),
  values: z.array(text(128)).min(1).max(256),
});

export const ConfidentialityLabel = z.strictObject({
  /** originator: what the originator gave the data, never overwritten; alternative: a translation beside it. */
  kind: z.enum(['originator', 'alternative']),
  policy: z.strictObject({ id: text(64), uri: text(256).optional() }),
  classification: text(64),
  privacyMark: text(256).optional(),
  categories: z.array(Category).max(32),
  originator: z.strictObject({ idType: text(64), id: text(256) }).optional(),
  createdAt: z.iso.datetime({ offset: true }),
  reviewAt: z.iso.datetime({ offset: true }).optional(),
});

export type ConfidentialityLabel = z.infer<typeof ConfidentialityLabel>;
export type Category = z.infer<typeof Category>;

/**
 * The canonical order: categories by tag name, values sorted and unique. Two labels that mean
 * the same are then the same bytes, so a signature over one is a signature over the other.
 */
export function normaliseLabel(label: ConfidentialityLabel): ConfidentialityLabel {
  const categories = [...label.categories]
    .map((category) => ({ ...category, values: [...new Set(category.values)].sort() }))
    .sort((a, b) => (a.tagName < b.tagName ? -1 : a.tagName > b.tagName ? 1 : 0));
  return { ...label, categories };
}
