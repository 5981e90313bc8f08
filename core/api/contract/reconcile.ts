/**
 * The contract's reconciliation part (docs/decisions/0007): the joint picture with its digest
 * and per-field provenance, the queue with its evidence, and an operator's signed decision.
 */
import { z } from 'zod';
import { count, isoTime, meshCode, sha256Hex, text, type EventTable, type MethodTable } from './atoms.js';

const Score = z.number().min(0).max(1);

export const PictureSubject = z.strictObject({
  subject: text(256),
  state: z.enum(['merged', 'held']),
  divergence: Score,
  digest: sha256Hex,
  /** The divergence queue item, open or settled; null when the subject never diverged past the threshold. */
  item: sha256Hex.nullable(),
  fields: z.array(z.strictObject({ field: text(256), value: z.json(), observation: sha256Hex, mesh: meshCode })).max(1_000),
});

export const QueueItem = z.strictObject({
  id: sha256Hex,
  kind: z.enum(['divergence', 'decision-clash']),
  subject: text(256),
  status: z.enum(['open', 'escalated', 'decided', 'superseded']),
  score: Score,
  fields: z.array(text(256)).max(1_000),
  cause: z.enum(['translation-seam', 'genuine-disagreement', 'suspected-injection', 'decision-clash']),
  reasons: z.array(text(1_000)).max(100),
  policyChoice: z.record(text(256), z.strictObject({ observation: sha256Hex, why: text(1_000) })),
  decision: sha256Hex.nullable(),
  openedAt: isoTime,
  updatedAt: isoTime,
  /** The competing histories (with `getQueueItem`: each observation's mesh, device, stated time and payload; in a list, the ids only). */
  competing: z
    .array(
      z.strictObject({
        id: sha256Hex,
        mesh: meshCode.optional(),
        class: text(64).optional(),
        device: text(128).optional(),
        statedAt: isoTime.optional(),
        hlc: z.strictObject({ l: count, c: count }).optional(),
        payload: z.json().optional(),
      }),
    )
    .max(1_000),
});

export const reconcileMethods = {
  getPicture: {
    args: z.strictObject({ subject: text(256).optional(), limit: z.number().int().min(1).max(500).default(100), offset: z.number().int().min(0).max(1_000_000_000).default(0) }),
    result: z.strictObject({ digest: sha256Hex, subjects: count, held: count, queueOpen: count, items: z.array(PictureSubject).max(500) }),
  },
  listQueue: {
    args: z.strictObject({ all: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(100), offset: z.number().int().min(0).max(1_000_000_000).default(0) }),
    result: z.strictObject({ open: count, items: z.array(QueueItem).max(500) }),
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
    }),
    result: z.strictObject({ decision: sha256Hex, item: QueueItem }),
  },
} as const satisfies MethodTable;

export const reconcileEvents = {
  /** The picture digest moved or the queue's open count changed (here or by another process). */
  pictureChanged: z.strictObject({ digest: sha256Hex, subjects: count, queueOpen: count }),
} as const satisfies EventTable;
