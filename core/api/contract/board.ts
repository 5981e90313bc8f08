/**
 * The contract's board part (issue 16): what the boundary board, the lineage graph and the
 * provenance browser ask beyond the other parts — the agents' credentials with their expiries,
 * a bounded lineage neighbourhood, and an observation's provenance chain with its log entries.
 */
import { z } from 'zod';
import { federationId, isoTime, meshCode, sha256Hex, text, type EventTable, type MethodTable } from './atoms.js';
import { OperationId, PreparedExport } from './audit.js';
import { OnePassphrase } from './federations.js';

export const BoundaryCredentialView = z.strictObject({
  partner: meshCode,
  federation: federationId,
  /** MESH:agent-id */
  agent: text(160),
  /** ours: a partner's certificate for this mesh's agent; theirs: this mesh's certificate for a partner's agent. */
  holder: z.enum(['ours', 'theirs']),
  sha256: sha256Hex,
  notAfter: isoTime,
  revokedAt: isoTime.nullable(),
});

/** A node's key: an observation id, or one prefixed by the kind of node hung on it. */
const nodeKey = z.string().regex(/^(?:(?:crossing|translation|decision|arbitration):)?[0-9a-f]{64}$/);

export const LineageNodeView = z.strictObject({
  id: nodeKey,
  kind: z.enum(['observation', 'derivation', 'crossing', 'translation', 'arbitration', 'decision']),
  observation: sha256Hex,
  mesh: meshCode.nullable(),
  label: text(256),
  found: z.enum(['held', 'quarantined', 'unresolved']),
  tainted: text(64).nullable(),
  quarantine: z.enum(['held', 'released', 'rejected']).nullable(),
  at: isoTime.nullable(),
  detail: text(1000),
  more: z.strictObject({ ancestors: z.boolean(), descendants: z.boolean() }),
});

/** The most observations one neighbourhood answers: a 5,000-node graph is the console's design size (issue 16). */
export const LINEAGE_LIMIT = 5000;

export const ProvenanceEventView = z.strictObject({
  log: text(64),
  seq: z.number().int().nonnegative(),
  type: text(64),
  wall: text(64),
  who: text(256),
  reasons: z.array(text(128)).max(64),
  text: text(2000).optional(),
  from: text(256),
});

export const ProvenanceNodeView = z.strictObject({
  id: sha256Hex,
  found: z.enum(['held', 'exported', 'unresolved']),
  mesh: text(64).optional(),
  subject: text(256).optional(),
  class: text(64).optional(),
  device: text(128).optional(),
  observedAt: text(64).optional(),
  derivation: text(200).nullable().optional(),
  sources: z.array(sha256Hex).max(1000),
  events: z.array(ProvenanceEventView).max(500),
  flagged: z.strictObject({ reason: text(64), message: text(1000) }).optional(),
});

/** The provenance browser shows this many nodes of a chain at most, and says when there were more. */
export const PROVENANCE_NODE_LIMIT = 500;

export const boardMethods = {
  listBoundaryCredentials: {
    args: z.strictObject({ partner: meshCode.optional() }),
    result: z.strictObject({ credentials: z.array(BoundaryCredentialView).max(1000) }),
  },
  getLineage: {
    args: z.strictObject({
      ids: z.array(sha256Hex).min(1).max(100),
      depth: z.number().int().min(1).max(200).default(2),
      direction: z.enum(['ancestors', 'descendants', 'both']).default('both'),
      /** The most observations to answer (auxiliary nodes hang on them uncounted). */
      maxNodes: z.number().int().min(1).max(LINEAGE_LIMIT).default(1000),
    }),
    result: z.strictObject({
      nodes: z.array(LineageNodeView).max(LINEAGE_LIMIT * 4),
      edges: z.array(z.strictObject({ from: nodeKey, to: nodeKey, kind: z.enum(['source', 'crossing', 'translation', 'decision']) })).max(LINEAGE_LIMIT * 8),
      observations: z.number().int().nonnegative(),
      truncated: z.boolean(),
      /** The distinct display markings of the held observations drawn (STANAG 4774), for the banner. */
      markings: z.array(text(256)).max(1_000),
    }),
  },
  getProvenance: {
    args: z.strictObject({ id: sha256Hex }),
    result: z.strictObject({
      id: sha256Hex,
      nodes: z.array(ProvenanceNodeView).max(PROVENANCE_NODE_LIMIT),
      unresolved: z.array(sha256Hex).max(10_000),
      truncated: z.boolean(),
    }),
  },
  /**
   * The after-action export of a provenance search (`entente provenance export`): the bundle an
   * auditor verifies offline and the HTML report, prepared for the shell to hand out; its progress
   * is `operationProgress`, `cancelOperation` stops it and nothing is written.
   */
  exportAfterAction: {
    args: z.strictObject({
      operation: OperationId,
      /** The provenance browser's search, or the chains chosen (`ids`, alone). */
      criteria: z.strictObject({
        subjectPrefix: text(256).optional(),
        mesh: meshCode.optional(),
        class: text(64).optional(),
        from: isoTime.optional(),
        before: isoTime.optional(),
        federation: federationId.optional(),
        label: text(64).optional(),
        ids: z.array(sha256Hex).min(1).max(1000).optional(),
      }),
      /** The authority's key signs the after-action statement, for this call only. */
      passphrase: OnePassphrase.default(null),
    }),
    result: z.strictObject({
      ...PreparedExport.shape,
      selected: z.number().int().nonnegative(),
      observations: z.number().int().nonnegative(),
      unresolved: z.number().int().nonnegative(),
      entries: z.number().int().nonnegative(),
    }),
  },
} as const satisfies MethodTable;

export const boardEvents = {} as const satisfies EventTable;
