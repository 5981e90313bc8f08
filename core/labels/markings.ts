/** How a label reads on screen and in print, e.g. "NATO SECRET // REL TO DEU, NLD". */
import type { ConfidentialityLabel } from './label.js';
import type { LabelPolicy } from './policy.js';

export function markingOf(label: ConfidentialityLabel, policy: LabelPolicy | undefined): string {
  const level = policy?.classifications.find((c) => c.name === label.classification);
  const levelText = level?.marking ?? `${policy?.markingPrefix ?? label.policy.id} ${label.classification}`;
  const parts = [levelText];
  for (const category of label.categories) {
    const short = policy?.categories.find((c) => c.tagName === category.tagName)?.marking ?? category.tagName.toUpperCase();
    parts.push(`${short} ${category.values.join(', ')}`);
  }
  if (label.privacyMark) parts.push(label.privacyMark);
  return parts.join(' // ');
}
