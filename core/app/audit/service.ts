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
import { renderAuditReport } from '../../audit/report-html.js';
import type { PassphraseSource } from '../context/keyring.js';
import { buildBundle, buildBundleStepwise, buildHtmlReport, buildListing, type AuditListing, type ExportFilter } from './audit-export.js';
import { verifyAuditLog, verifyAuditLogStepwise } from './audit-service.js';
import { Stepper, type LongOperationControl } from './stepwise.js';
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
  /** The verification in slices, with progress and a cancel (the console's "Verify the log"). */
  verificationStepwise(control: LongOperationControl): Promise<LogVerificationView>;
  /** An export as `entente audit export --format` writes it, in slices, with progress and a cancel; a bundle is signed with the key opened by `passphrase`. */
  exportStepwise(format: 'bundle' | 'html' | 'json', filter: ExportFilter, control: LongOperationControl, passphrase?: PassphraseSource): Promise<string>;
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
    verificationStepwise: async (control) => verificationView(await verifyAuditLogStepwise(context.reading(), control), context.clock.wall()),
    exportStepwise: async (format, filter, control, passphrase) => {
      const op = context.reading();
      if (format === 'bundle') {
        const signer = (await context.writing(passphrase).log()).signer;
        return JSON.stringify(await buildBundleStepwise(op, filter, signer, new Stepper(control, 'The export was cancelled: no file was written.')));
      }
      const listing = buildListing(op, filter, await verifyAuditLogStepwise(op, control));
      return format === 'json' ? `${JSON.stringify(listing, null, 2)}\n` : renderAuditReport(listing);
    },
    page: (filter) => auditPage(context.reading(), filter),
    state: (verification) => auditLogState(context.reading(), verification),
  };
}
