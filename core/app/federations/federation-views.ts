/**
 * What the console shows of federations: each one's state, versions and every authority's
 * signature, judged at the trusted now; and one declaration in full. Reading never runs an
 * exit (that needs the authority's key): a federation past its expiry shows as expired until
 * a command with the key runs its exit.
 */
import type { JsonValue } from '../../common/json.js';
import { declarationDigest } from '../../federation/declaration.js';
import { evaluate, type FederationRecord, type FederationState } from '../../federation/lifecycle.js';
import { signatureReport } from '../../federation/signatures.js';
import type { ClockJump } from '../context/clock.js';
import type { ReadOperation } from '../context/operation.js';
import { passedByJump } from './federation-exit.js';
import { federationRecords } from './federation-records.js';

/** One federation as the console lists it (the contract's FederationSummary). */
export interface FederationSummaryView {
  readonly id: string;
  readonly version: number;
  readonly inForce: number | null;
  readonly state: FederationState;
  readonly purpose: string;
  readonly partners: {
    readonly mesh: string;
    readonly displayName: string | null;
    readonly releaseAuthority: string;
    readonly trustAnchorSha256: string;
    readonly signature: 'signed' | 'missing';
    readonly rotation: { readonly oldKeySigned: boolean; readonly newKeySigned: boolean } | null;
    readonly withdrawn: boolean;
  }[];
  readonly start: string;
  readonly expires: string;
  readonly amended: number[];
  readonly judgedAt: string;
  /** Expired only by a clock jump not yet confirmed: its exit waits for the operator. */
  readonly exitHeld: boolean;
}

/** One federation in full (the contract's FederationDetail). */
export interface FederationDetailView {
  readonly summary: FederationSummaryView;
  readonly declaration: JsonValue;
  readonly digest: string;
  readonly versions: { readonly version: number; readonly digest: string; readonly complete: boolean }[];
}

/** Judged at the trusted now as a reader sees it: the floor is read, never raised. */
export function federationSummaries(op: ReadOperation): FederationSummaryView[] {
  const now = op.clock.now();
  const jump = op.clock.jump();
  return federationRecords(op.read).map((record) => summaryOf(record, now, jump));
}

export function federationDetail(op: ReadOperation, id: string): FederationDetailView | null {
  const now = op.clock.now();
  const record = federationRecords(op.read).find((r) => r.id === id);
  if (!record) return null;
  const latest = record.versions.at(-1)!.declaration;
  let previous: FederationRecord['versions'][number]['declaration'] | null = null;
  const versions = record.versions.map((v) => {
    const complete = signatureReport(v.declaration, v.signatures, previous, now).complete;
    if (complete) previous = v.declaration;
    return { version: v.declaration.version, digest: v.digest, complete };
  });
  // Declarations are plain JSON by construction (they are read from canonical JSON).
  return { summary: summaryOf(record, now, op.clock.jump()), declaration: latest as unknown as JsonValue, digest: declarationDigest(latest), versions };
}

export function summaryOf(record: FederationRecord, now: Date, jump: ClockJump | null): FederationSummaryView {
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
    exitHeld: evaluation.state === 'expired' && passedByJump(shown.validity.expires, jump),
  };
}
