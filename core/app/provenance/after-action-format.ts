/**
 * The after-action bundle (`entente provenance export`, issue 16): what a provenance search found,
 * with each observation's whole chain, as one file an auditor verifies offline a year later with
 * `entente provenance verify`. It is built on the audit bundle (core/audit/bundle.ts, decision
 * 0003): this mesh's log entries naming any observation of the chains — recordings, crossings,
 * translations, decisions — each with an RFC 6962 inclusion proof in a signed checkpoint, under the
 * authority's export statement whose filter lists the chains' ids. The records are named by those
 * ids (an id is the SHA-256 of the signed record, decision 0002), and an after-action statement,
 * a DSSE envelope signed by the same authority, binds the search, the selection and the records
 * to that audit bundle.
 */
import { hash, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { AuditBundle, BUNDLE_JSON_LIMITS, verifyBundle, type BundleReport } from '../../audit/bundle.js';
import { readCheckpoint } from '../../audit/checkpoint.js';
import { readEntryText } from '../../audit/entry.js';
import { MAX_EXPORT_IDS } from '../../audit/export-statement.js';
import type { AuthorityKey, LogFailure } from '../../audit/verify-log.js';
import { authorityKeys } from '../../audit/authority-key.js';
import { CANONICAL_MAX_DEPTH, canonicalize } from '../../canonical/jcs.js';
import { JsonError, readStrictJson } from '../../canonical/strict-json.js';
import { describeIssues, MeshCode, Sha256Hex } from '../../common/atoms.js';
import { DsseEnvelope, envelopeSignedBy, payloadOf, signEnvelope } from '../../crypto/dsse.js';
import { GovernedObservation, observationId } from '../../observation/index.js';

export const AFTER_ACTION_FORMAT = 'entente.after-action/v1';
export const AFTER_ACTION_STATEMENT_TYPE = 'application/vnd.entente.after-action+json';

/** A search selects at most this many observations; their chains together at most MAX_EXPORT_IDS. */
export const MAX_SELECTED = 1_000;
/** A stored record is canonical JSON of a few KiB; far more is not one. */
const MAX_RECORD_CHARS = 1 << 20;

/** What the officer searched for, as the provenance browser and the CLI take it. Times are observation times, UTC. */
export const ProvenanceSearch = z.strictObject({
  subjectPrefix: z.string().min(1).max(256).optional(),
  mesh: MeshCode.optional(),
  class: z.string().min(1).max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  before: z.iso.datetime({ offset: true }).optional(),
  federation: z.string().min(1).max(128).optional(),
  /** The originator label's classification, e.g. SECRET. */
  label: z.string().min(1).max(64).optional(),
  /** Chosen chains: exactly these observations (with the other conditions, if any). */
  ids: z.array(Sha256Hex).min(1).max(MAX_SELECTED).optional(),
});
export type ProvenanceSearch = z.infer<typeof ProvenanceSearch>;

const Digest = z.strictObject({ count: z.number().int().nonnegative(), digest: Sha256Hex });

export const AfterActionStatementBody = z.strictObject({
  type: z.literal(AFTER_ACTION_FORMAT),
  mesh: MeshCode,
  exportedAt: z.iso.datetime({ offset: true }),
  search: ProvenanceSearch,
  /** The observations the search found, in the order shown. */
  selected: z.array(Sha256Hex).max(MAX_SELECTED),
  /** The records carried (`idsDigest` over their ids: each record is named by its id). */
  observations: Digest,
  /** Sources the chains name that this mesh holds no record of. */
  unresolved: Digest,
  /** SHA-256 of the audit bundle's export statement payload: the log evidence this statement is about. */
  audit: Sha256Hex,
  /** SHA-256 of the certificate whose key signed (the mesh's issuing CA, as for checkpoints). */
  signer: Sha256Hex,
});
export type AfterActionStatementBody = z.infer<typeof AfterActionStatementBody>;

export const AfterActionBundle = z.strictObject({
  format: z.literal(AFTER_ACTION_FORMAT),
  mesh: MeshCode,
  exportedAt: z.iso.datetime({ offset: true }),
  search: ProvenanceSearch,
  selected: z.array(Sha256Hex).max(MAX_SELECTED),
  observations: z.array(z.strictObject({ id: Sha256Hex, record: z.string().max(MAX_RECORD_CHARS) })).max(MAX_EXPORT_IDS),
  unresolved: z.array(Sha256Hex).max(MAX_EXPORT_IDS),
  audit: AuditBundle,
  statement: z.unknown(),
});
export type AfterActionBundle = z.infer<typeof AfterActionBundle>;

/** SHA-256 over the sorted ids after a label, so it never equals a digest of something else. */
export function idsDigest(ids: readonly string[]): z.infer<typeof Digest> {
  return { count: ids.length, digest: hash('sha256', ['entente.after-action-ids/v1', ...[...ids].sort()].join('\n'), 'hex') };
}

/** SHA-256 of the audit bundle's export statement payload; null when it has none that reads. */
export function auditStatementDigest(audit: AuditBundle): string | null {
  const envelope = DsseEnvelope.safeParse(audit.statement);
  return envelope.success ? hash('sha256', payloadOf(envelope.data), 'hex') : null;
}

export function signAfterAction(unsigned: Omit<AfterActionBundle, 'format' | 'statement'>, signer: { readonly certificateSha256: string; readonly key: KeyObject }): AfterActionBundle {
  const audit = auditStatementDigest(unsigned.audit);
  if (audit === null) throw new TypeError('The audit bundle carries no export statement.');
  const body: AfterActionStatementBody = {
    type: AFTER_ACTION_FORMAT,
    mesh: unsigned.mesh,
    exportedAt: unsigned.exportedAt,
    search: unsigned.search,
    selected: unsigned.selected,
    observations: idsDigest(unsigned.observations.map((o) => o.id)),
    unresolved: idsDigest(unsigned.unresolved),
    audit,
    signer: signer.certificateSha256,
  };
  const payload = Buffer.from(canonicalize(AfterActionStatementBody.parse(body)), 'utf8');
  const statement = signEnvelope(AFTER_ACTION_STATEMENT_TYPE, payload, [{ keyid: signer.certificateSha256, key: signer.key }]);
  return { format: AFTER_ACTION_FORMAT, ...unsigned, statement };
}

export interface AfterActionReport {
  readonly mesh: string | null;
  /** SHA-256 of the trust anchor the bundle carries: compare it with the mesh's card. */
  readonly anchor: string | null;
  readonly exportedAt: string | null;
  readonly search: ProvenanceSearch | null;
  readonly selected: number;
  readonly observations: number;
  readonly unresolved: number;
  readonly entries: number;
  /** The signed checkpoint the entries are proven in. */
  readonly checkpoint: { readonly size: number; readonly root: string; readonly time: string } | null;
  /** The audit bundle's own report (entries, checkpoints, witnesses). */
  readonly audit: BundleReport | null;
  readonly failures: readonly LogFailure[];
}

const failed = (failure: LogFailure): AfterActionReport => ({
  mesh: null,
  anchor: null,
  exportedAt: null,
  search: null,
  selected: 0,
  observations: 0,
  unresolved: 0,
  entries: 0,
  checkpoint: null,
  audit: null,
  failures: [failure],
});

/**
 * Verifies an after-action bundle's text offline: the audit evidence as `audit verify --bundle`
 * does, the after-action statement under the same authority, every record against its id, and
 * that the records, the selection and the audit selection are one and the same set of chains.
 * `pinnedAnchor`: the SHA-256 of the trust anchor the auditor trusts (from the mesh's card).
 */
export function verifyAfterAction(text: string, pinnedAnchor?: string): AfterActionReport {
  let value: unknown;
  try {
    value = readStrictJson(text, BUNDLE_JSON_LIMITS);
  } catch (error) {
    if (!(error instanceof JsonError)) throw error;
    return failed({ reason: 'malformed-after-action', message: `The after-action bundle is not usable JSON (truncated, damaged or ambiguous): ${error.message}` });
  }
  const parsed = AfterActionBundle.safeParse(value);
  if (!parsed.success) return failed({ reason: 'malformed-after-action', message: `The after-action bundle is malformed: ${describeIssues(parsed.error, 'bundle')}.` });
  const bundle = parsed.data;
  const failures: LogFailure[] = [];

  // The log evidence, exactly as a reviewer's audit bundle is checked.
  const audit = verifyBundle(JSON.stringify(bundle.audit), pinnedAnchor);
  failures.push(...audit.failures);
  if (bundle.audit.log !== bundle.mesh) failures.push({ reason: 'after-action-mismatch', message: `The log evidence is of mesh ${bundle.audit.log}, not of ${bundle.mesh} that exported.` });

  const statement = checkStatement(bundle, authorityKeys(bundle.audit.anchor, bundle.audit.certificates));
  failures.push(...statement);

  // The chains: the audit selection's signed ids are the records' and the unresolved sources' ids.
  const chainIds = new Set(bundle.audit.filter.ids ?? []);
  if (bundle.audit.filter.ids === undefined) failures.push({ reason: 'after-action-mismatch', message: 'The log evidence is not selected by observation ids: it is not an after-action export.' });
  const named = new Set<string>();
  for (const entry of bundle.audit.entries) {
    const read = readEntryText(entry.text);
    if (read.ok) for (const id of read.entry.what.ids) named.add(id);
  }
  const carried = new Set<string>();
  for (const { id, record } of bundle.observations) {
    carried.add(id);
    const problem = recordProblem(id, record);
    if (problem) failures.push({ reason: 'record-changed', message: `Observation ${id}: ${problem}` });
    if (!chainIds.has(id)) failures.push({ reason: 'not-selected', message: `Observation ${id} is carried but not among the ids the authority's export statement signs.` });
    if (!named.has(id)) failures.push({ reason: 'unrecorded-observation', message: `Observation ${id} is carried, but no log entry in the bundle records, admits or decides it.` });
  }
  for (const id of bundle.unresolved) {
    if (!chainIds.has(id)) failures.push({ reason: 'not-selected', message: `The unresolved source ${id} is not among the ids the authority's export statement signs.` });
  }
  for (const id of bundle.selected) {
    if (!carried.has(id)) failures.push({ reason: 'missing-observation', message: `Observation ${id} was selected, but its record is not in the bundle.` });
  }
  for (const id of chainIds) {
    if (!carried.has(id) && !bundle.unresolved.includes(id)) failures.push({ reason: 'missing-observation', message: `The signed selection names ${id}, which the bundle neither carries nor lists as unresolved.` });
  }

  const head = bundle.audit.checkpoints.map(readCheckpoint).flatMap((r) => (r.ok ? [r.value.body] : [])).find((c) => c.size === audit.completeUpTo?.size && c.root === audit.completeUpTo.root);
  return {
    mesh: bundle.mesh,
    anchor: audit.anchor,
    exportedAt: bundle.exportedAt,
    search: bundle.search,
    selected: bundle.selected.length,
    observations: bundle.observations.length,
    unresolved: bundle.unresolved.length,
    entries: bundle.audit.entries.length,
    checkpoint: head ? { size: head.size, root: head.root, time: head.time } : null,
    audit,
    failures,
  };
}

function checkStatement(bundle: AfterActionBundle, keys: AuthorityKey): LogFailure[] {
  const unsigned = (message: string): LogFailure[] => [{ reason: 'unsigned-after-action', message }];
  const envelope = DsseEnvelope.safeParse(bundle.statement);
  if (!envelope.success || envelope.data.payloadType !== AFTER_ACTION_STATEMENT_TYPE) return unsigned('The after-action statement is missing or is not a DSSE envelope of its type.');
  let body: AfterActionStatementBody;
  try {
    const payload = payloadOf(envelope.data).toString('utf8');
    body = AfterActionStatementBody.parse(readStrictJson(payload, { maxBytes: 1 << 20, maxDepth: 8 }));
    if (canonicalize(body) !== payload) return unsigned('The after-action statement’s payload is not in canonical form.');
  } catch {
    return unsigned('The after-action statement’s payload cannot be read.');
  }
  const key = keys(body.signer, new Date(body.exportedAt));
  if (!key.ok) return unsigned(`The after-action statement was signed under a credential of ${bundle.mesh}’s authority that does not verify: ${key.message}`);
  if (!envelopeSignedBy(envelope.data, body.signer, key.publicKey)) {
    return unsigned(`The after-action statement is not signed by ${bundle.mesh}’s authority as it names: it was changed, or another key signed it.`);
  }
  const failures: LogFailure[] = [];
  const mismatch = (what: string) => failures.push({ reason: 'after-action-mismatch', message: `The bundle’s ${what} is not what its signed after-action statement says.` });
  if (body.mesh !== bundle.mesh) mismatch('mesh');
  if (body.exportedAt !== bundle.exportedAt) mismatch('export time');
  if (canonicalize(body.search) !== canonicalize(bundle.search)) mismatch('search');
  if (canonicalize(body.selected) !== canonicalize(bundle.selected)) mismatch('selection');
  if (idsDigest(bundle.observations.map((o) => o.id)).digest !== body.observations.digest) mismatch('set of records');
  if (idsDigest(bundle.unresolved).digest !== body.unresolved.digest) mismatch('list of unresolved sources');
  if (auditStatementDigest(bundle.audit) !== body.audit) mismatch('log evidence');
  return failures;
}

/** Why a carried record is not the observation its id names, or null when it is. */
function recordProblem(id: string, record: string): string | null {
  let value: unknown;
  try {
    value = readStrictJson(record, { maxBytes: MAX_RECORD_CHARS * 4, maxDepth: CANONICAL_MAX_DEPTH });
  } catch {
    return 'its record is not readable JSON.';
  }
  const parsed = GovernedObservation.safeParse(value);
  if (!parsed.success) return 'its record is not a governed observation.';
  try {
    return observationId(parsed.data) === id ? null : 'its record does not hash to its id: the record was changed.';
  } catch {
    return 'its record cannot be hashed.';
  }
}
