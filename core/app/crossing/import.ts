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
import type { ManifestBody } from '../../boundary/bundle/format.js';
import { readBundleBlocks, verifyBundleStream, type BundleBlock, type ParsedLine, type VerifiedBundle } from '../../boundary/bundle/reader.js';
import { admittedRoot, MAX_RECEIPT_REFUSALS, signReceipt, type ReceiptBody } from '../../boundary/bundle/receipt.js';
import { canonicalize } from '../../canonical/jcs.js';
import type { GovernedObservation } from '../../observation/index.js';
import type { LabelPolicy } from '../../labels/index.js';
import type { DsseEnvelope } from '../../crypto/dsse.js';
import { normaliseSerial, parseCertificate } from '../../credentials/index.js';
import { insertAdmission } from '../../store/federation-store.js';
import { insertCertificate } from '../../store/mesh-store.js';
import { appendObservations, hasObservation } from '../../store/observation-store.js';
import {
  iterateAdmittedIdsOf,
  advanceBundleImport,
  beginBundleImport,
  bundleRefusals,
  finishBundleImport,
  insertBundleRefusal,
  insertCrossing,
  insertQuarantine,
  isQuarantined,
  readBundleImport,
  type BundleImportRow,
  type ImportCounts,
} from '../../store/crossing-store.js';
import { authorityActor, type Log, type LogSigner } from '../context/log.js';
import type { Operation } from '../context/operation.js';
import { federationRecord } from '../federations/federation-records.js';
import { partnerChains } from '../federations/partner-chains.js';
import { evaluate } from '../../federation/lifecycle.js';
import { observationRow } from '../observations/observation-service.js';
import { itemJudge, type ItemVerdict, type TranslationVerdict } from './judge.js';
import type { BundleSource, CrossingParts, HelloVerdict } from './parts.js';
import { startSignaturePool, WORTH_WORKERS_FROM, type SignaturePool, type SignaturePoolOptions } from './signature-pool.js';
import { manifestByHelloKey } from './verify.js';
import { indexStoredObservations } from '../sync-index/maintain.js';

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
    onProgress: (p) => options.onProgress?.({ phase: 'verifying', lines: p.lines, totalLines: null }),
    signal: options.signal,
  });
  if (!verified.ok) {
    if (verified.reason === 'cancelled') throw new Refused('cancelled', 'The import was cancelled before anything was admitted.');
    refuse('tampered-bundle', `The bundle ${source.name} is refused (${verified.reason}): ${verified.message}`, { reason: verified.reason, line: verified.line ?? null });
  }
  const bundle = verified as VerifiedBundle;
  const { digest, manifest } = bundle;
  const previous = readBundleImport(db, digest);
  if (previous?.state === 'done') return reportOf(op, previous, { alreadyImported: true, resumed: false });
  // Who the hello says carried it, unverified: only to know whose authority must have signed the CRLs it carries.
  const claimedFrom = claimedSender(bundle.hello);

  // Pass 2: block by block, each block's digest re-checked before anything in it is used.
  const certificates = new Map<string, string>();
  let hello: Extract<HelloVerdict, { ok: true }> | undefined;
  let crossing: ReturnType<typeof openImport> | undefined;
  let judge: ReturnType<typeof itemJudge> | undefined;
  const workers = options.signatureWorkers;
  const pool = workers && manifest.observations >= (workers.from ?? WORTH_WORKERS_FROM) ? startSignaturePool(workers) : undefined;
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
        crossing = openImport(op, hello, digest, manifest, now);
      }
      if (!hello || !crossing) continue;
      const refusedAttestations = attestations.length > 0 ? refusedOutcomes(await appliedOrRecorded(() => parts.admitPartnerAttestations(op, attestations, now))) : [];
      for (const notice of notices) await appliedOrRecorded(() => parts.applyTaintNotice(op, notice, now));
      const progress = () => options.onProgress?.({ phase: 'admitting', lines: block.firstLine + block.lines.length, totalLines: bundle.lines });
      if (block.block < crossing.resumeAt) {
        progress();
        continue;
      }
      if (items.length === 0) {
        db.transaction(() => {
          advanceBundleImport(db, digest, block.block + 1, zeroCounts());
          recordRefusedAttestations(op, parts, log, crossing!, block.block, refusedAttestations);
        })();
        progress();
        continue;
      }
      judge ??= judgeFor(op, parts, crossing, certificates, now);
      const signatures = await checking;
      const verdicts = items.map((item, i) => ({ line: item.line, verdict: judge!(item.record, item.certificate, signatures?.[i]) }));
      db.transaction(() => {
        storeBlock(op, parts, log, crossing!, block.block, verdicts);
        recordRefusedAttestations(op, parts, log, crossing!, block.block, refusedAttestations);
      })();
      progress();
    }
  } finally {
    await pool?.close();
  }
  if (!hello || !crossing) throw new Refused('tampered-bundle', `The bundle ${source.name} holds no block to admit.`);

  const done = readBundleImport(db, digest)!;
  const receipt = await receiptFor(op, done, log.signer, now);
  db.transaction(() => finishBundleImport(db, digest, now.toISOString(), JSON.stringify(receipt)))();
  return reportOf(op, readBundleImport(db, digest)!, { alreadyImported: false, resumed: crossing.resumeAt > 0 });
}

/**
 * The blocks, each handed on with its device signatures being checked by the pool, one block
 * ahead: block k+1 is read and sent to the workers before block k is admitted, so SQLite's
 * writes of k overlap the signature checks of k+1. Without a pool, nothing is pre-checked.
 */
async function* checkedAhead(blocks: AsyncIterable<BundleBlock>, pool: SignaturePool | undefined): AsyncGenerator<{ block: BundleBlock; signatures?: Promise<Uint8Array> }> {
  let pending: { block: BundleBlock; signatures?: Promise<Uint8Array> } | undefined;
  for await (const block of blocks) {
    const next = { block, ...(pool ? { signatures: precheck(pool, block) } : {}) };
    if (pending) yield pending;
    pending = next;
  }
  if (pending) yield pending;
}

/** Sends a block's certificates and observation records (in the order admission takes them) to the pool. */
function precheck(pool: SignaturePool, block: BundleBlock): Promise<Uint8Array> {
  const records: unknown[] = [];
  for (const { item } of block.lines as readonly ParsedLine[]) {
    if (item.kind === 'certificate') pool.addCertificate(item.pem);
    else if (item.kind !== 'crl' && item.kind !== 'attestation' && item.kind !== 'taint') records.push(item.record);
  }
  return records.length > 0 ? pool.check(records) : Promise.resolve(new Uint8Array(0));
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

/** The import's own row, begun (or found, when a killed import is run again) once the hello is accepted. */
function openImport(op: Operation, hello: Extract<HelloVerdict, { ok: true }>, digest: string, manifest: ManifestBody, now: Date) {
  const db = op.write;
  const record = federationRecord(db, hello.federation.id);
  const evaluation = record && evaluate(record, now);
  if (!evaluation?.inForce || evaluation.state !== 'active') throw new Refused('federation-inactive', `Federation ${hello.federation.id} is not active here.`);
  const declaration = evaluation.inForce.declaration;
  beginBundleImport(db, {
    digest,
    partner: hello.from,
    federation: hello.federation.id,
    version: declaration.version,
    agent: `${hello.agent.mesh}:${hello.agent.id}`,
    nonce: hello.nonce,
    lines: manifest.lines,
    observations: manifest.observations,
    startedAt: now.toISOString(),
  });
  return {
    digest,
    hello,
    declaration,
    resumeAt: readBundleImport(db, digest)!.nextBlock,
    releaseAuthority: declaration.partners.find((p) => p.mesh === hello.from)?.releaseAuthority ?? hello.from,
    now,
    /** Device certificates this import has stored (a block rolled back is never retried in the same import). */
    storedCertificates: new Set<string>(),
  };
}

type OpenImport = ReturnType<typeof openImport>;

function judgeFor(op: Operation, parts: CrossingParts, crossing: OpenImport, certificates: ReadonlyMap<string, string>, now: Date) {
  const db = op.write;
  const federation = crossing.hello.federation.id;
  // One translator per originating mesh: a relayed item is translated from its originator's markings.
  const translators = new Map<string, (record: GovernedObservation) => TranslationVerdict>();
  const policies = new Map<string, LabelPolicy | undefined>();
  return itemJudge({
    ownMesh: op.mesh().mesh.code,
    federation: { id: federation, version: crossing.declaration.version, declaration: crossing.declaration },
    carrier: crossing.hello.from,
    now,
    certificates,
    partnerChain: partnerChains(db),
    isStored: (id) => hasObservation(db, id),
    isQuarantined: (id) => isQuarantined(db, id),
    isPurged: (id) => parts.isPurged(op, id),
    isTainted: (id) => parts.isTainted(op, id),
    translate: (record) => {
      let translate = translators.get(record.mesh);
      if (!translate) translators.set(record.mesh, (translate = parts.translatorFor(op, { from: record.mesh, federation, now })));
      return translate(record);
    },
    // The federation and the moment are fixed for the import: each policy is looked up once, not per item
    // (the lookup re-reads and re-verifies the declaration and parses the partners' policy files).
    policyOf: (id) => {
      if (!policies.has(id)) policies.set(id, parts.policyOf(op, federation, id));
      return policies.get(id);
    },
  });
}

/** One block's verdicts, stored in the caller's transaction: rows, counts, one log entry, the integrity events it raised. */
function storeBlock(op: Operation, parts: CrossingParts, log: Log, crossing: OpenImport, block: number, verdicts: readonly { line: number; verdict: ItemVerdict }[]): void {
  const db = op.write;
  const { mesh } = op.mesh();
  const { digest, hello, now } = crossing;
  const federation = hello.federation.id;
  const agent = `${hello.agent.mesh}:${hello.agent.id}`;
  const counts = zeroCounts();
  const admitted: string[] = [];
  const flagged = { overRelease: [] as string[], tampered: [] as string[], purged: [] as string[], lost: [] as string[] };
  for (const { line, verdict } of verdicts) {
    counts[verdict.outcome] += 1;
    storeVerdict(op, parts, crossing, line, verdict);
    if (verdict.outcome === 'admitted' || verdict.outcome === 'tainted') admitted.push(verdict.id);
    if (verdict.outcome === 'quarantined') flagged.lost.push(verdict.id);
    if (verdict.outcome === 'rejected') {
      const named = verdict.id ?? `line ${line}`;
      if (verdict.overRelease) flagged.overRelease.push(named);
      if (verdict.tampered) flagged.tampered.push(named);
      if (verdict.reason === 'purged') flagged.purged.push(named);
    }
  }
  advanceBundleImport(db, digest, block + 1, counts);
  indexStoredObservations(op, parts, admitted, now);
  if (admitted.length > 0) {
    log.append(
      [
        {
          type: 'crossing',
          who: authorityActor(mesh),
          what: { ids: admitted, federation, detail: { from: hello.from, agent, bundle: digest, block, version: crossing.declaration.version, tainted: counts.tainted } },
          why: { reasons: ['admitted'], text: `Admitted ${admitted.length} from ${hello.from} under ${federation} v${crossing.declaration.version} (bundle ${digest.slice(0, 16)}…, block ${block}).` },
        },
      ],
      now,
    );
  }
  const event = (kind: string, named: readonly string[], message: string) => {
    if (named.length === 0) return;
    const ids = named.filter((n) => /^[0-9a-f]{64}$/.test(n));
    parts.recordIntegrityEvent(op, log, { kind, partner: hello.from, federation, ids, evidence: { bundle: digest, block, items: named.length, lines: named.filter((n) => !ids.includes(n)).join(', ').slice(0, 500) }, message }, now);
  };
  const from = `${hello.from} (bundle ${digest.slice(0, 16)}…, block ${block})`;
  event('over-release', flagged.overRelease, `${flagged.overRelease.length} item(s) from ${from} were beyond what federation ${federation} lets cross to ${mesh.code}: refused, not dropped.`);
  event('tampered-item', flagged.tampered, `${flagged.tampered.length} item(s) carried by ${agent} from ${from} failed their own integrity check.`);
  event('purged-redelivery', flagged.purged, `${flagged.purged.length} observation(s) purged on a federation's exit were delivered again by ${from}.`);
  event('translation-loss', flagged.lost, `${flagged.lost.length} item(s) from ${from} hold terms with no mapping here; they wait in quarantine.`);
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
function recordRefusedAttestations(op: Operation, parts: CrossingParts, log: Log, crossing: OpenImport, block: number, refused: readonly RefusedAttestation[]): void {
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

function storeVerdict(op: Operation, parts: CrossingParts, facts: OpenImport, line: number, verdict: ItemVerdict): void {
  const db = op.write;
  const at = facts.now.toISOString();
  const agent = `${facts.hello.agent.mesh}:${facts.hello.agent.id}`;
  if (verdict.outcome === 'duplicate') return;
  if (verdict.outcome === 'rejected') {
    insertBundleRefusal(db, { digest: facts.digest, line, observationId: verdict.id, reason: verdict.reason, message: verdict.message });
    return;
  }
  const crossingOf = (alternative: unknown, translations: unknown, attestations: unknown) => ({
    federation: facts.hello.federation.id,
    version: facts.declaration.version,
    origin: verdict.record.mesh,
    partner: facts.hello.from,
    agent,
    agentCertificate: facts.hello.homeCertificateSha256,
    bundle: facts.digest,
    line,
    releaseAuthority: facts.releaseAuthority,
    alternativeLabel: alternative === null ? null : canonicalize(alternative),
    translations: canonicalize(translations),
    attestations: canonicalize(attestations),
    caveats: canonicalize(verdict.rule.caveats),
    onwardRelease: verdict.rule.onwardRelease,
  });
  if (verdict.outcome === 'quarantined') {
    insertQuarantine(db, {
      observationId: verdict.id,
      bundle: facts.digest,
      line,
      partner: facts.hello.from,
      federation: facts.hello.federation.id,
      version: facts.declaration.version,
      origin: verdict.record.mesh,
      subject: verdict.record.subject,
      class: verdict.record.class,
      record: canonicalize(verdict.record),
      certificatePem: verdict.certificatePem,
      reason: 'translation-loss',
      missing: canonicalize(verdict.missing),
      crossing: canonicalize(crossingOf(null, [], [])),
      heldAt: at,
    });
    return;
  }
  // Each device certificate once per import: parsing it costs more than the rest of the item.
  if (!facts.storedCertificates.has(verdict.certificatePem)) {
    storeForeignCertificate(op, verdict.certificatePem, verdict.record.mesh, at);
    facts.storedCertificates.add(verdict.certificatePem);
  }
  appendObservations(db, [observationRow(verdict.record, verdict.id, facts.now)]);
  insertAdmission(db, { observationId: verdict.id, federation: facts.hello.federation.id, partner: verdict.record.mesh, admittedAt: at });
  insertCrossing(db, {
    observationId: verdict.id,
    ...crossingOf(verdict.translation.alternative, verdict.translation.translations, verdict.translation.attestations),
    outcome: verdict.outcome,
    admittedAt: at,
  });
  if (verdict.taint) parts.markTainted(op, verdict.id, verdict.taint.evidence, facts.now);
}

/** Keeps a partner device's certificate beside what it attested (the chain was checked against the partner's anchor). */
export function storeForeignCertificate(op: Operation, pem: string, mesh: string, at: string): void {
  const certificate = parseCertificate(pem);
  insertCertificate(op.write, {
    sha256: certificate.sha256,
    mesh,
    role: 'device',
    principal: certificate.principal?.id ?? certificate.subject,
    serial: normaliseSerial(certificate.serial),
    notBefore: new Date(certificate.notBefore).toISOString(),
    notAfter: new Date(certificate.notAfter).toISOString(),
    pem,
    addedAt: at,
  });
}

function certificateSha256(pem: string): string | undefined {
  try {
    return parseCertificate(pem).sha256;
  } catch {
    return undefined;
  }
}

function zeroCounts(): ImportCounts {
  return { admitted: 0, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 };
}

async function receiptFor(op: Operation, row: BundleImportRow, signer: LogSigner, now: Date): Promise<DsseEnvelope> {
  const admitted = await admittedRoot(iterateAdmittedIdsOf(op.write, row.digest));
  const body: ReceiptBody = {
    type: 'entente.crossing-receipt/v1',
    bundle: row.digest,
    from: op.mesh().mesh.code,
    to: row.partner,
    federation: row.federation,
    counts: { admitted: row.admitted, duplicate: row.duplicate, rejected: row.rejected, quarantined: row.quarantined, tainted: row.tainted },
    admitted,
    // A line that was not even a record has no id to name; the counts still hold it.
    refused: bundleRefusals(op.write, row.digest, MAX_RECEIPT_REFUSALS).flatMap((r) => (r.id === null ? [] : [{ id: r.id, reason: r.reason }])),
    at: now.toISOString(),
  };
  return signReceipt(body, { key: signer.key, keyid: signer.certificateSha256 });
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
