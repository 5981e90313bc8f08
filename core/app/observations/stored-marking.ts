/**
 * Display markings (STANAG 4774) for labels read back from the store: the views that show
 * stored data name its highest marking to the console's banner. The record was verified when it
 * was stored, but a row edited since must not break the view that lists it.
 */
import { markingOf, type ConfidentialityLabel, type LabelPolicy } from '../../labels/index.js';
import type { ReadOperation } from '../context/operation.js';
import { policiesOf } from './observation-service.js';

/** label JSON text → its display marking, with this mesh's policies; each distinct text read once. */
export function storedMarkings(op: ReadOperation): (labelJson: string) => string {
  const policies = policiesOf(op.mesh().mesh);
  const seen = new Map<string, string>();
  return (labelJson) => {
    let marking = seen.get(labelJson);
    if (marking === undefined) seen.set(labelJson, (marking = markingOfText(labelJson, policies)));
    return marking;
  };
}

function markingOfText(labelJson: string, policies: readonly LabelPolicy[]): string {
  try {
    const label = JSON.parse(labelJson) as ConfidentialityLabel;
    return markingOf(label, policies.find((p) => p.id === label.policy.id));
  } catch {
    return '(unreadable label)';
  }
}
