/**
 * Verifying the mesh's reconciliation log over the store: every entry and checkpoint recomputed,
 * the store's own indices checked against what the entries say, and the stored observations
 * against the log (each recorded one held unless purged, each held one recorded). (Appending and signing
 * checkpoints is the log in core/app/context/log.ts, which every part writes through.)
 */
import { addClaims, emptyClaims, type ObservationClaims } from '../../audit/observation-claims.js';
import { LogVerifier, verifyLog, type LogFailure, type LogReport } from '../../audit/verify-log.js';
import { auditLogHead, filedAuditEntriesPage, isReferencedFrom, iterateFiledAuditEntries, listCheckpoints, refIndexMismatches } from '../../store/audit-store.js';
import type { ReadDb } from '../../store/database.js';
import { iterateObservationIds } from '../../store/observation-store.js';
import { parseJsonOrText } from '../context/log.js';
import type { ReadOperation } from '../context/operation.js';
import { Stepper, type LongOperationControl } from './stepwise.js';

/** Recomputes everything from the stored entries and checkpoints. */
export function verifyAuditLog(op: ReadOperation): LogReport {
  const db = op.read;
  const { mesh, authorityKeys } = op.mesh();
  const checkpoints = listCheckpoints(db, mesh.code).map((row) => parseJsonOrText(row.envelope));
  const claims = emptyClaims();
  const report = verifyLog(mesh.code, iterateFiledAuditEntries(db, mesh.code), checkpoints, authorityKeys, (entry) => addClaims(claims, entry));
  return withStoreChecks(db, mesh.code, report, claims, null);
}

/** Log pages read between yields: small enough that a slice stays within its time. */
const PAGE = 2_000;

/**
 * The same verification in slices, with progress and a cancel (the console's "Verify the log"):
 * the log as it stood when it began — its size then, the checkpoints then — so entries appended
 * meanwhile are neither read half nor counted against it.
 */
export async function verifyAuditLogStepwise(op: ReadOperation, control: LongOperationControl = {}): Promise<LogReport> {
  const db = op.read;
  const { mesh, authorityKeys } = op.mesh();
  const stepper = new Stepper(control, 'The verification was cancelled before it finished: nothing was checked to the end, so nothing is claimed.');
  const { size } = auditLogHead(db, mesh.code);
  const checkpoints = listCheckpoints(db, mesh.code)
    .filter((row) => row.size <= size)
    .map((row) => parseJsonOrText(row.envelope));
  const claims = emptyClaims();
  const verifier = new LogVerifier(mesh.code, checkpoints, authorityKeys, (entry) => addClaims(claims, entry));
  stepper.tell('verifying', 0, size);
  for (let from = 0; from < size; ) {
    const page = filedAuditEntriesPage(db, mesh.code, from, size, PAGE);
    if (page.length === 0) break;
    for (const stored of page) {
      verifier.add(stored);
      await stepper.step('verifying', verifier.checked, size);
    }
    from = page.at(-1)!.seq + 1;
  }
  stepper.tell('checking the store', size, size);
  const report = withStoreChecks(db, mesh.code, verifier.report(), claims, size);
  stepper.tell('done', size, size);
  return report;
}

/**
 * The indices the console and provenance read must say what the entries say: an edited index
 * would hide an entry from the timeline, or pin it on an observation it is not about. Then the
 * store's observations against the log. `bound`: the log's size the entries were read up to, when
 * the store may have moved on meanwhile.
 */
function withStoreChecks(db: ReadDb, log: string, report: LogReport, claims: ObservationClaims, bound: number | null): LogReport {
  const refs = refIndexMismatches(db, log, LISTED_INDEX_MISMATCHES);
  const within = ({ seq }: { seq: number }) => bound === null || seq < bound;
  const misfiled = [
    ...refs.missing.filter(within).map(({ seq, ref }) => ({ reason: 'index-mismatch', seq, message: `Entry ${seq} names ${ref.slice(0, 16)}…, but the store's provenance index does not find it by that id: the index was edited.` })),
    ...refs.extra.filter(within).map(({ seq, ref }) => ({ reason: 'index-mismatch', seq, message: `The store's provenance index files entry ${seq} under ${ref.slice(0, 16)}…, which the entry does not name: the index was edited.` })),
  ];
  // An observation stored or purged after the bound is recorded by an entry past it: not a disagreement.
  const movedOn = bound === null ? () => false : (id: string) => isReferencedFrom(db, id, bound);
  const disagreements = storeLogDisagreements(db, claims, movedOn);
  const extra = [...misfiled, ...disagreements];
  return extra.length === 0 ? report : { ...report, failures: [...report.failures, ...extra] };
}

/**
 * One pass over the stored ids against the claims (a map and a set): an observation deleted from
 * the file while its entry stays is missing; one put in the file without an entry is unlogged.
 */
function storeLogDisagreements(db: ReadDb, claims: ObservationClaims, movedOn: (id: string) => boolean): LogFailure[] {
  const failures: LogFailure[] = [];
  const held = new Set<string>();
  let unlogged = 0;
  for (const id of iterateObservationIds(db)) {
    held.add(id);
    if (claims.stored.has(id) || movedOn(id)) continue;
    unlogged += 1;
    if (unlogged <= LISTED_INDEX_MISMATCHES) {
      failures.push({ reason: 'unlogged-observation', message: `Observation ${id} is stored, but no log entry records or admits it: it was put in the file outside Entente.` });
    }
  }
  let missing = 0;
  for (const [id, seq] of claims.stored) {
    if (held.has(id) || claims.purged.has(id) || movedOn(id)) continue;
    missing += 1;
    if (missing <= LISTED_INDEX_MISMATCHES) {
      failures.push({ reason: 'missing-observation', seq, message: `Entry ${seq} records observation ${id}, which the store no longer holds and no purge names: it was deleted from the file.` });
    }
  }
  const unlisted = Math.max(0, unlogged - LISTED_INDEX_MISMATCHES) + Math.max(0, missing - LISTED_INDEX_MISMATCHES);
  if (unlisted > 0) failures.push({ reason: 'more-failures', message: `${unlisted} more disagreements between the store and the log are not listed.` });
  return failures;
}

/** Provenance-index disagreements listed per kind; a wrecked index must not drown the reader. */
const LISTED_INDEX_MISMATCHES = 100;
