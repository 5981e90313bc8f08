/**
 * The contract's reconciliation part (docs/decisions/0007): the joint picture with its digest
 * and per-field provenance, the queue with its evidence, and an operator's signed decision.
 */
import { z } from 'zod';
import { count, isoTime, meshCode, sha256Hex, text, type EventTable, type MethodTable } from './atoms.js';
import { OnePassphrase } from './federations.js';

const Score = z.number().min(0).max(1);

export const PictureSubject = z.strictObject({
  subject: text(256),
  state: z.enum(['merged', 'held']),
  divergence: Score,
  digest: sha256Hex,
  /** The divergence queue item, open or settled; null when the subject never diverged past the threshold. */
  item: sha256Hex.nullable(),
  fields: z
    .array(
      z.strictObject({
        field: text(256),
        value: z.json(),
        observation: sha256Hex,
        mesh: meshCode,
        /** Arbitration chose this observation among concurrent conflicting claims: why it won, when recorded (0007). */
        arbitrated: z.strictObject({ why: text(1_000), at: isoTime }).optional(),
        /** The supplying observation's display marking (STANAG 4774), raised to the banner while the value is shown. */
        marking: text(256).optional(),
      }),
    )
    .max(1_000),
  /** The display markings (STANAG 4774) of the observations that name the subject on screen: its origin, its fields' suppliers, a queue item's competing observations. */
  markings: z.array(text(256)).max(1_000),
});

const QueueStatus = z.enum(['open', 'escalated', 'decided', 'superseded']);
const QueueCause = z.enum(['translation-seam', 'genuine-disagreement', 'suspected-injection', 'decision-clash']);

export const QueueItem = z.strictObject({
  id: sha256Hex,
  kind: z.enum(['divergence', 'decision-clash']),
  subject: text(256),
  status: QueueStatus,
  score: Score,
  fields: z.array(text(256)).max(1_000),
  cause: QueueCause,
  reasons: z.array(text(1_000)).max(100),
  policyChoice: z.record(text(256), z.strictObject({ observation: sha256Hex, why: text(1_000) })),
  decision: sha256Hex.nullable(),
  openedAt: isoTime,
  updatedAt: isoTime,
  /** The competing histories (with `getQueueItem`: each observation's mesh, device, stated time, display marking, mesh-derived time and payload; in a list, the id, mesh and class). */
  competing: z
    .array(
      z.strictObject({
        id: sha256Hex,
        mesh: meshCode.optional(),
        class: text(64).optional(),
        device: text(128).optional(),
        statedAt: isoTime.optional(),
        hlc: z.strictObject({ l: count, c: count }).optional(),
        /** The observation's display marking (STANAG 4774), shown beside its payload and raised to the banner. */
        marking: text(256).optional(),
        payload: z.json().optional(),
        /** Mesh-derived time in this mesh's clock (0007 "Time"): lo = hi for our own; null sides unbounded; null when no sample bounds the origin's clock. */
        derivedTime: z.strictObject({ lo: isoTime.nullable(), hi: isoTime.nullable() }).nullable().optional(),
      }),
    )
    .max(1_000),
});

export const reconcileMethods = {
  getPicture: {
    args: z.strictObject({
      /** One subject, exactly (refused `not-found` when the picture holds none by that name). */
      subject: text(256).optional(),
      /** The subjects starting with this text (the console's filter). */
      subjectPrefix: text(256).optional(),
      /** Held subjects only (their merging stopped for a person), or merged only. */
      state: z.enum(['merged', 'held']).optional(),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).max(1_000_000_000).default(0),
    }),
    result: z.strictObject({
      digest: sha256Hex,
      subjects: count,
      held: count,
      queueOpen: count,
      /** Subjects a bundle import admitted observations about and has not yet recomputed (0007; it catches up every 16 blocks and at its end, or the next import after a killed one). */
      pending: count,
      /** The subjects the arguments let through: all of them without a filter, 1 for a subject named. */
      matching: count,
      items: z.array(PictureSubject).max(500),
    }),
  },
  listQueue: {
    args: z.strictObject({
      all: z.boolean().default(false),
      /** One status only (the console's filter). */
      status: QueueStatus.optional(),
      cause: QueueCause.optional(),
      /** Items with a competing observation from this mesh. */
      mesh: meshCode.optional(),
      subjectPrefix: text(256).optional(),
      /** In the subject or the cause's reasons, or a prefix of the item's id; case-insensitive. */
      search: text(256).optional(),
      sort: z.enum(['opened', 'subject', 'score', 'cause', 'status']).default('opened'),
      descending: z.boolean().default(false),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).max(1_000_000_000).default(0),
    }),
    /** `open`: the queue's open and escalated items; `total`: the items matching the arguments; the divergence threshold in force and its federation (null: none in force). */
    result: z.strictObject({ open: count, total: count, threshold: Score, federation: z.strictObject({ id: text(128), version: z.number().int().min(1) }).nullable(), items: z.array(QueueItem).max(500) }),
  },
  getQueueItem: {
    args: z.strictObject({ id: sha256Hex }),
    result: QueueItem,
  },
  decideQueueItem: {
    args: z.strictObject({
      item: sha256Hex,
      action: z.enum(['choose', 'merge', 'reject', 'escalate']),
      choose: sha256Hex.optional(),
      merge: z.record(text(256), sha256Hex).optional(),
      reason: text(2_000),
      operator: text(128),
      /** The workspace passphrase for this signature, typed in the console's dialog, never kept. */
      passphrase: OnePassphrase,
    }),
    result: z.strictObject({ decision: sha256Hex, item: QueueItem }),
  },
  /** What-if (0007): the picture recomputed under a draft declaration's arbitration, in memory; nothing is written. */
  replayPolicy: {
    args: z.strictObject({
      /** The draft declaration, as JSON text (the core's strict reader checks it). */
      policyText: z.string().min(1).max(4 * 1024 * 1024),
      from: isoTime.optional(),
      to: isoTime.optional(),
      /** A past decision's observation id: replay only its subject, as known when it was made. */
      decision: sha256Hex.optional(),
    }),
    result: z.strictObject({
      subjects: count,
      observations: count,
      /** All differences found; `differences` holds the first 1,000. */
      found: count,
      differences: z
        .array(
          z.strictObject({
            subject: text(256),
            /** null: the subject's state differs, not a field's winner. */
            field: text(256).nullable(),
            current: z.strictObject({ observation: sha256Hex.nullable(), state: z.enum(['merged', 'held']) }),
            replayed: z.strictObject({ observation: sha256Hex.nullable(), state: z.enum(['merged', 'held']) }),
          }),
        )
        .max(1_000),
    }),
  },
} as const satisfies MethodTable;

export const reconcileEvents = {
  /** The picture digest moved or the queue's open count changed (here or by another process). */
  pictureChanged: z.strictObject({ digest: sha256Hex, subjects: count, queueOpen: count }),
} as const satisfies EventTable;
