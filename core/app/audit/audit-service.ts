/**
 * Verifying the mesh's reconciliation log over the store: every entry and checkpoint recomputed,
 * the store's own indices checked against what the entries say, and the stored observations
 * against the log (each recorded one held unless purged, each held one recorded). (Appending and signing
 * checkpoints is the log in core/app/context/log.ts, which every part writes through.)
 */
import { addClaims, emptyClaims, type ObservationClaims } from '../../audit/observation-claims.js';
import { verifyLog, type LogFailure, type LogReport } from '../../audit/verify-log.js';
import { iterateFiledAuditEntries, listCheckpoints, refIndexMismatches } from '../../store/audit-store.js';
import type { ReadDb } from '../../store/database.js';
import { iterateObservationIds } from '../../store/observation-store.js';
import { parseJsonOrText } from '../context/log.js';
import type { ReadOperation } from '../context/operation.js';

/** Recomputes everything from the stored entries and checkpoints. */
export function verifyAuditLog(op: ReadOperation): LogReport {
  const db = op.read;
  const { mesh, authorityKeys } = op.mesh();
  const checkpoints = listCheckpoints(db, mesh.code).map((row) => parseJsonOrText(row.envelope));
  const claims = emptyClaims();
  const report = verifyLog(mesh.code, iterateFiledAuditEntries(db, mesh.code), checkpoints, authorityKeys, (entry) => addClaims(claims, entry));
  // The indices the console and provenance read must say what the entries say: an edited index
  // would hide an entry from the timeline, or pin it on an observation it is not about.
  const refs = refIndexMismatches(db, mesh.code, LISTED_INDEX_MISMATCHES);
  const misfiled = [
    ...refs.missing.map(({ seq, ref }) => ({ reason: 'index-mismatch', seq, message: `Entry ${seq} names ${ref.slice(0, 16)}…, but the store's provenance index does not find it by that id: the index was edited.` })),
    ...refs.extra.map(({ seq, ref }) => ({ reason: 'index-mismatch', seq, message: `The store's provenance index files entry ${seq} under ${ref.slice(0, 16)}…, which the entry does not name: the index was edited.` })),
  ];
  const disagreements = storeLogDisagreements(db, claims);
  const extra = [...misfiled, ...disagreements];
  return extra.length === 0 ? report : { ...report, failures: [...report.failures, ...extra] };
}

/**
 * One pass over the stored ids against the claims (a map and a set): an observation deleted from
 * the file while its entry stays is missing; one put in the file without an entry is unlogged.
 */
function storeLogDisagreements(db: ReadDb, claims: ObservationClaims): LogFailure[] {
  const failures: LogFailure[] = [];
  const held = new Set<string>();
  let unlogged = 0;
  for (const id of iterateObservationIds(db)) {
    held.add(id);
    if (claims.stored.has(id)) continue;
    unlogged += 1;
    if (unlogged <= LISTED_INDEX_MISMATCHES) {
      failures.push({ reason: 'unlogged-observation', message: `Observation ${id} is stored, but no log entry records or admits it: it was put in the file outside Entente.` });
    }
  }
  let missing = 0;
  for (const [id, seq] of claims.stored) {
    if (held.has(id) || claims.purged.has(id)) continue;
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
