/** The contract's federations part: each federation's state, partners, signatures and versions. */
import { z } from 'zod';
import { federationId, isoTime, meshCode, noArguments, sha256Hex, text, type EventTable, type MethodTable } from './atoms.js';

export const FederationState = z.enum(['draft', 'proposed', 'active', 'expired', 'withdrawn', 'exited']);

export const FederationPartner = z.strictObject({
  mesh: meshCode,
  displayName: text(256).nullable(),
  releaseAuthority: text(256),
  trustAnchorSha256: sha256Hex,
  /** Of the newest version: signed when every signature this partner owes verifies. */
  signature: z.enum(['signed', 'missing']),
  /** Set when the partner's authority changed since the version before (both keys must sign). */
  rotation: z.strictObject({ oldKeySigned: z.boolean(), newKeySigned: z.boolean() }).nullable(),
  withdrawn: z.boolean(),
});

export const FederationSummary = z.strictObject({
  id: text(64),
  /** The newest version on record. */
  version: z.number().int().min(1),
  /** The version in force (or last in force): every partner signed it. */
  inForce: z.number().int().min(1).nullable(),
  state: FederationState,
  purpose: text(1000),
  partners: z.array(FederationPartner).max(16),
  start: isoTime,
  expires: isoTime,
  /** Older versions the one in force replaced. */
  amended: z.array(z.number().int().min(1)).max(1000),
  /** The trusted now the state was judged at (never earlier than a moment already seen). */
  judgedAt: isoTime,
  /** Expired only by an unconfirmed jump of the workstation clock: its exit waits for the operator. */
  exitHeld: z.boolean(),
});

export const FederationDetail = z.strictObject({
  summary: FederationSummary,
  /** The newest version's declaration in full, as its partners sign it. */
  declaration: z.json(),
  /** Its RFC 8785 canonical bytes' SHA-256. */
  digest: sha256Hex,
  versions: z.array(z.strictObject({ version: z.number().int().min(1), digest: sha256Hex, complete: z.boolean() })).max(1000),
});

export const federationMethods = {
  listFederations: { args: noArguments, result: z.strictObject({ federations: z.array(FederationSummary).max(1000) }) },
  getFederation: { args: z.strictObject({ federation: federationId }), result: FederationDetail },
} as const satisfies MethodTable;

/** What `federationsChanged` says: which federations gained a version, signature, withdrawal or exit. */
export const FederationsChanged = z.strictObject({
  federations: z.array(text(64)).min(1).max(1000),
});

export const federationEvents = {
  /** A federation version, signature, withdrawal or exit was recorded (here or by another process). */
  federationsChanged: FederationsChanged,
} as const satisfies EventTable;
