/**
 * The contract's crossing part (docs/decisions/0005-crossing.md): what waits in quarantine for an
 * operator's decision (translation loss), and the partners' bundles this mesh imported, with
 * their counts per outcome; an operator's signed release or rejection; and a bundle the shell
 * staged (dropped on the console) imported with progress and a cancel.
 */
import { z } from 'zod';
import { federationId, isoTime, meshCode, sha256Hex, text, type EventTable, type MethodTable } from './atoms.js';
import { AuditEntryView } from './audit.js';
import { OnePassphrase } from './federations.js';

export const QuarantineItem = z.strictObject({
  id: sha256Hex,
  /** The mesh that made it, and the partner whose agent carried it (a relay when they differ). */
  origin: meshCode,
  partner: meshCode,
  federation: federationId,
  subject: text(256),
  class: text(64),
  /** The originator's classification, untranslated. */
  classification: text(128),
  reason: text(64),
  /** The terms with no mapping here. */
  missing: z.array(z.strictObject({ vocabulary: text(64), term: text(256) })).max(64),
  heldAt: isoTime,
  bundle: sha256Hex,
  decision: z.strictObject({ outcome: z.enum(['released', 'rejected']), at: isoTime, by: text(128), reason: text(1000) }).nullable(),
});

const Counts = z.strictObject({ admitted: z.number().int().nonnegative(), duplicate: z.number().int().nonnegative(), rejected: z.number().int().nonnegative(), quarantined: z.number().int().nonnegative(), tainted: z.number().int().nonnegative() });

export const BundleImport = z.strictObject({
  /** The bundle's digest: SHA-256 of its manifest line. */
  digest: sha256Hex,
  partner: meshCode,
  federation: federationId,
  version: z.number().int().positive(),
  /** MESH:agent-id */
  agent: text(160),
  observations: z.number().int().nonnegative(),
  /** importing: stopped part-way (resumable); done: finished, its receipt signed. */
  state: z.enum(['importing', 'done']),
  counts: Counts,
  startedAt: isoTime,
  finishedAt: isoTime.nullable(),
});

/** What an operator decides about a quarantined item: the operator's key signs, with the workspace passphrase for this call only. */
const QuarantineDecision = {
  id: sha256Hex,
  /** The enrolled operator deciding. */
  operator: z.string().min(1).max(128),
  reason: z.string().trim().min(1).max(1000),
  passphrase: OnePassphrase,
};

/** A staged bundle's name (core/workspace/staging.ts): 32 hex digits, never a path. */
export const StagedId = z.string().regex(/^[0-9a-f]{32}$/, 'expected a staged id of 32 hex digits');

const DecisionResult = z.strictObject({
  item: QuarantineItem,
  /** The signed decision as recorded: a DSSE envelope. */
  statement: z.json(),
  /** The `decision` log entry that records it, as the audit log lists it. */
  entry: AuditEntryView.nullable(),
});

export const crossingMethods = {
  listQuarantine: {
    /** all: the decided items too. */
    args: z.strictObject({ all: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(100), offset: z.number().int().min(0).max(1_000_000_000).default(0) }),
    result: z.strictObject({ open: z.number().int().nonnegative(), items: z.array(QuarantineItem).max(500) }),
  },
  listBundleImports: {
    args: z.strictObject({ limit: z.number().int().min(1).max(500).default(100) }),
    result: z.strictObject({ imports: z.array(BundleImport).max(500) }),
  },
  /** Admits a quarantined item under a classification of this mesh's policy (`entente quarantine release`). */
  releaseQuarantined: { args: z.strictObject({ ...QuarantineDecision, classification: z.string().min(1).max(128) }), result: DecisionResult },
  /** Refuses a quarantined item for good (`entente quarantine reject`). */
  rejectQuarantined: { args: z.strictObject(QuarantineDecision), result: DecisionResult },
  /** Imports a bundle the shell staged (`entente bundle import`); `bundleImportProgress` follows it, `cancelBundleImport` stops it (resumable). */
  importStagedBundle: {
    /** passphrase: for this import only (the authority's key signs its log entries and the receipt). */
    args: z.strictObject({ staged: StagedId, passphrase: OnePassphrase }),
    result: z.strictObject({
      staged: StagedId,
      bundle: sha256Hex,
      from: meshCode,
      alreadyImported: z.boolean(),
      resumed: z.boolean(),
      counts: Counts,
      refusals: z.array(z.strictObject({ line: z.number().int().nonnegative(), id: sha256Hex.nullable(), reason: text(64), message: text(1000) })).max(500),
    }),
  },
  cancelBundleImport: { args: z.strictObject({ staged: StagedId }), result: z.strictObject({ cancelled: z.boolean() }) },
} as const satisfies MethodTable;

/** How far a staged bundle's import has come: bytes read of the file's size, and the lines verified or admitted. */
export const BundleImportProgress = z.strictObject({
  staged: StagedId,
  phase: z.enum(['verifying', 'admitting', 'done', 'cancelled', 'failed']),
  bytesRead: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  lines: z.number().int().nonnegative(),
  totalLines: z.number().int().nonnegative().nullable(),
});

/** What `crossingChanged` says: the newest bundle imports with their progress, and the counts a boundary board shows. */
export const CrossingChanged = z.strictObject({
  imports: z
    .array(
      z.strictObject({
        bundle: sha256Hex,
        partner: meshCode,
        federation: federationId,
        state: z.enum(['importing', 'done']),
        blocksDone: z.number().int().nonnegative(),
        lines: z.number().int().nonnegative(),
        observations: z.number().int().nonnegative(),
        counts: Counts,
      }),
    )
    .max(10),
  quarantineOpen: z.number().int().nonnegative(),
  integrityEvents: z.number().int().nonnegative(),
});

export const crossingEvents = {
  /** A bundle import began, moved a block on or finished; an item entered or left quarantine; an integrity event was recorded (here or by another process). */
  crossingChanged: CrossingChanged,
  /** A staged bundle's import moved on, finished, was cancelled or failed (this process only). */
  bundleImportProgress: BundleImportProgress,
} as const satisfies EventTable;
