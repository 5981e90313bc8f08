/**
 * What the after-action report says about each step of a chain, read once from the store: the
 * record's STANAG 4774 display marking and where it sits on the NATO scale (for the portion mark
 * and the banner's highest classification), how a foreign record crossed (its crossings row), and
 * each log entry's position and leaf hash in the bundle, so a reader can find it there.
 */
import { leafHash } from '../../audit/tree.js';
import { markingOf, NATO_POLICY, type ConfidentialityLabel } from '../../labels/index.js';
import { readObservation } from '../../store/observation-store.js';
import type { ReadOperation } from '../context/operation.js';
import { markingLevels } from '../mesh/marking-levels.js';
import { foreignOrigin, type ForeignOriginView } from '../observations/foreign-origin.js';
import { policiesOf } from '../observations/observation-service.js';
import type { AfterActionBundle } from './after-action-format.js';
import type { ProvenanceEvent, ProvenanceNode } from './provenance-service.js';

export interface StepFacts extends Omit<ProvenanceNode, 'events'> {
  /** The originator's label as marked, null when no record is held. */
  readonly marking: string | null;
  /** On the NATO scale (0 UNCLASSIFIED … 4 TOP SECRET), null when no level held here places it. */
  readonly tier: number | null;
  readonly foreign: ForeignOriginView | null;
  /** The marking of the alternative label this mesh reads a foreign record under. */
  readonly alternativeMarking: string | null;
  readonly events: readonly (ProvenanceEvent & { readonly leaf: string | null })[];
}

export interface ReportLevels {
  /** The highest level on the report, as the NATO scale names it, with the item marking that puts it there. */
  readonly highest: { readonly tier: number; readonly banner: string; readonly marking: string } | null;
  /** Markings no level held here places: the banner says so rather than guess low. */
  readonly unranked: readonly string[];
}

export function afterActionFacts(op: ReadOperation, bundle: AfterActionBundle, nodes: ReadonlyMap<string, ProvenanceNode>): Map<string, StepFacts> & { levels: ReportLevels } {
  const { mesh } = op.mesh();
  const policies = policiesOf(mesh);
  const scale = markingLevels(op);
  const tierOf = (marking: string): number | null => {
    const level = marking.split(' // ')[0];
    return scale.levels.find((l) => l.marking === level)?.tier ?? null;
  };
  const display = (label: unknown): string | null => {
    const typed = label as ConfidentialityLabel | null;
    if (!typed || typeof typed !== 'object' || typeof typed.classification !== 'string') return null;
    try {
      return markingOf(typed, policies.find((p) => p.id === typed.policy?.id));
    } catch {
      return null;
    }
  };
  const leaves = new Map(bundle.audit.entries.map((e) => [e.seq, leafHash(Buffer.from(e.text, 'utf8')).toString('hex')]));

  const facts = new Map<string, StepFacts>();
  let highest: ReportLevels['highest'] = null;
  const unranked = new Set<string>();
  for (const [id, node] of nodes) {
    const row = readObservation(op.read, id);
    let label: unknown = null;
    if (row) {
      try {
        label = (JSON.parse(row.record) as { label?: unknown }).label ?? null;
      } catch {
        label = null;
      }
    }
    const marking = display(label);
    const foreign = row && node.mesh ? foreignOrigin(op.read, mesh.code, id, { mesh: node.mesh, label }) : null;
    const alternativeMarking = foreign?.alternativeLabel ? display(foreign.alternativeLabel) : null;
    const tier = marking === null ? null : tierOf(marking);
    if (marking !== null && tier === null) unranked.add(marking);
    if (marking !== null && tier !== null && (highest === null || tier > highest.tier)) {
      const banner = scale.levels.find((l) => l.policy === NATO_POLICY.id && l.tier === tier)?.marking ?? marking;
      highest = { tier, banner, marking };
    }
    const { events, ...rest } = node;
    facts.set(id, { ...rest, marking, tier, foreign, alternativeMarking, events: events.map((e) => ({ ...e, leaf: e.log === mesh.code ? (leaves.get(e.seq) ?? null) : null })) });
  }
  return Object.assign(facts, { levels: { highest, unranked: [...unranked].sort() } });
}
