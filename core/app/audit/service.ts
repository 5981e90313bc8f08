/**
 * The audit part as the shells see it: verifying the log, signing a checkpoint on demand,
 * appending (the recorder for writers at machine cadence), exports, and what the console shows.
 */
import type { AuditBundle } from '../../audit/bundle.js';
import type { Checkpoint } from '../../audit/checkpoint.js';
import type { AuditDraft, SealedEntry } from '../../audit/entry.js';
import type { LogReport } from '../../audit/verify-log.js';
import { LogRecorder } from '../context/log.js';
import type { AppContext } from '../context/operation.js';
import { buildBundle, buildHtmlReport, buildListing, type AuditListing, type ExportFilter } from './audit-export.js';
import { verifyAuditLog } from './audit-service.js';
import { auditLogState, auditPage, verificationView, type AuditLogStateView, type AuditPageFilter, type AuditPageView, type LogVerificationView } from './audit-views.js';

export interface AuditService {
  verify(): LogReport;
  /** Verifies, and gives the result as the console shows it (stamped with the wall clock). */
  verification(): LogVerificationView;
  /** Signs a checkpoint over the current head (`entente audit checkpoint`). */
  checkpoint(): Promise<Checkpoint>;
  /** Appends entries with a checkpoint over them, in one transaction. */
  append(drafts: readonly AuditDraft[]): Promise<{ sealed: SealedEntry[]; checkpoint: Checkpoint }>;
  /** A buffered writer: one checkpoint every `checkpointEvery` entries, or at flush(). */
  recorder(checkpointEvery?: number): Promise<LogRecorder>;
  /** A verifiable export, its statement signed with the mesh authority's key. */
  bundle(filter: ExportFilter): Promise<AuditBundle>;
  listing(filter: ExportFilter): AuditListing;
  htmlReport(filter: ExportFilter): string;
  page(filter: AuditPageFilter): AuditPageView;
  state(verification: LogVerificationView | null): AuditLogStateView;
}

export function createAuditService(context: AppContext): AuditService {
  return {
    verify: () => verifyAuditLog(context.reading()),
    verification: () => verificationView(verifyAuditLog(context.reading()), context.clock.wall()),
    checkpoint: async () => (await context.writing().log()).checkpoint(context.clock.wall()),
    append: async (drafts) => (await context.writing().log()).append(drafts, context.clock.wall()),
    recorder: async (checkpointEvery) => new LogRecorder(await context.writing().log(), context.clock.wall, checkpointEvery),
    bundle: async (filter) => buildBundle(context.reading(), filter, (await context.writing().log()).signer),
    listing: (filter) => buildListing(context.reading(), filter),
    htmlReport: (filter) => buildHtmlReport(context.reading(), filter),
    page: (filter) => auditPage(context.reading(), filter),
    state: (verification) => auditLogState(context.reading(), verification),
  };
}
