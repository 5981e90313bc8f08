/**
 * Verifying the mesh's reconciliation log over the store: every entry and checkpoint recomputed,
 * and the store's own indices checked against what the entries say. (Appending and signing
 * checkpoints is the log in core/app/context/log.ts, which every part writes through.)
 */
import { verifyLog, type LogReport } from '../../audit/verify-log.js';
import { iterateFiledAuditEntries, listCheckpoints, refIndexMismatches } from '../../store/audit-store.js';
import { parseJsonOrText } from '../context/log.js';
import type { ReadOperation } from '../context/operation.js';

/** Recomputes everything from the stored entries and checkpoints. */
export function verifyAuditLog(op: ReadOperation): LogReport {
  const db = op.read;
  const { mesh, authorityKeys } = op.mesh();
  const checkpoints = listCheckpoints(db, mesh.code).map((row) => parseJsonOrText(row.envelope));
  const report = verifyLog(mesh.code, iterateFiledAuditEntries(db, mesh.code), checkpoints, authorityKeys);
  // The indices the console and provenance read must say what the entries say: an edited index
  // would hide an entry from the timeline, or pin it on an observation it is not about.
  const refs = refIndexMismatches(db, mesh.code, LISTED_INDEX_MISMATCHES);
  const misfiled = [
    ...refs.missing.map(({ seq, ref }) => ({ reason: 'index-mismatch', seq, message: `Entry ${seq} names ${ref.slice(0, 16)}…, but the store's provenance index does not find it by that id: the index was edited.` })),
    ...refs.extra.map(({ seq, ref }) => ({ reason: 'index-mismatch', seq, message: `The store's provenance index files entry ${seq} under ${ref.slice(0, 16)}…, which the entry does not name: the index was edited.` })),
  ];
  return misfiled.length === 0 ? report : { ...report, failures: [...report.failures, ...misfiled] };
}

/** Provenance-index disagreements listed per kind; a wrecked index must not drown the reader. */
const LISTED_INDEX_MISMATCHES = 100;
