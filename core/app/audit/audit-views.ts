/**
 * What the console shows of the reconciliation log: a page of entries (newest first) as the
 * contract carries them, the log's state (size, last checkpoint), and a verification result.
 * Entries are read back from their canonical text; one that no longer reads is left out of the
 * timeline and named by verification.
 */
import { readCheckpoint } from '../../audit/checkpoint.js';
import { readEntryText, type AuditActor, type AuditEntryType } from '../../audit/entry.js';
import type { LogReport } from '../../audit/verify-log.js';
import { auditLogHead, countAuditEntries, latestCheckpoint, listAuditEntries, type AuditFilter } from '../../store/audit-store.js';
import type { ReadOperation } from '../context/operation.js';

/** One entry as the timeline shows it (the contract's AuditEntryView). */
export interface AuditEntryView {
  readonly seq: number;
  readonly id: string;
  readonly type: AuditEntryType;
  readonly wall: string;
  readonly hlc: { readonly l: number; readonly c: number };
  readonly who: AuditActor;
  readonly what: {
    readonly ids: string[];
    readonly subject: string | null;
    readonly federation: string | null;
    readonly policy: { readonly id: string; readonly version: string } | null;
    readonly detail: { readonly name: string; readonly value: string }[];
  };
  readonly why: { readonly reasons: string[]; readonly text: string | null };
}

export interface AuditPageView {
  readonly total: number;
  readonly entries: AuditEntryView[];
}

/** A verification of the whole log as the console shows it (the contract's LogVerification). */
export interface LogVerificationView {
  readonly verifiedAt: string;
  readonly ok: boolean;
  readonly entries: number;
  readonly checkpoints: number;
  readonly failures: { readonly reason: string; readonly seq: number | null; readonly size: number | null; readonly message: string }[];
}

/** The log's state (the contract's AuditLogState). */
export interface AuditLogStateView {
  readonly entries: number;
  readonly lastCheckpoint: { readonly size: number; readonly root: string; readonly time: string; readonly signer: string } | null;
  readonly verification: LogVerificationView | null;
}

type Page = AuditPageView;
export type AuditPageFilter = Omit<AuditFilter, 'offset' | 'type'> & { readonly offset: number; readonly type?: AuditEntryType };

export function auditPage(op: ReadOperation, filter: AuditPageFilter): Page {
  const db = op.read;
  const { mesh } = op.mesh();
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

export function auditLogState(op: ReadOperation, verification: LogVerificationView | null): AuditLogStateView {
  const db = op.read;
  const { mesh } = op.mesh();
  const last = latestCheckpoint(db, mesh.code);
  let lastCheckpoint: AuditLogStateView['lastCheckpoint'] = null;
  if (last) {
    const read = readCheckpoint(JSON.parse(last.envelope));
    if (read.ok) lastCheckpoint = { size: read.value.body.size, root: read.value.body.root, time: read.value.body.time, signer: read.value.body.signer };
  }
  return { entries: auditLogHead(db, mesh.code).size, lastCheckpoint, verification };
}

export function verificationView(report: LogReport, at: Date): LogVerificationView {
  return {
    verifiedAt: at.toISOString(),
    ok: report.failures.length === 0,
    entries: report.entries,
    checkpoints: report.checkpoints,
    failures: report.failures.map((f) => ({ reason: f.reason, seq: f.seq ?? null, size: f.size ?? null, message: f.message.slice(0, 1024) })),
  };
}
