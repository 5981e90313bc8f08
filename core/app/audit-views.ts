/**
 * What the console shows of the reconciliation log: a page of entries (newest first) as the
 * contract carries them, the log's state (size, last checkpoint), and a verification result.
 * Entries are read back from their canonical text; one that no longer reads is left out of the
 * timeline and named by verification.
 */
import type { MethodArgs, MethodResult } from '../api/contract.js';
import { readEntryText } from '../audit/entry.js';
import { readCheckpoint } from '../audit/checkpoint.js';
import type { LogReport } from '../audit/verify-log.js';
import type { WriteDb as Db } from '../store/database.js';
import { auditLogHead, countAuditEntries, latestCheckpoint, listAuditEntries } from '../store/audit-store.js';
import { requireMesh } from './credentials-service.js';

type Page = MethodResult<'listAuditEntries'>;
type Filter = Required<Pick<MethodArgs<'listAuditEntries'>, 'limit' | 'offset'>> & Omit<MethodArgs<'listAuditEntries'>, 'limit' | 'offset'>;

export function auditPage(db: Db, filter: Filter): Page {
  const mesh = requireMesh(db);
  const { limit, offset, ...where } = filter;
  const entries = listAuditEntries(db, mesh.code, { ...where, limit, offset }).flatMap((row): Page['entries'] => {
    const read = readEntryText(row.entry);
    if (!read.ok) return [];
    const { entry } = read;
    return [
      {
        seq: entry.seq,
        id: row.id,
        type: entry.type,
        wall: entry.when.wall,
        hlc: entry.when.hlc,
        who: entry.who,
        what: {
          ids: entry.what.ids,
          subject: entry.what.subject ?? null,
          federation: entry.what.federation ?? null,
          policy: entry.what.policy ?? null,
          detail: Object.entries(entry.what.detail ?? {}).map(([name, value]) => ({ name, value: String(value) })),
        },
        why: { reasons: entry.why.reasons, text: entry.why.text ?? null },
      },
    ];
  });
  return { total: countAuditEntries(db, mesh.code, where), entries };
}

export function auditLogState(db: Db, verification: MethodResult<'verifyAuditLog'> | null): MethodResult<'getAuditLogState'> {
  const mesh = requireMesh(db);
  const last = latestCheckpoint(db, mesh.code);
  let lastCheckpoint: MethodResult<'getAuditLogState'>['lastCheckpoint'] = null;
  if (last) {
    const read = readCheckpoint(JSON.parse(last.envelope));
    if (read.ok) lastCheckpoint = { size: read.value.body.size, root: read.value.body.root, time: read.value.body.time, signer: read.value.body.signer };
  }
  return { entries: auditLogHead(db, mesh.code).size, lastCheckpoint, verification };
}

export function verificationView(report: LogReport, at: Date): MethodResult<'verifyAuditLog'> {
  return {
    verifiedAt: at.toISOString(),
    ok: report.failures.length === 0,
    entries: report.entries,
    checkpoints: report.checkpoints,
    failures: report.failures.map((f) => ({ reason: f.reason, seq: f.seq ?? null, size: f.size ?? null, message: f.message.slice(0, 1024) })),
  };
}
