/**
 * What the console shows of federations: each one's state, versions and every authority's
 * signature, judged at the trusted now; and one declaration in full. Reading never runs an
 * exit (that needs the authority's key): a federation past its expiry shows as expired until
 * a command with the key runs its exit.
 */
import type { MethodResult } from '../api/contract.js';
import { declarationDigest } from '../federation/declaration.js';
import { evaluate, type FederationRecord } from '../federation/lifecycle.js';
import { signatureReport } from '../federation/signatures.js';
import type { WriteDb as Db } from '../store/database.js';
import { federationRecords, trustedNow } from './federation-service.js';

export type FederationSummary = MethodResult<'listFederations'>['federations'][number];

export function federationSummaries(db: Db): FederationSummary[] {
  const now = trustedNow(db);
  return federationRecords(db).map((record) => summaryOf(record, now));
}

export function federationDetail(db: Db, id: string): MethodResult<'getFederation'> | null {
  const now = trustedNow(db);
  const record = federationRecords(db).find((r) => r.id === id);
  if (!record) return null;
  const latest = record.versions.at(-1)!.declaration;
  let previous: FederationRecord['versions'][number]['declaration'] | null = null;
  const versions = record.versions.map((v) => {
    const complete = signatureReport(v.declaration, v.signatures, previous, now).complete;
    if (complete) previous = v.declaration;
    return { version: v.declaration.version, digest: v.digest, complete };
  });
  // Declarations are plain JSON by construction (they are read from canonical JSON).
  return { summary: summaryOf(record, now), declaration: latest as unknown as MethodResult<'getFederation'>['declaration'], digest: declarationDigest(latest), versions };
}

export function summaryOf(record: FederationRecord, now: Date): FederationSummary {
  const evaluation = evaluate(record, now);
  const latest = evaluation.latest.declaration;
  const shown = evaluation.inForce?.declaration ?? latest;
  return {
    id: record.id,
    version: latest.version,
    inForce: evaluation.inForce?.declaration.version ?? null,
    state: evaluation.state,
    purpose: latest.purpose,
    partners: evaluation.signatures.partners.map((p) => {
      const partner = latest.partners.find((x) => x.mesh === p.mesh)!;
      return {
        mesh: p.mesh,
        displayName: partner.card.displayName ?? null,
        releaseAuthority: partner.releaseAuthority,
        trustAnchorSha256: partner.card.trustAnchor.sha256,
        signature: p.state,
        rotation: p.rotation ?? null,
        withdrawn: record.withdrawals.some((w) => w.partner === p.mesh),
      };
    }),
    start: shown.validity.start,
    expires: shown.validity.expires,
    amended: [...evaluation.amended],
    judgedAt: now.toISOString(),
  };
}
