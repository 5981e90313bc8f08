/**
 * The contract's crossing part (docs/decisions/0005-crossing.md): what waits in quarantine for an
 * operator's decision (translation loss), and the partners' bundles this mesh imported, with
 * their counts per outcome. Deciding and importing stay with the CLI for now.
 */
import { z } from 'zod';
import { federationId, isoTime, meshCode, sha256Hex, text, type EventTable, type MethodTable } from './atoms.js';

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
} as const satisfies MethodTable;

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
} as const satisfies EventTable;
