/**
 * The contract's audit part: the reconciliation log's entries, its state and its verification;
 * and the long operations the console follows with a progress bar and a cancel (issue 16) — the
 * log's verification, its export, the after-action export (board.ts) — the same way a staged
 * bundle's import is followed (crossing.ts): the console names the operation with an id of its
 * own, `operationProgress` tells how far it came, `cancelOperation` stops it, and a stopped one
 * leaves nothing written.
 */
import { z } from 'zod';
import { count, federationId, isoTime, meshCode, noArguments, sha256Hex, text, type EventTable, type MethodTable } from './atoms.js';
import { AUDIT_ENTRY_TYPES } from '../../audit/entry-types.js';
import { OnePassphrase } from './federations.js';

export const AuditEntryType = z.enum(AUDIT_ENTRY_TYPES);

/** A long operation's name, chosen by the console (like a staged id: 32 hex digits, never a path). */
export const OperationId = z.string().regex(/^[0-9a-f]{32}$/, 'expected an operation id of 32 hex digits');

/** A prepared export (core/workspace/exports.ts): the shell hands out each file by the export's id and the file's kind. */
export const PreparedExport = z.strictObject({
  operation: OperationId,
  export: z.string().regex(/^[0-9a-f]{32}$/),
  files: z.array(z.strictObject({ kind: z.enum(['bundle', 'html', 'json']), name: text(128), bytes: z.number().int().nonnegative() })).min(1).max(2),
});

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
  /** Recomputes the whole log from the store (seconds for a million entries); with `operation`, its progress is told and it can be cancelled. */
  verifyAuditLog: { args: z.strictObject({ operation: OperationId.optional() }), result: LogVerification },
  /**
   * Prepares an export of the log (`entente audit export`) for the shell to hand out: a signed
   * bundle, the readable HTML report, or JSON, filtered as `audit export` filters.
   */
  exportAuditLog: {
    args: z.strictObject({
      operation: OperationId,
      format: z.enum(['bundle', 'html', 'json']),
      subject: text(256).optional(),
      federation: federationId.optional(),
      from: isoTime.optional(),
      to: isoTime.optional(),
      /** For a bundle only: the authority's key signs its export statement. */
      passphrase: OnePassphrase.default(null),
    }),
    result: PreparedExport,
  },
  /** Stops a running operation at its next slice; false when none of that id runs. */
  cancelOperation: { args: z.strictObject({ operation: OperationId }), result: z.strictObject({ cancelled: z.boolean() }) },
} as const satisfies MethodTable;

/** How far a long operation has come. */
export const OperationProgress = z.strictObject({
  operation: OperationId,
  kind: z.enum(['audit-verification', 'audit-export', 'after-action-export']),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  /** What it is doing now, in words: "verifying", "hashing the log", "walking the chains"… */
  phase: text(64),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
});

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
  /** A long operation moved on, finished, was cancelled or failed (this process only). */
  operationProgress: OperationProgress,
} as const satisfies EventTable;
