/**
 * A label against its policy (the SPIF's role for ADatP-4774 labels): the policy is known, the
 * classification is one of its levels, each category is one it defines, of the same type and
 * URI, carrying only values it allows.
 */
import { LabelError } from './errors.js';
import { parseLabel, type ConfidentialityLabel } from './label.js';
import { allowsValue, type LabelPolicy } from './policy.js';

/**
 * Parses, checks against the policy named by `label.policy.id`, and returns the label in
 * canonical order.
 * @example validateLabel(json, [NATO_POLICY, defaultNationalPolicy('DEU')])
 */
export function validateLabel(candidate: unknown, policies: readonly LabelPolicy[]): ConfidentialityLabel {
  const label = parseLabel(candidate);
  const policy = policies.find((p) => p.id === label.policy.id);
  if (!policy) throw new LabelError('unknown-policy', `The label's policy "${label.policy.id}" is not known here.`);
  checkAgainstPolicy(label, policy);
  return label;
}

/** The policy checks alone, for a label already parsed. */
export function checkAgainstPolicy(label: ConfidentialityLabel, policy: LabelPolicy): void {
  const of = `the ${policy.id} policy`;
  if (label.policy.id !== policy.id) throw new LabelError('unknown-policy', `The label's policy "${label.policy.id}" is not ${policy.id}.`);
  // The URI is the policy's global name (4774 PolicyIdentifier@URI): the same id under another
  // URI is somebody else's policy.
  if (label.policy.uri !== undefined && policy.uri !== undefined && label.policy.uri !== policy.uri) {
    throw new LabelError('policy-uri-mismatch', `The label names policy ${policy.id} as ${label.policy.uri}, but ${of} is ${policy.uri}.`);
  }
  if (!policy.classifications.some((c) => c.name === label.classification)) {
    throw new LabelError('unknown-classification', `"${label.classification}" is not a classification of ${of}.`);
  }
  for (const category of label.categories) {
    const defined = policy.categories.find((c) => c.tagName === category.tagName);
    if (!defined) throw new LabelError('unknown-category', `"${category.tagName}" is not a category of ${of}.`);
    // PERMISSIVE widens who may see the data, RESTRICTIVE narrows it: read as the wrong type,
    // a category would grant what it was meant to deny.
    if (defined.type !== category.type) {
      throw new LabelError('category-type-mismatch', `"${category.tagName}" is ${defined.type} in ${of}, not ${category.type}.`);
    }
    if (category.uri !== undefined && defined.uri !== undefined && category.uri !== defined.uri) {
      throw new LabelError('category-uri-mismatch', `"${category.tagName}" is ${defined.uri} in ${of}, not ${category.uri}.`);
    }
    const wrong = category.values.find((value) => !allowsValue(defined, value));
    if (wrong !== undefined) {
      throw new LabelError('invalid-category-value', `"${wrong}" is not a value of "${category.tagName}" in ${of}.`);
    }
  }
}
