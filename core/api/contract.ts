/**
 * The contract: every method the console may call on the core and every event the core
 * pushes, each with runtime schemas. Both shells (Electron IPC, loopback WebSocket) bind
 * exactly this table, so adding a method is one entry here plus its handler in
 * `core/api/handlers.ts` (the compiler insists on the handler).
 */
import { z } from 'zod';

/** Every string that crosses the boundary is bounded; huge strings are refused, not parsed. */
const text = (max = 512) => z.string().max(max);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected lowercase hex SHA-256');
const isoTime = z.iso.datetime({ offset: true });

/** Methods without parameters still take an (empty) argument object, and nothing else. */
const noArguments = z.strictObject({});

export const AppInfo = z.strictObject({
  name: text(64),
  version: text(64),
  /** Bumped when a method or event changes shape; a shell refuses a mismatched renderer. */
  contractVersion: z.number().int().nonnegative(),
});

const meshCode = z.string().regex(/^[A-Z0-9]{2,16}$/, 'expected a mesh code such as DEU');
const federationId = z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'expected a federation id');

export const MeshIdentity = z.strictObject({
  /** Null until `entente mesh init` has given this workspace a national authority. */
  mesh: z
    .strictObject({
      code: meshCode,
      displayName: text(128),
      trustAnchorSha256: sha256Hex,
      issuerSha256: sha256Hex,
      /** False for a home made for tests or a demo with --insecure-keys: shown, never hidden. */
      keysEncrypted: z.boolean(),
      labelPolicy: text(64),
      createdAt: isoTime,
    })
    .nullable(),
});

export const PrincipalRole = z.enum(['device', 'operator', 'boundary-agent']);

export const Principal = z.strictObject({
  role: PrincipalRole,
  id: text(128),
  certificateSha256: sha256Hex,
  algorithm: z.enum(['Ed25519', 'P-256']),
  /** Computed now: revoked wins over expired, expired over not-yet-valid. */
  status: z.enum(['active', 'revoked', 'expired', 'not-yet-valid']),
  notBefore: isoTime,
  notAfter: isoTime,
  enrolledAt: isoTime,
  revokedAt: isoTime.nullable(),
});

export const Verification = z.strictObject({
  ok: z.boolean(),
  /** The named reason when verification failed, e.g. bad-signature, revoked, unknown-issuer. */
  reason: text(64).nullable(),
  message: text(1024).nullable(),
});

export const ObservationSummary = z.strictObject({
  id: sha256Hex,
  mesh: meshCode,
  subject: text(256),
  class: text(64),
  observedAt: isoTime,
  /** Null when the stored record cannot be read (verification then says malformed-record). */
  timeReference: z.enum(['global', 'mesh-derived', 'local']).nullable(),
  /** The originator's label as marked, e.g. "NATO SECRET // REL TO DEU, NLD". */
  marking: text(512),
  device: text(128),
  derived: z.boolean(),
  verification: Verification,
});

export const LineageSource = z.strictObject({
  id: sha256Hex,
  /** False when this store does not hold the source: an unresolved reference, not an error. */
  resolved: z.boolean(),
  subject: text(256).nullable(),
  class: text(64).nullable(),
});

export const ObservationDetail = z.strictObject({
  summary: ObservationSummary,
  /** The signed record exactly as stored (canonical JSON, parsed). */
  record: z.json(),
  lineage: z.strictObject({
    device: text(128),
    derivation: z.strictObject({ name: text(128), version: text(64) }).nullable(),
    integrity: z.enum(['signature', 'batch']),
    sources: z.array(LineageSource).max(1000),
  }),
});

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
});

export const FederationDetail = z.strictObject({
  summary: FederationSummary,
  /** The newest version's declaration in full, as its partners sign it. */
  declaration: z.json(),
  /** Its RFC 8785 canonical bytes' SHA-256. */
  digest: sha256Hex,
  versions: z.array(z.strictObject({ version: z.number().int().min(1), digest: sha256Hex, complete: z.boolean() })).max(1000),
});

export const AuditEntryType = z.enum(['crossing', 'translation', 'ordering', 'arbitration', 'quarantine', 'rejection', 'decision', 'federation', 'purge', 'integrity', 'credential', 'observation', 'witness']);

export const AuditEntryView = z.strictObject({
  seq: z.number().int().nonnegative(),
  id: sha256Hex,
  type: AuditEntryType,
  wall: isoTime,
  hlc: z.strictObject({ l: z.number().int().nonnegative(), c: z.number().int().nonnegative() }),
  who: z.strictObject({ mesh: meshCode, role: z.enum(['authority', 'device', 'operator', 'boundary-agent']), id: text(128), certificate: sha256Hex }),
  what: z.strictObject({
    ids: z.array(sha256Hex).max(10_000),
    subject: text(256).nullable(),
    federation: text(128).nullable(),
    policy: z.strictObject({ id: text(128), version: text(64) }).nullable(),
    detail: z.array(z.strictObject({ name: text(64), value: text(512) })).max(64),
  }),
  why: z.strictObject({ reasons: z.array(text(64)).max(16), text: text(1000).nullable() }),
});

export const LogFailureView = z.strictObject({
  reason: text(64),
  seq: z.number().int().nonnegative().nullable(),
  size: z.number().int().nonnegative().nullable(),
  message: text(1024),
});

export const LogVerification = z.strictObject({
  verifiedAt: isoTime,
  ok: z.boolean(),
  entries: z.number().int().nonnegative(),
  checkpoints: z.number().int().nonnegative(),
  failures: z.array(LogFailureView).max(1001),
});

export const AuditLogState = z.strictObject({
  entries: z.number().int().nonnegative(),
  lastCheckpoint: z.strictObject({ size: z.number().int().nonnegative(), root: sha256Hex, time: isoTime, signer: sha256Hex }).nullable(),
  /** The result of the last verification in this session; null until the officer asks for one. */
  verification: LogVerification.nullable(),
});

export const WorkspaceInfo = z.strictObject({
  home: text(4096),
  databasePath: text(4096),
  workspaceId: sha256Hex,
  createdAt: isoTime,
  schemaVersion: z.number().int().nonnegative(),
});

export const methods = {
  getAppInfo: { args: noArguments, result: AppInfo },
  getMeshIdentity: { args: noArguments, result: MeshIdentity },
  getWorkspaceInfo: { args: noArguments, result: WorkspaceInfo },
  listPrincipals: {
    args: z.strictObject({ role: PrincipalRole.optional() }),
    result: z.strictObject({ principals: z.array(Principal).max(10_000) }),
  },
  listObservations: {
    args: z.strictObject({
      subject: text(256).optional(),
      class: text(64).optional(),
      mesh: meshCode.optional(),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).max(1_000_000_000).default(0),
    }),
    result: z.strictObject({ total: z.number().int().nonnegative(), observations: z.array(ObservationSummary).max(500) }),
  },
  getObservation: { args: z.strictObject({ id: sha256Hex }), result: ObservationDetail },
  listAuditEntries: {
    args: z.strictObject({
      type: AuditEntryType.optional(),
      subject: text(256).optional(),
      federation: federationId.optional(),
      from: isoTime.optional(),
      to: isoTime.optional(),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).max(1_000_000_000).default(0),
    }),
    result: z.strictObject({ total: z.number().int().nonnegative(), entries: z.array(AuditEntryView).max(500) }),
  },
  getAuditLogState: { args: noArguments, result: AuditLogState },
  /** Recomputes the whole log from the store (seconds for a million entries). */
  verifyAuditLog: { args: noArguments, result: LogVerification },
  listFederations: { args: noArguments, result: z.strictObject({ federations: z.array(FederationSummary).max(1000) }) },
  getFederation: { args: z.strictObject({ federation: federationId }), result: FederationDetail },
} as const satisfies Record<string, { args: z.ZodType; result: z.ZodType }>;

export const events = {
  /** The workspace's identity or contents changed; the console refreshes what it shows. */
  workspaceChanged: WorkspaceInfo,
  // placeholder until the events branch lands: its names, with payloads it defines (any object here).
  meshChanged: z.looseObject({}),
  observationsAdmitted: z.looseObject({}),
  auditAppended: z.looseObject({}),
  federationsChanged: z.looseObject({}),
} as const satisfies Record<string, z.ZodType>;

export const CONTRACT_VERSION = 1;

export type MethodName = keyof typeof methods;
export type EventName = keyof typeof events;
export type MethodArgs<M extends MethodName> = z.input<(typeof methods)[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<(typeof methods)[M]['result']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
