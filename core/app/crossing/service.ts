/**
 * The crossing as the shells see it (docs/decisions/0005-crossing.md): bundles out and in,
 * receipts back, the quarantine and its decisions. Every writer advances the trusted clock.
 */
import type { Writable } from 'node:stream';
import type { DsseEnvelope } from '../../crypto/dsse.js';
import { countOpenQuarantine, listBundleImports, listReceipts, type BundleImportRow, type ReceiptRow } from '../../store/crossing-store.js';
import type { AppContext } from '../context/operation.js';
import type { PassphraseSource } from '../context/keyring.js';
import { exportBundle, type ExportReport, type ExportRequest } from './export.js';
import { importBundle, type ImportOptions, type ImportReport } from './import.js';
import type { BundleSource, CrossingParts } from './parts.js';
import { decideQuarantined, quarantineViews, type Decision, type QuarantineView } from './quarantine.js';
import { importReceipt, type ReceiptSummary } from './receipts.js';
import { checkBundle, type BundleCheck } from './verify.js';

export interface CrossingService {
  /** Writes a bundle of what the active federation lets `to` receive since its cursor, signed by one of our agents. */
  exportBundle(request: ExportRequest, sink: Writable, options?: { onProgress?: (lines: number) => void; signal?: AbortSignal }): Promise<ExportReport>;
  /** Checks a bundle without importing it: structure, manifest, hello, and each item's own integrity. */
  verifyBundle(source: BundleSource, signal?: AbortSignal): Promise<BundleCheck>;
  /** Admits a bundle item by item; resumes a stopped import; a finished one changes nothing. */
  importBundle(source: BundleSource, options?: ImportOptions, passphrase?: PassphraseSource): Promise<ImportReport>;
  /** Records a partner's signed receipt for one of our bundles and moves its cursor. */
  importReceipt(text: string): Promise<ReceiptSummary>;
  quarantine(options?: { all?: boolean; limit?: number; offset?: number }): QuarantineView[];
  quarantineCount(): number;
  /** `passphrase`: for this decision only (the console asks the officer per signature), instead of the services' own. */
  release(decision: Decision, passphrase?: PassphraseSource): Promise<{ view: QuarantineView; statement: DsseEnvelope }>;
  reject(decision: Decision, passphrase?: PassphraseSource): Promise<{ view: QuarantineView; statement: DsseEnvelope }>;
  imports(limit?: number): BundleImportRow[];
  receipts(limit?: number): ReceiptRow[];
}

export function createCrossingService(context: AppContext, parts: CrossingParts): CrossingService {
  return {
    exportBundle: (request, sink, options) => exportBundle(context.writing(), parts, request, sink, options),
    verifyBundle: (source, signal) => checkBundle(context.writing(), parts, source, signal),
    importBundle: (source, options, passphrase) => importBundle(context.writing(passphrase), parts, source, options),
    importReceipt: (text) => importReceipt(context.writing(), text),
    quarantine: (options) => quarantineViews(context.reading(), options),
    quarantineCount: () => countOpenQuarantine(context.reading().read),
    release: (decision, passphrase) => decideQuarantined(context.writing(passphrase), 'released', decision),
    reject: (decision, passphrase) => decideQuarantined(context.writing(passphrase), 'rejected', decision),
    imports: (limit = 100) => listBundleImports(context.reading().read, limit),
    receipts: (limit = 100) => listReceipts(context.reading().read, limit),
  };
}
