/**
 * This mesh's vocabularies, as its card publishes them: markings from its label policy (never
 * stored, so they cannot drift from it), then the ones it defined (`entente taxonomy define`).
 */
import { PolicyFile } from '../../labels/policy.js';
import { listVocabularies } from '../../store/taxonomy-store.js';
import { markingsVocabulary, Vocabulary } from '../../taxonomy/vocabulary.js';
import type { ReadOperation } from '../context/operation.js';

export function ownVocabularies(op: ReadOperation): Vocabulary[] {
  const { mesh } = op.mesh();
  const policy = PolicyFile.parse(JSON.parse(mesh.labelPolicy));
  // Stored vocabularies were checked when defined; read back through the schema all the same.
  return [markingsVocabulary(policy), ...listVocabularies(op.read).map((row) => Vocabulary.parse(JSON.parse(row.vocabulary)))];
}
