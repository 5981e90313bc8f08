/** The contract's audit part: the reconciliation log's entries, its state and its verification. */
import { z } from 'zod';
import { count, federationId, isoTime, meshCode, noArguments, sha256Hex, text, type EventTable, type MethodTable } from './atoms.js';
import { AUDIT_ENTRY_TYPES } from '../../audit/entry-types.js';

export const AuditEntryType = z.enum(AUDIT_ENTRY_TYPES);

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

export const auditMethods = {
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
} as const satisfies MethodTable;

/** What `auditAppended` says: the log's size now, how much it grew, and its last checkpoint's size. */
export const AuditAppended = z.strictObject({
  entries: count,
  appended: count,
  /** Null until a checkpoint was signed. */
  lastCheckpointSize: count.nullable(),
});

export const auditEvents = {
  /** The reconciliation log grew or was checkpointed (here or by another process). */
  auditAppended: AuditAppended,
} as const satisfies EventTable;
