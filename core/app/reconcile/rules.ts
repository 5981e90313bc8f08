/**
 * Which arbitration the picture is computed under: the declaration in force of the active
 * federations this mesh is a partner in — the first by id when it is in several, so two
 * partners of the same one federation read the same rules. Without a federation the mesh's own
 * observations never conflict across meshes, and the default holds nothing.
 */
import type { Declaration } from '../../federation/declaration.js';
import { evaluate } from '../../federation/lifecycle.js';
import { effectiveArbitration } from '../../reconcile/arbitration/index.js';
import type { PictureRules } from '../../reconcile/picture.js';
import type { ReadOperation } from '../context/operation.js';
import { federationRecords } from '../federations/federation-records.js';

export const DEFAULT_RULES: PictureRules = { policy: 'originator-wins', divergenceThreshold: 1 };

export interface RulesInForce {
  readonly rules: PictureRules;
  /** The federation and version they come from; null for the default. */
  readonly federation: { readonly id: string; readonly version: number } | null;
}

export function rulesInForce(op: ReadOperation, now: Date): RulesInForce {
  const own = op.mesh().mesh.code;
  const active = federationRecords(op.read)
    .map((record) => ({ id: record.id, declaration: evaluate(record, now) }))
    .filter(({ declaration }) => declaration.state === 'active' && declaration.inForce?.declaration.partners.some((p) => p.mesh === own))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const first = active[0];
  if (!first) return { rules: DEFAULT_RULES, federation: null };
  const declaration = first.declaration.inForce!.declaration;
  return { rules: rulesOf(declaration), federation: { id: first.id, version: declaration.version } };
}

/** The declaration's arbitration as the picture reads it: what a shorthand leaves out filled the same way on every mesh. */
export function rulesOf(declaration: Pick<Declaration, 'arbitration' | 'partners'>): PictureRules {
  const effective = effectiveArbitration(declaration.arbitration, declaration.partners.map((p) => p.mesh));
  return { ...declaration.arbitration, concurrencyWindowSeconds: effective.concurrencyWindowSeconds, decisionPrecedence: [...effective.decisionPrecedence] };
}
