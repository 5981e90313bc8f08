/**
 * A label's display marking, as printed on a page or a table row, e.g.
 * "NATO SECRET // REL TO DEU, NLD": the level, then each category, then the privacy mark.
 */
import type { ConfidentialityLabel } from './label.js';
import type { LabelPolicy } from './policy.js';
import { byCodeUnits } from './text.js';

/**
 * Without the label's policy (or with a classification it lacks) the level is shown under the
 * policy's id, "DEU GEHEIM", so the text never passes off as a known marking.
 * @example markingOf(label, NATO_POLICY) // 'COSMIC TOP SECRET // ATOMAL // REL TO DEU, NLD'
 */
export function markingOf(label: ConfidentialityLabel, policy: LabelPolicy | undefined): string {
  const known = policy?.id === label.policy.id ? policy : undefined;
  const level = known?.classifications.find((c) => c.name === label.classification);
  const prefix = level ? known?.markingPrefix : label.policy.id;
  const parts = [level?.marking ?? (prefix === undefined ? label.classification : `${prefix} ${label.classification}`)];
  // Categories in the policy's order (its marking order); ones it does not define last, by tag.
  const position = (tagName: string) => {
    const index = known?.categories.findIndex((c) => c.tagName === tagName) ?? -1;
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  const categories = [...label.categories].sort((a, b) => position(a.tagName) - position(b.tagName) || byCodeUnits(a.tagName, b.tagName));
  for (const category of categories) {
    const short = known?.categories.find((c) => c.tagName === category.tagName)?.marking ?? category.tagName.toUpperCase();
    const values = category.values.join(', ');
    parts.push(short === '' ? values : `${short} ${values}`);
  }
  if (label.privacyMark !== undefined) parts.push(label.privacyMark);
  return parts.join(' // ');
}
