/**
 * The export statement: what the exporting authority signs about an audit bundle (a DSSE envelope
 * of its own payload type), so a reviewer can tell from the file alone what it leaves out — the
 * checkpoint it is complete up to, the filter, the export time, and digests of the selected
 * entries, the checkpoints and the cosignatures it carries. docs/decisions/0003 gives the design.
 */
import { hash, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalize } from '../canonical/jcs.js';
import { DsseEnvelope, envelopeSignedBy, payloadOf, signEnvelope } from '../crypto/dsse.js';
import { MeshCode, Sha256Hex } from '../common/atoms.js';
import { readSigned, type Reading } from './checkpoint.js';
import type { AuditEntry } from './entry.js';
import { leafHash } from './tree.js';

export const EXPORT_STATEMENT_TYPE = 'application/vnd.entente.export-statement+json';

/** An after-action export names at most this many observations (each with its whole chain). */
export const MAX_EXPORT_IDS = 10_000;

/**
 * The export's filter, as the CLI normalised it (times as `toISOString`); no key means no condition.
 * `ids` (an after-action export, core/app/provenance/after-action.ts): entries naming any of these
 * observations, sorted and without repeats so one selection has one signed statement.
 */
export const ExportFilter = z.strictObject({
  from: z.string().optional(),
  to: z.string().optional(),
  federation: z.string().optional(),
  subject: z.string().optional(),
  ids: z
    .array(Sha256Hex)
    .min(1)
    .max(MAX_EXPORT_IDS)
    .refine((ids) => ids.every((id, i) => i === 0 || ids[i - 1]! < id), 'expected sorted ids without repeats')
    .optional(),
});
export type ExportFilter = z.infer<typeof ExportFilter>;

/** How many items, and the SHA-256 naming exactly which. */
const Digest = z.strictObject({ count: z.number().int().nonnegative(), digest: Sha256Hex });
export type Digest = z.infer<typeof Digest>;

export const ExportStatementBody = z.strictObject({
  v: z.literal(1),
  log: MeshCode,
  exportedAt: z.iso.datetime({ offset: true }),
  filter: ExportFilter,
  /** The signed checkpoint the selection is complete up to: every matching entry below its size is in the bundle. */
  checkpoint: z.strictObject({ size: z.number().int().nonnegative(), root: Sha256Hex, id: Sha256Hex }),
  /** The selected entries: their positions and leaf hashes (`selectionDigest`). */
  selection: Digest,
  /** The checkpoint and cosignature envelopes the exporter held and put in the bundle (`envelopeSetDigest`). */
  checkpoints: Digest,
  cosignatures: Digest,
  /** SHA-256 of the certificate whose key signed (the mesh's issuing CA, as for checkpoints). */
  signer: Sha256Hex,
});
export type ExportStatementBody = z.infer<typeof ExportStatementBody>;

/** A filter without conditions selects the whole log: such an export is recomputed from scratch. */
export const isWholeLog = (filter: ExportFilter): boolean => Object.values(filter).every((value) => value === undefined);

/**
 * The digest of a selection: SHA-256 over one line `seq leafhex` per entry, in seq order, after a
 * label (so it can never equal a digest of something else). Order-free by construction, so a
 * reordered but whole selection is still the selection.
 */
export function selectionDigest(entries: readonly { readonly seq: number; readonly text: string }[]): Digest {
  const lines = entries.map((e) => ({ seq: e.seq, leaf: leafHash(Buffer.from(e.text, 'utf8')).toString('hex') })).sort((a, b) => a.seq - b.seq || (a.leaf < b.leaf ? -1 : 1));
  return { count: entries.length, digest: labelledDigest('entente.export-selection/v1', lines.map((l) => `${l.seq} ${l.leaf}`)) };
}

/** The digest of a set of DSSE envelopes: their ids (SHA-256 of the payload), sorted. An unreadable envelope has no id and counts as absent. */
export function envelopeSetDigest(label: 'checkpoints' | 'cosignatures', envelopes: readonly unknown[]): Digest {
  const ids = envelopes.flatMap((candidate) => {
    const envelope = DsseEnvelope.safeParse(candidate);
    return envelope.success ? [hash('sha256', payloadOf(envelope.data), 'hex')] : [];
  });
  return { count: ids.length, digest: labelledDigest(`entente.export-${label}/v1`, ids.sort()) };
}

const labelledDigest = (label: string, lines: readonly string[]) => hash('sha256', [label, ...lines].join('\n'), 'hex');

/** Whether an entry matches the filter as the store applies it (times inclusive; wall times never run backwards in a log). */
export function matchesExportFilter(entry: AuditEntry, filter: ExportFilter): boolean {
  return (
    (filter.subject === undefined || entry.what.subject === filter.subject) &&
    (filter.ids === undefined || entry.what.ids.some((id) => sortedIncludes(filter.ids!, id))) &&
    (filter.federation === undefined || entry.what.federation === filter.federation) &&
    (filter.from === undefined || entry.when.wall >= filter.from) &&
    (filter.to === undefined || entry.when.wall <= filter.to)
  );
}

/** Binary search: a filter names up to MAX_EXPORT_IDS ids, an entry up to thousands. */
function sortedIncludes(sorted: readonly string[], id: string): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo] === id;
}

export function signExportStatement(body: ExportStatementBody, key: KeyObject): DsseEnvelope {
  const payload = Buffer.from(canonicalize(ExportStatementBody.parse(body)), 'utf8');
  return signEnvelope(EXPORT_STATEMENT_TYPE, payload, [{ keyid: body.signer, key }]);
}

export interface ExportStatement {
  readonly body: ExportStatementBody;
  readonly envelope: DsseEnvelope;
}

/** Reads a statement of unknown origin: shape and canonical payload only, no signature yet. */
export function readExportStatement(candidate: unknown): Reading<ExportStatement> {
  const read = readSigned(candidate, EXPORT_STATEMENT_TYPE, ExportStatementBody, 'export statement');
  return read.ok ? { ok: true, value: { body: read.value.body, envelope: read.value.envelope } } : read;
}

export function exportStatementSignedBy(statement: ExportStatement, publicKey: KeyObject): boolean {
  return envelopeSignedBy(statement.envelope, statement.body.signer, publicKey);
}
