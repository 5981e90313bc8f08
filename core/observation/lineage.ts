/**
 * Walking lineage (docs/decisions/0002, "Lineage composes"): from an observation back through
 * the sources it names, across devices and meshes. A source the lookup does not hold is
 * reported as unresolved, beside everything that did resolve; it does not stop the walk.
 *
 * Ids are SHA-256 hashes of records that contain their sources' ids, so a cycle would need a
 * hash collision; the walk still visits each id once, and by default checks that each record
 * the lookup returns really hashes to the id asked for (a lookup over tampered storage could
 * otherwise hand back anything, cycles included).
 */
import { CanonicalizationError } from '../canonical/jcs.js';
import { observationId } from './canonical-form.js';
import type { GovernedObservation } from './record.js';

export interface LineageLimits {
  /** Levels below the starting record (its sources are depth 1). */
  readonly maxDepth: number;
  /** Ids looked up in all, resolved or not. */
  readonly maxNodes: number;
}

export const DEFAULT_LINEAGE_LIMITS: LineageLimits = { maxDepth: 64, maxNodes: 10_000 };

export interface LineageNode {
  readonly id: string;
  /** Shortest distance from the starting record. */
  readonly depth: number;
  readonly record: GovernedObservation;
}

export interface LineageWalk {
  /** Records reached, breadth first (so by depth). */
  readonly nodes: readonly LineageNode[];
  /** "from was derived from to", once per source named by a reached record (resolved or not). */
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  /** Ids referenced (or asked for) that the lookup does not hold. */
  readonly unresolved: readonly string[];
  /** Ids whose looked-up record does not hash to the id, or breaks the lineage rules; not followed. */
  readonly invalid: readonly { readonly id: string; readonly reason: 'id-mismatch' | 'inconsistent-lineage' }[];
  /** True when the limits cut the walk short. */
  readonly truncated: boolean;
}

export interface LineageOptions {
  /** Recompute each record's id and compare (default true); turn off only for a lookup that already did. */
  readonly checkIds?: boolean;
}

export function walkLineage(
  id: string,
  lookup: (id: string) => GovernedObservation | undefined,
  limits: LineageLimits = DEFAULT_LINEAGE_LIMITS,
  options: LineageOptions = {},
): LineageWalk {
  const checkIds = options.checkIds ?? true;
  const nodes: LineageNode[] = [];
  const edges: { from: string; to: string }[] = [];
  const unresolved: string[] = [];
  const invalid: { id: string; reason: 'id-mismatch' | 'inconsistent-lineage' }[] = [];
  const seen = new Set<string>([id]);
  const queue: { id: string; depth: number }[] = [{ id, depth: 0 }];
  let truncated = false;
  for (let head = 0; head < queue.length; head++) {
    const { id: current, depth } = queue[head]!;
    const record = lookup(current);
    if (record === undefined) {
      unresolved.push(current);
      continue;
    }
    if (checkIds && idOrNull(record) !== current) {
      invalid.push({ id: current, reason: 'id-mismatch' });
      continue;
    }
    const { sources, derivation } = record.lineage;
    if ((sources.length > 0) !== (derivation !== null)) {
      invalid.push({ id: current, reason: 'inconsistent-lineage' });
      continue;
    }
    nodes.push({ id: current, depth, record });
    for (const source of sources) {
      edges.push({ from: current, to: source });
      if (seen.has(source)) continue;
      if (depth + 1 > limits.maxDepth || seen.size >= limits.maxNodes) {
        truncated = true;
        continue;
      }
      seen.add(source);
      queue.push({ id: source, depth: depth + 1 });
    }
  }
  return { nodes, edges, unresolved, invalid, truncated };
}

function idOrNull(record: GovernedObservation): string | null {
  try {
    return observationId(record);
  } catch (error) {
    if (error instanceof CanonicalizationError) return null;
    throw error;
  }
}
