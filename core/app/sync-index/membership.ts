/**
 * Which sync scopes an observation belongs to (decision 0006, "The persistent index"): scope
 * `F:P` holds every observation here that federation F's declaration in force lets cross to P —
 * the export's own selection, so a link offers exactly what a bundle would carry — plus every
 * observation admitted from P under F. After a full sync both sides of a link hold the same set.
 */
import type { Declaration } from '../../federation/declaration.js';
import { evaluate } from '../../federation/lifecycle.js';
import type { SyncCandidate } from '../../store/sync-index-store.js';
import type { ReadOperation } from '../context/operation.js';
import { selector } from '../crossing/export.js';
import type { CrossingParts } from '../crossing/parts.js';
import { federationRecords } from '../federations/federation-records.js';

/** `<federation id>:<partner mesh>`: the federation id never holds a colon's meaning for the mesh code, which has none. */
export function syncScopeOf(federation: string, partner: string): string {
  return `${federation}:${partner}`;
}

export interface ScopeInForce {
  readonly scope: string;
  readonly federation: string;
  readonly version: number;
  readonly partner: string;
  readonly declaration: Declaration;
}

/** Every (active federation in force with us in it, partner other than us) pair, as scopes. */
export function scopesInForce(op: ReadOperation, own: string, now: Date): ScopeInForce[] {
  return federationRecords(op.read).flatMap((record) => {
    const evaluation = evaluate(record, now);
    const declaration = evaluation.inForce?.declaration;
    if (evaluation.state !== 'active' || !declaration || !declaration.partners.some((p) => p.mesh === own)) return [];
    return declaration.partners
      .filter((p) => p.mesh !== own)
      .map((p) => ({ scope: syncScopeOf(record.id, p.mesh), federation: record.id, version: declaration.version, partner: p.mesh, declaration }));
  });
}

/** Judges candidates against the given scopes: the scopes each belongs to. */
export function membershipJudge(op: ReadOperation, parts: CrossingParts, own: string, scopes: readonly ScopeInForce[], now: Date): (candidate: SyncCandidate) => string[] {
  const judges = scopes.map((s) => ({
    s,
    mayGo: selector(op, parts, { own, to: s.partner, federation: s.federation, declaration: s.declaration, now }),
  }));
  return (candidate) =>
    judges.filter(({ s, mayGo }) => (candidate.cameUnder === s.federation && candidate.cameFrom === s.partner) || mayGo(candidate)).map(({ s }) => s.scope);
}
