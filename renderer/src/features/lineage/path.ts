/** The path the officer focuses between two nodes: along the lineage's direction if there is one (either way round), else through any edges. */
import type { Core } from 'cytoscape';

export function pathBetween(cy: Core, a: string, b: string): string[] | null {
  const from = cy.getElementById(a);
  const to = cy.getElementById(b);
  if (from.empty() || to.empty()) return null;
  const attempts: [typeof from, typeof to, boolean][] = [[from, to, true], [to, from, true], [from, to, false]];
  for (const [root, goal, directed] of attempts) {
    const found = cy.elements().aStar({ root, goal, directed });
    if (found.found) return found.path.map((element) => element.id());
  }
  return null;
}
