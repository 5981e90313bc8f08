/**
 * Verifying a partner's certificates: against the trust anchor its own card names in the
 * federations this workspace holds — never against ours, never against one the record brings —
 * and against the partner's CRLs this workspace applied (core/app/integrity/taint.ts), so a
 * partner device revoked there is refused here from then on.
 */
import { ChainVerifier } from '../../credentials/index.js';
import type { MeshCard } from '../../federation/declaration.js';
import type { ReadDb } from '../../store/database.js';
import { partnerCrls } from '../../store/integrity-store.js';
import { federationRecords } from './federation-records.js';

/** The newest card of `mesh` in any federation on record, or undefined when it is no partner. */
export function partnerCard(db: ReadDb, mesh: string): MeshCard | undefined {
  let card: MeshCard | undefined;
  for (const record of federationRecords(db)) {
    const partner = record.versions.at(-1)!.declaration.partners.find((p) => p.mesh === mesh);
    if (partner) card = partner.card;
  }
  return card;
}

/** One chain verifier per partner mesh, built on first use, with the partner's CRLs held here (the newest per CA counts). */
export function partnerChains(db: ReadDb): (mesh: string) => ChainVerifier | undefined {
  const built = new Map<string, ChainVerifier | undefined>();
  return (mesh) => {
    if (!built.has(mesh)) {
      const card = partnerCard(db, mesh);
      built.set(mesh, card && new ChainVerifier({ anchor: card.trustAnchor.pem, intermediates: card.intermediates.map((i) => i.pem), crls: partnerCrls(db, mesh).map((c) => c.pem), mesh }));
    }
    return built.get(mesh);
  };
}
