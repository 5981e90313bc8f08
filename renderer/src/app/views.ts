/**
 * The console's views, in the rail's order: each with its place in the URL (`#/federations`),
 * its rail label and its shortcuts (`g` then the letter, or Alt and the digit).
 */
export const VIEWS = [
  { id: 'overview', label: 'Overview', hint: 'mesh identity, workspace, principals', letter: 'h' },
  { id: 'picture', label: 'Joint picture', hint: 'what prevails per subject, and where each field came from', letter: 'j' },
  { id: 'observations', label: 'Observations', hint: 'what this mesh holds, with lineage', letter: 'o' },
  { id: 'lineage', label: 'Lineage graph', hint: 'sources and derivations across meshes', letter: 'l' },
  { id: 'provenance', label: 'Provenance', hint: 'who said what under whose authority', letter: 'p' },
  { id: 'boundaries', label: 'Boundaries', hint: 'partners, links, credentials, integrity events', letter: 'b' },
  { id: 'queue', label: 'Divergence queue', hint: 'held divergences, the officer’s decisions', letter: 'd' },
  { id: 'quarantine', label: 'Quarantine', hint: 'what waits for an operator', letter: 'q' },
  { id: 'federations', label: 'Federations', hint: 'declarations, signatures, the editor', letter: 'f' },
  { id: 'audit', label: 'Audit log', hint: 'the reconciliation log and its verification', letter: 'a' },
  { id: 'integrity', label: 'Integrity events', hint: 'what the boundary refused or flagged, with its evidence', letter: 'i' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export const DEFAULT_VIEW: ViewId = 'overview';

export function isViewId(value: string): value is ViewId {
  return VIEWS.some((view) => view.id === value);
}
