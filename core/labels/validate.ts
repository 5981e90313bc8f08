/**
 * Checking a label against its policy: the policy is known, the classification is one of its
 * levels, each category is one it defines, of the right type, with values it allows.
 */
import { ISO_3166_ALPHA_3 } from './data/iso3166-alpha3.js';
import { ConfidentialityLabel, normaliseLabel } from './label.js';
import type { LabelPolicy } from './policy.js';

export type LabelReason =
  | 'malformed-label'
  | 'unknown-policy'
  | 'unknown-classification'
  | 'unknown-category'
  | 'invalid-category-value'
  | 'xml-too-large'
  | 'xml-too-deep'
  | 'xml-dtd'
  | 'xml-entity'
  | 'xml-processing-instruction'
  | 'xml-malformed'
  | 'xml-wrong-namespace'
  | 'xml-unknown-element';

export class LabelError extends Error {
  constructor(
    readonly reason: LabelReason,
    message: string,
  ) {
    super(message);
    this.name = 'LabelError';
  }
}

/** Parses, checks against the matching policy, and returns the label in canonical order. */
export function validateLabel(candidate: unknown, policies: readonly LabelPolicy[]): ConfidentialityLabel {
  const parsed = ConfidentialityLabel.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LabelError('malformed-label', `The label is malformed at ${['label', ...issue.path.map(String)].join('.')}: ${issue.message}.`);
  }
  const label = parsed.data;
  const policy = policies.find((p) => p.id === label.policy.id);
  if (!policy) throw new LabelError('unknown-policy', `The label's policy "${label.policy.id}" is not known here.`);
  if (!policy.classifications.some((c) => c.name === label.classification)) {
    throw new LabelError('unknown-classification', `"${label.classification}" is not a classification of the ${policy.id} policy.`);
  }
  for (const category of label.categories) {
    const defined = policy.categories.find((c) => c.tagName === category.tagName);
    if (!defined) throw new LabelError('unknown-category', `"${category.tagName}" is not a category of the ${policy.id} policy.`);
    if (defined.type !== category.type) {
      throw new LabelError('unknown-category', `"${category.tagName}" is ${defined.type} in the ${policy.id} policy, not ${category.type}.`);
    }
    const allowed = (value: string) => (defined.values === 'ISO-3166-alpha-3' ? ISO_3166_ALPHA_3.has(value) : defined.values.includes(value));
    const wrong = category.values.find((value) => !allowed(value));
    if (wrong !== undefined) {
      throw new LabelError('invalid-category-value', `"${wrong}" is not a value of "${category.tagName}" in the ${policy.id} policy.`);
    }
  }
  return normaliseLabel(label);
}
