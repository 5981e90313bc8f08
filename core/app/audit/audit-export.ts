/**
 * Exports of the reconciliation log (`entente audit export`): the verifiable bundle, a JSON
 * listing, and the readable HTML report — each filterable by time window, federation and
 * subject. Only entries a signed checkpoint covers are exported: nothing unverifiable leaves.
 */
import { signBundle, type AuditBundle } from '../../audit/bundle.js';
import { readCheckpoint, readCosignature, type CheckpointBody, type CosignatureBody } from '../../audit/checkpoint.js';
import { readEntryText, type AuditEntry } from '../../audit/entry.js';
import { renderAuditReport } from '../../audit/report-html.js';
import { consistencyProof, inclusionPath, leafHash, type SubtreeCache } from '../../audit/tree.js';
import type { LogReport } from '../../audit/verify-log.js';
import { Refused } from '../../common/refused.js';
import type { ReadDb } from '../../store/database.js';
import { filedAuditEntriesPage, iterateAuditEntries, iterateMatchingEntries, latestCheckpoint, listCheckpoints, listCosignatures, listWitnessCertificates, type CheckpointRow } from '../../store/audit-store.js';
import type { LogSigner } from '../context/log.js';
import type { ReadOperation } from '../context/operation.js';
import { verifyAuditLog } from './audit-service.js';
import type { Stepper } from './stepwise.js';

export interface ExportFilter {
  readonly from?: string;
  readonly to?: string;
  readonly federation?: string;
  readonly subject?: string;
  /** Entries naming any of these observations, sorted, no repeats (an after-action export). */
  readonly ids?: readonly string[];
}

const isFiltered = (filter: ExportFilter) => Object.values(filter).some((v) => v !== undefined);

const parse = (text: string): unknown => JSON.parse(text);

/** `signer` is the mesh authority: it signs the export statement, so the bundle proves what it leaves out. */
export function buildBundle(op: ReadOperation, filter: ExportFilter, signer: LogSigner): AuditBundle {
  const head = headOf(op);
  // Leaf hashes up to the head: every proof is built from them.
  const leaves: Buffer[] = [];
  for (const { text } of iterateAuditEntries(op.read, op.mesh().mesh.code, head.size)) leaves.push(leafHash(Buffer.from(text, 'utf8')));
  return bundleOver(op, filter, signer, head, leaves);
}

/** Log pages hashed between yields. */
const PAGE = 2_000;

/** The same bundle in slices, with progress and a cancel (the console's export; the after-action export). */
export async function buildBundleStepwise(op: ReadOperation, filter: ExportFilter, signer: LogSigner, stepper: Stepper): Promise<AuditBundle> {
  const head = headOf(op);
  const log = op.mesh().mesh.code;
  const leaves: Buffer[] = [];
  stepper.tell('hashing the log', 0, head.size);
  for (let from = 0; from < head.size; ) {
    const page = filedAuditEntriesPage(op.read, log, from, head.size, PAGE);
    if (page.length === 0) break;
    for (const { text } of page) {
      leaves.push(leafHash(Buffer.from(text, 'utf8')));
      await stepper.step('hashing the log', leaves.length, head.size);
    }
    from = page.at(-1)!.seq + 1;
  }
  stepper.tell('proving entries', head.size, head.size);
  return bundleOver(op, filter, signer, head, leaves);
}

function headOf(op: ReadOperation): CheckpointRow {
  const head = latestCheckpoint(op.read, op.mesh().mesh.code);
  if (!head) throw new Refused('no-checkpoint', 'The log has no signed checkpoint yet: run `entente audit checkpoint` first.');
  return head;
}

/** The bundle over `leaves`, the log's leaf hashes up to `head`. */
function bundleOver(op: ReadOperation, filter: ExportFilter, signer: LogSigner, head: CheckpointRow, leaves: readonly Buffer[]): AuditBundle {
  const db = op.read;
  const { mesh, anchorPem, caPems } = op.mesh();
  const now = op.clock.wall();
  const complete = !isFiltered(filter);
  // Only checkpoints up to the head: one signed while a stepwise export ran is past its leaves.
  const checkpointRows = listCheckpoints(db, mesh.code).filter((c) => c.size <= head.size);
  const leafAt = (i: number) => leaves[i]!;
  const cache: SubtreeCache = new Map();
  const hex = (proof: Buffer[]) => proof.map((h) => h.toString('hex'));

  const sizes = [...new Set(checkpointRows.map((c) => c.size))].sort((a, b) => a - b);
  const consistency = sizes.slice(1).map((to, i) => ({ from: sizes[i]!, to, proof: hex(consistencyProof(leafAt, sizes[i]!, to, cache)) }));

  const entries: AuditBundle['entries'] = [];
  for (const row of iterateMatchingEntries(db, mesh.code, filter)) {
    if (row.seq >= head.size) break;
    entries.push(complete ? { seq: row.seq, text: row.entry } : { seq: row.seq, text: row.entry, proof: hex(inclusionPath(leafAt, row.seq, head.size, cache)) });
  }
  return signBundle({
    log: mesh.code,
    exportedAt: now.toISOString(),
    filter: { ...filter, ids: filter.ids ? [...filter.ids] : undefined },
    complete,
    anchor: anchorPem,
    certificates: [...caPems],
    checkpoints: checkpointRows.map((c) => parse(c.envelope)),
    consistency,
    entries,
    cosignatures: listCosignatures(db, mesh.code).filter((c) => c.size <= head.size).map((c) => parse(c.envelope)),
    witnesses: witnessesOf(db),
  }, head, signer);
}

/** Each witness's anchor with the CA certificates that chain to it, as the bundle carries them. */
function witnessesOf(db: ReadDb): NonNullable<AuditBundle['witnesses']> {
  const groups = new Map<string, { mesh: string; anchor: string; certificates: string[] }>();
  for (const row of listWitnessCertificates(db)) {
    const key = `${row.witness} ${row.anchor}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { mesh: row.witness, anchor: '', certificates: [] }));
    if (row.sha256 === row.anchor) group.anchor = row.pem;
    else group.certificates.push(row.pem);
  }
  // A group whose anchor row is missing cannot vouch for anything.
  return [...groups.values()].filter((group) => group.anchor !== '');
}

export interface AuditListing {
  readonly log: string;
  readonly exportedAt: string;
  readonly filter: ExportFilter;
  readonly entries: readonly (AuditEntry & { readonly id: string })[];
  readonly checkpoints: readonly CheckpointBody[];
  readonly cosignatures: readonly CosignatureBody[];
  readonly verification: LogReport;
}

/** The log as plain data: the JSON export and the source of the HTML report. */
export function buildListing(op: ReadOperation, filter: ExportFilter, verification: LogReport = verifyAuditLog(op)): AuditListing {
  const db = op.read;
  const { mesh } = op.mesh();
  const now = op.clock.wall();
  const entries: (AuditEntry & { id: string })[] = [];
  for (const row of iterateMatchingEntries(db, mesh.code, filter)) {
    const read = readEntryText(row.entry);
    // An unreadable entry is listed by verification below, by name; the listing shows what reads.
    if (read.ok) entries.push({ ...read.entry, id: row.id });
  }
  const checkpoints = listCheckpoints(db, mesh.code).flatMap((row) => {
    const read = readCheckpoint(parse(row.envelope));
    return read.ok ? [read.value.body] : [];
  });
  const cosignatures = listCosignatures(db, mesh.code).flatMap((row) => {
    const read = readCosignature(parse(row.envelope));
    return read.ok ? [read.value.body] : [];
  });
  return { log: mesh.code, exportedAt: now.toISOString(), filter: { ...filter }, entries, checkpoints, cosignatures, verification };
}

export function buildHtmlReport(op: ReadOperation, filter: ExportFilter): string {
  return renderAuditReport(buildListing(op, filter));
}
