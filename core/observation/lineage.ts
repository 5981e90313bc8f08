/**
 * Walking lineage: from an observation back through the sources it names, across devices and
 * meshes. A source this store does not hold is reported as unresolved, beside everything that
 * did resolve; it does not stop the walk.
 */
import type { GovernedObservation } from './record.js';

export interface LineageWalk {
  readonly nodes: readonly { readonly id: string; readonly depth: number; readonly record: GovernedObservation }[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  readonly unresolved: readonly string[];
  /** True when the limits cut the walk short. */
  readonly truncated: boolean;
}

export function walkLineage(
  id: string,
  lookup: (id: string) => GovernedObservation | undefined,
  limits: { maxDepth: number; maxNodes: number } = { maxDepth: 64, maxNodes: 10_000 },
): LineageWalk {
  const nodes: { id: string; depth: number; record: GovernedObservation }[] = [];
  const edges: { from: string; to: string }[] = [];
  const unresolved = new Set<string>();
  const seen = new Set<string>([id]);
  const queue: { id: string; depth: number }[] = [{ id, depth: 0 }];
  let truncated = false;
  while (queue.length > 0) {
    const { id: current, depth } = queue.shift()!;
    const record = lookup(current);
    if (!record) {
      unresolved.add(current);
      continue;
    }
    nodes.push({ id: current, depth, record });
    for (const source of record.lineage.sources) {
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
  return { nodes, edges, unresolved: [...unresolved], truncated };
}
