/** The contract's observations part: governed observations as the console lists and opens them. */
import { z } from 'zod';
import { count, federationId, isoTime, meshCode, sha256Hex, text, type EventTable, type MethodTable } from './atoms.js';

export const Verification = z.strictObject({
  ok: z.boolean(),
  /** The named reason when verification failed, e.g. bad-signature, revoked, unknown-issuer. */
  reason: text(64).nullable(),
  message: text(1024).nullable(),
});

/**
 * A record's standing (docs/decisions/0005-crossing.md): its weakest source's, best first
 * verified < tainted < source-failed < source-purged < source-missing. In a list it is read from
 * the taints table alone; in the detail the whole lineage is walked.
 */
export const Standing = z.strictObject({
  standing: z.enum(['verified', 'tainted', 'source-failed', 'source-purged', 'source-missing']),
  /** A taint's cause (compromised-credential, tainted-source, partner-notice…), a source's failure reason, purged, missing. */
  cause: text(64).nullable(),
  /** The observation in the lineage responsible (itself for its own taint). */
  source: sha256Hex.nullable(),
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
  /**
   * Mesh-derived time in this mesh's clock (docs/decisions/0007-reconciliation.md, "Time"): a point
   * (lo = hi) for our own; for a foreign one an interval from the origin's clock samples, a null
   * bound where nothing bounds that side; null when no sample of the origin's clock is held.
   */
  derivedTime: z.strictObject({ lo: isoTime.nullable(), hi: isoTime.nullable() }).nullable(),
  /** The originator's label as marked, e.g. "NATO SECRET // REL TO DEU, NLD". */
  marking: text(512),
  /** The APP-6 / MIL-STD-2525 symbol code its payload gives (`sidc`, `symbol` or `symbolCode`), for the console's symbol; null when none. */
  sidc: text(30).nullable(),
  device: text(128),
  derived: z.boolean(),
  /** Made by another mesh (`mesh` is its origin) and admitted here: never to be read as local. */
  foreign: z.boolean(),
  verification: Verification,
  standing: Standing,
});

/**
 * Where a foreign observation came from and how it crossed (the `crossings` row its admission
 * wrote): null fields for one admitted before bundles existed.
 */
export const ForeignOrigin = z.strictObject({
  origin: meshCode,
  /** The partner whose agent carried it: the origin, or a relaying partner. */
  partner: meshCode.nullable(),
  federation: z.strictObject({ id: text(64), version: z.number().int().positive() }).nullable(),
  /** MESH:agent-id */
  agent: text(160).nullable(),
  agentCertificate: sha256Hex.nullable(),
  bundle: sha256Hex.nullable(),
  line: z.number().int().nonnegative().nullable(),
  releaseAuthority: text(256).nullable(),
  outcome: z.enum(['admitted', 'tainted', 'released']).nullable(),
  admittedAt: isoTime.nullable(),
  /** The originator's STANAG 4774 label exactly as signed. */
  originatorLabel: z.json(),
  /** Its translation into this mesh's policy, kind `alternative`, stored beside it; null when none was needed. */
  alternativeLabel: z.json().nullable(),
  caveats: z.array(text(128)).max(32),
  onwardRelease: text(32).nullable(),
  /** The equivalence attestations the translation used. */
  attestations: z.array(sha256Hex).max(256),
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
  /** Null for this mesh's own observation. */
  foreign: ForeignOrigin.nullable(),
  lineage: z.strictObject({
    device: text(128),
    derivation: z.strictObject({ name: text(128), version: text(64) }).nullable(),
    integrity: z.enum(['signature', 'batch']),
    sources: z.array(LineageSource).max(1000),
  }),
});

export const observationMethods = {
  listObservations: {
    args: z.strictObject({
      subject: text(256).optional(),
      /** Subjects that start with this. */
      subjectPrefix: text(256).optional(),
      class: text(64).optional(),
      mesh: meshCode.optional(),
      /** Observed at or after, and before, these instants (UTC). */
      observedFrom: isoTime.optional(),
      observedBefore: isoTime.optional(),
      /** Crossed under this federation, or named by a log entry made under it (the provenance browser's search). */
      federation: federationId.optional(),
      /** The originator's label classification, e.g. SECRET. */
      label: text(64).optional(),
      /** hlc: newest first by the hybrid logical clock (the default); or by a column. */
      sort: z.enum(['hlc', 'observed', 'subject', 'class', 'mesh']).default('hlc'),
      /** Unset: descending for hlc, ascending for the others. */
      descending: z.boolean().optional(),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).max(1_000_000_000).default(0),
    }),
    result: z.strictObject({ total: z.number().int().nonnegative(), observations: z.array(ObservationSummary).max(500) }),
  },
  getObservation: { args: z.strictObject({ id: sha256Hex }), result: ObservationDetail },
} as const satisfies MethodTable;

/** What `observationsAdmitted` says: how many arrived, the total now, and which ones. */
export const ObservationsAdmitted = z.strictObject({
  admitted: count,
  /** All observations now held (lower than before plus admitted when an exit purged some). */
  total: count,
  /** The newest ids admitted, newest first; at most 100 however many arrived. */
  newest: z.array(sha256Hex).max(100),
});

export const observationEvents = {
  /** Observations were stored, or an exit purged some (here or by another process). */
  observationsAdmitted: ObservationsAdmitted,
} as const satisfies EventTable;
