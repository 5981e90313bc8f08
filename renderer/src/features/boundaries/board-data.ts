/**
 * The board's data, gathered per partner mesh from the contract's answers: pure, so a test can
 * hand it answers and read the cards it would draw.
 */
import type { MethodResult } from '../../../../core/api/index.js';

type Federation = MethodResult<'listFederations'>['federations'][number];
type Link = MethodResult<'listLinks'>['links'][number];
type Held = MethodResult<'listQuarantine'>['items'][number];
type IntegrityEvent = MethodResult<'listIntegrityEvents'>['events'][number];
type Credential = MethodResult<'listBoundaryCredentials'>['credentials'][number];

export interface PartnerBoard {
  readonly mesh: string;
  readonly displayName: string | null;
  readonly federations: readonly Federation[];
  readonly links: readonly Link[];
  /** Items from this partner still waiting for a decision. */
  readonly quarantined: number;
  /** Newest first. */
  readonly events: readonly IntegrityEvent[];
  /** Soonest expiry first. */
  readonly credentials: readonly Credential[];
}

export interface BoardAnswers {
  readonly federations: readonly Federation[];
  readonly links: readonly Link[];
  readonly quarantine: readonly Held[];
  readonly integrity: readonly IntegrityEvent[];
  readonly credentials: readonly Credential[];
}

/** One entry per partner mesh named by a federation or a link, in code order; this mesh itself never. */
export function boardByPartner(own: string, answers: BoardAnswers): PartnerBoard[] {
  const names = new Map<string, string | null>();
  for (const federation of answers.federations) {
    for (const partner of federation.partners) if (partner.mesh !== own && !names.get(partner.mesh)) names.set(partner.mesh, partner.displayName);
  }
  for (const link of answers.links) if (!names.has(link.partner)) names.set(link.partner, null);
  return [...names.keys()].sort().map((mesh) => ({
    mesh,
    displayName: names.get(mesh) ?? null,
    federations: answers.federations.filter((f) => f.partners.some((p) => p.mesh === mesh)),
    links: answers.links.filter((l) => l.partner === mesh),
    quarantined: answers.quarantine.filter((item) => item.partner === mesh && !item.decision).length,
    events: answers.integrity.filter((e) => e.partner === mesh).sort((a, b) => b.at.localeCompare(a.at)),
    credentials: answers.credentials.filter((c) => c.partner === mesh).sort((a, b) => a.notAfter.localeCompare(b.notAfter)),
  }));
}
