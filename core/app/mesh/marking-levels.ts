/**
 * The levels the console's classification banner ranks (as accredited systems mark a screen
 * with its highest classification, STANAG 4774 display markings): the NATO levels, this mesh's
 * own, and every partner level an equivalence attestation held here places on the NATO scale.
 * The markings are written as the console shows them (markings.ts), so the renderer matches
 * what is on screen by text alone.
 */
import { markingOf, NATO_POLICY, type ConfidentialityLabel, type LabelPolicy } from '../../labels/index.js';
import { listAttestations } from '../../store/taxonomy-store.js';
import type { ReadOperation } from '../context/operation.js';
import { labelPolicyOf } from '../credentials/credentials-service.js';

export interface MarkingLevel {
  readonly policy: string;
  readonly classification: string;
  readonly marking: string;
  /** On the NATO scale: 0 UNCLASSIFIED … 4 TOP SECRET. */
  readonly tier: number;
  readonly own: boolean;
}

export interface MarkingLevels {
  readonly policy: string;
  readonly tiers: string[];
  readonly levels: MarkingLevel[];
}

const MARKINGS_VOCABULARY = 'markings';

export function markingLevels(op: ReadOperation): MarkingLevels {
  const tiers = NATO_POLICY.classifications.map((c) => c.name);
  if (!op.hasMesh()) return { policy: NATO_POLICY.id, tiers, levels: natoLevels() };
  const { mesh } = op.mesh();
  const own = labelPolicyOf(mesh);
  const tierOf = (term: string) => tiers.indexOf(term);
  // Each mesh's attested equivalence of a level to a NATO one (SKOS-graded, grades.ts): the
  // newest held wins. Ours places our own levels; a partner's, the levels its records carry.
  const attested = new Map<string, number>();
  for (const a of listAttestations(op.read)) {
    if (a.vocabulary === MARKINGS_VOCABULARY && a.pivotVocabulary === NATO_POLICY.id && tierOf(a.pivotTerm) >= 0) attested.set(`${a.mesh}\n${a.term}`, tierOf(a.pivotTerm));
  }
  const levels: MarkingLevel[] = natoLevels();
  if (own.id !== NATO_POLICY.id) {
    own.classifications.forEach((c, index) => {
      // Without an attestation, our policy's own order still ranks the level; the NATO scale
      // then only chooses the banner's colour, spread over the policy's levels.
      const fallback = own.classifications.length === 1 ? 0 : Math.round((index * (tiers.length - 1)) / (own.classifications.length - 1));
      const tier = attested.get(`${mesh.code}\n${c.name}`) ?? fallback;
      const marking = displayed(own, c.name, own);
      levels.push({ policy: own.id, classification: c.name, marking, tier, own: true });
      // The same level as a label is written without its policy at hand ("DEU GEHEIM"), as a translation shows it.
      const bare = `${own.id} ${c.name}`;
      if (bare !== marking) levels.push({ policy: own.id, classification: c.name, marking: bare, tier, own: true });
    });
  }
  for (const [key, tier] of attested) {
    const [partner, classification] = key.split('\n') as [string, string];
    // A partner's label names its policy by the partner's code; this mesh holds no partner policy file.
    if (partner !== mesh.code) levels.push({ policy: partner, classification, marking: displayed({ id: partner } as LabelPolicy, classification, undefined), tier, own: false });
  }
  return { policy: own.id, tiers, levels };
}

function natoLevels(): MarkingLevel[] {
  return NATO_POLICY.classifications.map((c, tier) => ({ policy: NATO_POLICY.id, classification: c.name, marking: displayed(NATO_POLICY, c.name, NATO_POLICY), tier, own: false }));
}

/** The marking the console shows for a bare label of that level (no categories). */
function displayed(of: Pick<LabelPolicy, 'id'>, classification: string, policy: LabelPolicy | undefined): string {
  const label = { kind: 'originator', policy: { id: of.id }, classification, categories: [], createdAt: '1970-01-01T00:00:00Z' } as unknown as ConfidentialityLabel;
  return markingOf(label, policy);
}
