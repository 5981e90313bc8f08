/**
 * Importing a crossing bundle (`entente bundle import`): pass 1 checks the whole file — its
 * structure, every line's hash, the agent's signed manifest — and the hello the agent opened it
 * with, before anything is written; pass 2 re-reads it a block at a time and admits each block in
 * one transaction (its observations, their crossing records, the quarantine, the refusals, one
 * log entry and the integrity events it raised), moving the import's own row past it. A killed
 * import resumes at the first block not yet committed; a finished one imported again changes
 * nothing. Its end is a receipt signed by this mesh's authority, for the sender.
 */
import { Refused } from '../../common/refused.js';
import { isMeshCode } from '../../common/atoms.js';
import { readBundleBlocks, verifyBundleStream, type BundleBlock, type ParsedLine, type VerifiedBundle } from '../../boundary/bundle/reader.js';
import type { DsseEnvelope } from '../../crypto/dsse.js';
import { parseCertificate } from '../../credentials/index.js';
import { bundleRefusals, readBundleImport, type BundleImportRow, type ImportCounts } from '../../store/crossing-store.js';
import { statementJournalsInMemory } from '../../store/observation-store.js';
import type { Log } from '../context/log.js';
import type { Operation } from '../context/operation.js';
import { DeferredPicture, settleLeftoverPicture } from '../reconcile/deferred-picture.js';
import { bundleSentAt, noteBundleClockSample } from '../time/offsets.js';
import { admitItems, finishAdmission, openAdmission, passBlock, type Admission } from './admit.js';
import type { BundleSource, CrossingParts, HelloVerdict } from './parts.js';
import { startSignaturePool, WORTH_WORKERS_FROM, type SignatureChecks, type SignaturePool, type SignaturePoolOptions } from './signature-pool.js';
import { manifestByHelloKey } from './verify.js';

export interface ImportProgress {
  readonly phase: 'verifying' | 'admitting';
  readonly lines: number;
  readonly totalLines: number | null;
}

export interface ImportOptions {
  readonly onProgress?: (progress: ImportProgress) => void;
  readonly signal?: AbortSignal;
  /**
   * Check the records' device signatures on worker threads, a block ahead of admission
   * (signature-pool.ts): the built worker and how many threads. Without it, in this thread.
   */
  readonly signatureWorkers?: SignaturePoolOptions;
  /** Told how long each append to the reconciliation log took (the bench's share of the log, issue 13). */
  readonly onLogAppend?: (ms: number) => void;
}

export interface ImportReport {
  readonly bundle: string;
  readonly from: string;
  readonly federation: { readonly id: string; readonly version: number };
  readonly agent: string;
  /** The bundle was imported before: nothing changed now. */
  readonly alreadyImported: boolean;
  /** This import continued one that had stopped part-way. */
  readonly resumed: boolean;
  readonly counts: ImportCounts;
  readonly refusals: readonly { readonly line: number; readonly id: string | null; readonly reason: string; readonly message: string }[];
  /** The signed receipt (a DSSE envelope) to carry back to the sender. */
  readonly receipt: DsseEnvelope;
}

/** A bundle carries at most this many certificates (each a device of a partner): more is not an honest export. */
const MAX_CERTIFICATES = 100_000;

export async function importBundle(op: Operation, parts: CrossingParts, source: BundleSource, options: ImportOptions = {}): Promise<ImportReport> {
  const workers = workersAhead(options.signatureWorkers);
  try {
    return await importWith(op, parts, source, options, workers);
  } finally {
    await workers.close();
  }
}

async function importWith(op: Operation, parts: CrossingParts, source: BundleSource, options: ImportOptions, workers: WorkersAhead): Promise<ImportReport> {
  const db = op.write;
  const now = op.clock.advance(db);
  // The authority's key signs the log's entries and the receipt: asked for once, before the work.
  const log = timedLog(await op.log(), options.onLogAppend);
  const refuse = (reason: string, message: string, evidence: Record<string, string | number | null>, partner?: string, federation?: string): never => {
    db.transaction(() => parts.recordIntegrityEvent(op, log, { kind: reason, partner, federation, evidence: { file: source.name, ...evidence }, message }, now))();
    throw new Refused(reason, message);
  };

  // Pass 1: the whole file, before anything in it is believed.
  const verified = await verifyBundleStream(source.open(), {
    verifyManifest: manifestByHelloKey,
    onProgress: (p) => {
      workers.sawLines(p.lines);
      options.onProgress?.({ phase: 'verifying', lines: p.lines, totalLines: null });
    },
    signal: options.signal,
  });
  if (!verified.ok) {
    if (verified.reason === 'cancelled') throw new Refused('cancelled', 'The import was cancelled before anything was admitted.');
    refuse('tampered-bundle', `The bundle ${source.name} is refused (${verified.reason}): ${verified.message}`, { reason: verified.reason, line: verified.line ?? null });
  }
  const bundle = verified as VerifiedBundle;
  const { digest, manifest } = bundle;
  // Subjects an import killed earlier left behind (deferred-picture.ts), from their history, before anything new.
  db.transaction(() => settleLeftoverPicture(op, log, now))();
  const previous = readBundleImport(db, digest);
  if (previous?.state === 'done') return reportOf(op, previous, { alreadyImported: true, resumed: false });
  // Who the hello says carried it, unverified: only to know whose authority must have signed the CRLs it carries.
  const claimedFrom = claimedSender(bundle.hello);

  // Pass 2: block by block, each block's digest re-checked before anything in it is used.
  const certificates = new Map<string, string>();
  const picture = new DeferredPicture();
  let hello: Extract<HelloVerdict, { ok: true }> | undefined;
  let crossing: Admission | undefined;
  const pool = await workers.forObservations(manifest.observations);
  // Each block's inserts journal their pages for the statement (observation-store.ts): in memory, for the import's length.
  const restoreJournals = statementJournalsInMemory(db);
  try {
    for await (const { block, signatures: checking } of checkedAhead(readBundleBlocks(source.open(), bundle.blockDigests, { signal: options.signal, helloDigest: bundle.helloDigest, digest }), pool)) {
      const items: { line: number; record: unknown; certificate: unknown }[] = [];
      const attestations: unknown[] = [];
      const notices: unknown[] = [];
      for (const { line, item } of block.lines as readonly ParsedLine[]) {
        if (item.kind === 'certificate') {
          if (certificates.size >= MAX_CERTIFICATES) refuse('tampered-bundle', `The bundle ${source.name} carries more than ${MAX_CERTIFICATES} certificates.`, { digest });
          const sha256 = certificateSha256(item.pem);
          if (sha256) certificates.set(sha256, item.pem);
        } else if (item.kind === 'crl') {
          // A partner's CRL first, so the hello and the items are judged with its latest revocations.
          if (claimedFrom) await appliedOrRecorded(() => parts.applyPartnerCrl(op, claimedFrom, item.pem, now));
        } else if (item.kind === 'attestation') attestations.push(item.envelope);
        else if (item.kind === 'taint') notices.push(item.notice);
        else items.push({ line, record: item.record, certificate: item.certificate });
      }
      if (!hello && (items.length > 0 || attestations.length > 0 || notices.length > 0 || block.block === bundle.blockDigests.length - 1)) {
        const verdict = parts.checkIncomingHello(op, bundle.hello, now, digest);
        if (!verdict.ok) refuse(verdict.reason, `The bundle ${source.name} is refused: ${verdict.message}`, { digest }, claimedFrom, undefined);
        hello = verdict as Extract<HelloVerdict, { ok: true }>;
        crossing = openAdmission(op, parts, hello, { digest, source: 'bundle', lines: bundle.lines, manifest, picture }, now);
        // The bundle's one-way clock sample (0007 "Time"): written at their t3, admitted at our t4.
        noteBundleClockSample(db, op.mesh(), log, { partner: hello.from, federation: hello.federation.id, bundle: digest, t3: bundleSentAt(hello.at, manifest.exportedAt), t4: now.getTime() }, now);
      }
      if (!hello || !crossing) continue;
      const refusedAttestations = attestations.length > 0 ? refusedOutcomes(await appliedOrRecorded(() => parts.admitPartnerAttestations(op, attestations, now))) : [];
      for (const notice of notices) await appliedOrRecorded(() => parts.applyTaintNotice(op, notice, now));
      const progress = () => options.onProgress?.({ phase: 'admitting', lines: block.firstLine + block.lines.length, totalLines: bundle.lines });
      if (block.block < crossing.resumeAt) {
        progress();
        continue;
      }
      // Ctrl+C (or the console's cancel) stops before the next block is admitted: the reader runs a block ahead, so its own check comes a block late.
      if (options.signal?.aborted) throw new Refused('cancelled', `The import of ${source.name} was cancelled after ${block.block} of ${bundle.blockDigests.length} block(s): what they admitted stays, and importing the bundle again resumes.`);
      if (items.length === 0) {
        db.transaction(() => {
          passBlock(op, crossing!, block.block);
          recordRefusedAttestations(op, parts, log, crossing!, block.block, refusedAttestations);
        })();
        progress();
        continue;
      }
      const signatures = await checking;
      db.transaction(() => {
        admitItems(op, parts, log, crossing!, block.block, items, certificates, signatures);
        recordRefusedAttestations(op, parts, log, crossing!, block.block, refusedAttestations);
      })();
      if (picture.due) db.transaction(() => picture.settle(op, log, now))();
      progress();
    }
    db.transaction(() => picture.settle(op, log, now))();
  } finally {
    restoreJournals();
    await workers.close();
    // Cancelled or refused part-way: the blocks committed so far reach the picture before the import returns. The
    // error that stopped it is the one to report; should this fail as well, the subjects stay pending for the next import.
    try {
      db.transaction(() => picture.settle(op, log, now))();
    } catch {
      // settleLeftoverPicture recomputes them
    }
  }
  if (!hello || !crossing) throw new Refused('tampered-bundle', `The bundle ${source.name} holds no block to admit.`);

  await finishAdmission(op, log, crossing, now);
  return reportOf(op, readBundleImport(db, digest)!, { alreadyImported: false, resumed: crossing.resumeAt > 0 });
}

/** The signature pool, started while pass 1 reads (a worker takes a few tenths of a second to load), used by pass 2 when the bundle is worth it. */
interface WorkersAhead {
  /** Pass 1 has read `lines` lines: once that many observations would be worth the workers, they are started. */
  sawLines(lines: number): void;
  /** The pool for a bundle of `observations`, or none (one started ahead for nothing is closed). */
  forObservations(observations: number): Promise<SignaturePool | undefined>;
  /** Idempotent. */
  close(): Promise<void>;
}

function workersAhead(options: SignaturePoolOptions | undefined): WorkersAhead {
  const from = options?.from ?? WORTH_WORKERS_FROM;
  let pool: SignaturePool | undefined;
  let closed = false;
  const close = async () => {
    closed = true;
    const started = pool;
    pool = undefined;
    await started?.close();
  };
  return {
    sawLines(lines) {
      // Line 1 is the hello; nearly every other line of a large bundle is an observation.
      if (options && !pool && !closed && lines - 1 >= from) pool = startSignaturePool(options);
    },
    async forObservations(observations) {
      if (!options || closed || observations < from) {
        await close();
        return undefined;
      }
      return (pool ??= startSignaturePool(options));
    },
    close,
  };
}

/**
 * The blocks, each handed on with its device signatures being checked by the pool, one block
 * ahead: block k+1 is read and sent to the workers before block k is admitted, so SQLite's
 * writes of k overlap the signature checks of k+1. Without a pool, nothing is pre-checked.
 */
async function* checkedAhead(blocks: AsyncIterable<BundleBlock>, pool: SignaturePool | undefined): AsyncGenerator<{ block: BundleBlock; signatures?: Promise<SignatureChecks> }> {
  let pending: { block: BundleBlock; signatures?: Promise<SignatureChecks> } | undefined;
  for await (const block of blocks) {
    const next = { block, ...(pool ? { signatures: precheck(pool, block) } : {}) };
    if (pending) yield pending;
    pending = next;
  }
  if (pending) yield pending;
}

/**
 * Sends a block's certificates, and those of its observation lines whose records carry a
 * signature of their own, to the pool; the answers come back in the order admission takes the
 * records. The lines' bytes, not the values read from them: one buffer transferred, where a
 * structured clone of each record cost this thread nearly a tenth of its time; the worker reads
 * each line as the reader did (signature-worker.ts). A batch-attested record is not sent: its one
 * signature per batch is the judge's, and the worker would only read it to leave it unchecked.
 */
function precheck(pool: SignaturePool, block: BundleBlock): Promise<SignatureChecks> {
  const sent: Buffer[] = [];
  const positions: number[] = [];
  let records = 0;
  for (const { item, bytes } of block.lines as readonly ParsedLine[]) {
    if (item.kind === 'certificate') pool.addCertificate(item.pem);
    else if (item.kind === 'observation') {
      if (carriesOwnSignature(item.record)) {
        sent.push(bytes);
        positions.push(records);
      }
      records += 1;
    }
  }
  const unchecked = { verdicts: new Uint8Array(records), ids: new Uint8Array(records * 32), texts: new Array<string | null | undefined>(records).fill(null) };
  if (sent.length === 0) return Promise.resolve(unchecked);
  if (sent.length === records) return pool.checkLines(sent);
  return pool.checkLines(sent).then((checks) => {
    positions.forEach((at, i) => {
      unchecked.verdicts[at] = checks.verdicts[i]!;
      unchecked.ids.set(checks.ids.subarray(i * 32, i * 32 + 32), at * 32);
      unchecked.texts[at] = checks.texts?.[i];
    });
    return unchecked;
  });
}

/** Whether a record says it is signature-attested (the worker checks its shape in full). */
function carriesOwnSignature(record: unknown): boolean {
  const integrity = (record as { lineage?: { integrity?: { type?: unknown } } } | null)?.lineage?.integrity;
  return typeof integrity === 'object' && integrity !== null && integrity.type === 'signature';
}

/** The log, with each append timed when the caller asks. */
function timedLog(log: Log, onAppend: ((ms: number) => void) | undefined): Log {
  if (!onAppend) return log;
  return {
    signer: log.signer,
    checkpoint: (now) => log.checkpoint(now),
    append: (drafts, now) => {
      const started = process.hrtime.bigint();
      try {
        return log.append(drafts, now);
      } finally {
        onAppend(Number(process.hrtime.bigint() - started) / 1e6);
      }
    },
  };
}

/** What a bundle's section applies is judged on its own: a refusal is recorded by the part that refused it and the import goes on. */
async function appliedOrRecorded(work: () => unknown): Promise<unknown> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    return undefined;
  }
}

type RefusedAttestation = { readonly reason: string; readonly message: string };

/** The attestations the taxonomy refused, from its per-envelope outcomes. */
function refusedOutcomes(outcomes: unknown): RefusedAttestation[] {
  if (!Array.isArray(outcomes)) return [];
  return (outcomes as { outcome?: unknown; reason?: unknown; message?: unknown }[]).flatMap((o) =>
    o.outcome === 'refused' && typeof o.reason === 'string' ? [{ reason: o.reason, message: typeof o.message === 'string' ? o.message : '' }] : [],
  );
}

/**
 * A forged, expired or misdirected attestation in a signed bundle is tampering with translation,
 * not a silent skip (0005 "Integrity"): one `bad-attestation` event per block that carried any,
 * in the block's transaction, so a resumed import neither loses nor repeats it.
 */
function recordRefusedAttestations(op: Operation, parts: CrossingParts, log: Log, crossing: Admission, block: number, refused: readonly RefusedAttestation[]): void {
  if (refused.length === 0) return;
  const { digest, hello, now } = crossing;
  const reasons = [...new Set(refused.map((r) => r.reason))].sort().join(', ');
  parts.recordIntegrityEvent(
    op,
    log,
    { kind: 'bad-attestation', partner: hello.from, federation: hello.federation.id, evidence: { bundle: digest, block, attestations: refused.length, reasons, first: refused[0]!.message.slice(0, 500) }, message: `${refused.length} attestation(s) carried by ${hello.agent.mesh}:${hello.agent.id} from ${hello.from} (bundle ${digest.slice(0, 16)}…, block ${block}) were refused (${reasons}); the terms they claimed stay untranslated.` },
    now,
  );
}

/** The sender the hello names, before the hello is checked; undefined when it names none readable. */
function claimedSender(hello: DsseEnvelope): string | undefined {
  try {
    const from = (JSON.parse(Buffer.from(hello.payload, 'base64').toString('utf8')) as { from?: unknown }).from;
    return typeof from === 'string' && isMeshCode(from) ? from : undefined;
  } catch {
    return undefined;
  }
}

function certificateSha256(pem: string): string | undefined {
  try {
    return parseCertificate(pem).sha256;
  } catch {
    return undefined;
  }
}

function reportOf(op: Operation, row: BundleImportRow, flags: { alreadyImported: boolean; resumed: boolean }): ImportReport {
  return {
    bundle: row.digest,
    from: row.partner,
    federation: { id: row.federation, version: row.version },
    agent: row.agent,
    ...flags,
    counts: { admitted: row.admitted, duplicate: row.duplicate, rejected: row.rejected, quarantined: row.quarantined, tainted: row.tainted },
    refusals: bundleRefusals(op.write, row.digest, 1_000),
    receipt: JSON.parse(row.receipt ?? 'null') as DsseEnvelope,
  };
}
