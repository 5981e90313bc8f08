/**
 * The originator's label and its alternatives side by side, as ADatP-4774 keeps
 * `originatorConfidentialityLabel` and `alternativeConfidentialityLabel`: a translation under
 * another policy is added beside the originator's marking, never written over it.
 */
import { z } from 'zod';
import { LabelError } from './errors.js';
import { ConfidentialityLabel, normaliseLabel } from './label.js';
import { byCodeUnits } from './text.js';

export const LabelSet = z
  .strictObject({
    originator: ConfidentialityLabel,
    /** One per policy, sorted by policy id: canonical, like the labels themselves. */
    alternatives: z.array(ConfidentialityLabel).max(32),
  })
  .superRefine((set, ctx) => {
    if (set.originator.kind !== 'originator') ctx.addIssue({ code: 'custom', path: ['originator', 'kind'], message: 'expected "originator"' });
    set.alternatives.forEach((alternative, index) => {
      if (alternative.kind !== 'alternative') ctx.addIssue({ code: 'custom', path: ['alternatives', index, 'kind'], message: 'expected "alternative"' });
      if (alternative.policy.id === set.originator.policy.id) {
        ctx.addIssue({ code: 'custom', path: ['alternatives', index, 'policy'], message: "is the originator's policy" });
      }
      const previous = set.alternatives[index - 1];
      if (previous && byCodeUnits(previous.policy.id, alternative.policy.id) >= 0) {
        ctx.addIssue({ code: 'custom', path: ['alternatives', index, 'policy'], message: 'expected one alternative per policy, sorted by policy id' });
      }
    });
  });
export type LabelSet = z.infer<typeof LabelSet>;

export function labelSetOf(originator: ConfidentialityLabel): LabelSet {
  if (originator.kind !== 'originator') throw new LabelError('malformed-label', 'A label set starts from an originator label, not an alternative one.');
  return { originator: normaliseLabel(originator), alternatives: [] };
}

/**
 * Adds a translated label beside the originator's. Adding the same translation again changes
 * nothing; a different translation under a policy already present is refused, not replaced,
 * because whoever relied on the first one must see the disagreement.
 * @example addAlternativeLabel(labelSetOf(deuLabel), { ...natoLabel, kind: 'alternative' })
 */
export function addAlternativeLabel(labels: LabelSet, translated: ConfidentialityLabel): LabelSet {
  if (translated.kind !== 'alternative') {
    throw new LabelError('originator-overwrite', 'Only an alternative label can be added: the originator label is never replaced.');
  }
  if (translated.policy.id === labels.originator.policy.id) {
    throw new LabelError('alternative-same-policy', `An alternative under the originator's own policy ${translated.policy.id} is not a translation.`);
  }
  const alternative = normaliseLabel(translated);
  const existing = labels.alternatives.find((a) => a.policy.id === alternative.policy.id);
  if (existing) {
    if (JSON.stringify(normaliseLabel(existing)) === JSON.stringify(alternative)) return labels;
    throw new LabelError('alternative-conflict', `The label set already has a different alternative under policy ${alternative.policy.id}.`);
  }
  const alternatives = [...labels.alternatives, alternative].sort((a, b) => byCodeUnits(a.policy.id, b.policy.id));
  return { originator: labels.originator, alternatives };
}
