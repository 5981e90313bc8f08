/**
 * Importing a crossing bundle (`entente bundle import`): pass 1 checks the whole file — its
 * structure, every line's hash, the agent's signed manifest — and the hello the agent opened it
 * with, before anything is written; pass 2 re-reads it a block at a time and admits each block in
 * one transaction (its observations, their crossing records, the quarantine, the refusals, one
 * log entry and the integrity events it raised), moving the import's own row past it. A killed
 * import resumes at the first block not yet committed; a finished one imported again changes
 * nothing. Its end is a receipt signed by this mesh's authority, for the sender.
 */
import { createHash } from 'node:crypto';
import { Refused } from '../../common/refused.js';
import { readBundleBlocks, verifyBundleStream, type ParsedLine } from '../../boundary/bundle/reader.js';
import { signReceipt, type ReceiptBody } from '../../boundary/bundle/receipt.js';
import { RootBuilder } from '../../crypto/merkle.js';
import { canonicalize } from '../../canonical/jcs.js';
import type { DsseEnvelope } from '../../crypto/dsse.js';
import { parseCertificate, parsePrincipalUri, normaliseSerial } from '../../credentials/index.js';
import { DEMO_NATIONAL_POLICIES, NATO_POLICY } from '../../labels/index.js';
import { insertAdmission } from '../../store/federation-store.js';
import { insertCertificate } from '../../store/mesh-store.js';
import { appendObservations, hasObservation } from '../../store/observation-store.js';
import {
  admittedIdsOf,
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
import { authorityActor } from '../context/log.js';
import type { Operation } from '../context/operation.js';
import { federationRecord } from '../federations/federation-records.js';
import { partnerChains } from '../federations/partner-chains.js';
import { evaluate } from '../../federation/lifecycle.js';
import { observationRow } from '../observations/observation-service.js';
import { itemJudge, type ItemVerdict } from './judge.js';
import type { BundleSource, CrossingParts, HelloVerdict } from './parts.js';
import { manifestByHelloKey } from './verify.js';

export interface ImportProgress {
  readonly phase: 'verifying' | 'admitting';
  readonly lines: number;
  readonly totalLines: number | null;
}

export interface ImportOptions {
  readonly onProgress?: (progress: ImportProgress) => void;
  readonly signal?: AbortSignal;
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

/** Items per transaction: the bundle's own block size. */
const REFUSALS_IN_RECEIPT = 10_000;
/** A bundle carries at most this many certificates (each a device of a partner): more is not an honest export. */
const MAX_CERTIFICATES = 100_000;

export async function importBundle(op: Operation, parts: CrossingParts, source: BundleSource, options: ImportOptions = {}): Promise<ImportReport> {
  const db = op.write;
  const { mesh } = op.mesh();
  const now = op.clock.advance(db);
  const refuse = (reason: string, message: string, evidence: Record<string, unknown>, partner?: string, federation?: string): never => {
    db.transaction(() => parts.recordIntegrityEvent(op, { kind: reason, partner, federation, evidence: { bundle: source.name, ...evidence }, message }, now))();
    throw new Refused(reason, message);
  };

  // Pass 1: the whole file, before anything is believed.
  const verified = await verifyBundleStream(source.open(), {
    verifyManifest: manifestByHelloKey,
    onProgress: (lines: number) => options.onProgress?.({ phase: 'verifying', lines, totalLines: null }),
    signal: options.signal,
  });
  if (!verified.ok) refuse(verified.reason === 'bundle-changed' ? 'bundle-changed' : 'tampered-bundle', `The bundle ${source.name} is refused: ${verified.message}`, { reason: verified.reason, line: verified.line ?? null });
  const { digest, hello: helloEnvelope, manifest, blockDigests } = verified as Extract<typeof verified, { ok: true }>;

  const hello = parts.checkIncomingHello(op, helloEnvelope, now) as HelloVerdict;
  if (!hello.ok) refuse(hello.reason, `The bundle ${source.name} is refused: ${hello.message}`, { digest }, undefined, undefined);
  const agentHello = hello as Extract<HelloVerdict, { ok: true }>;
  const federationId = agentHello.federation.id;

  const previous = readBundleImport(db, digest);
  if (previous?.state === 'done') return reportOf(op, previous, { alreadyImported: true, resumed: false });
  const nonce = db.transaction(() => parts.rememberNonce(op, agentHello.nonce, digest))();
  if (nonce === 'replayed') {
    refuse('replayed-hello', `The bundle ${source.name} is refused: its hello reuses nonce ${agentHello.nonce.slice(0, 16)}… of another bundle.`, { digest, nonce: agentHello.nonce }, agentHello.from, federationId);
  }
  const record = federationRecord(db, federationId);
  const evaluation = record && evaluate(record, now);
  if (!evaluation?.inForce || evaluation.state !== 'active') throw new Refused('federation-inactive', `Federation ${federationId} is not active here.`);
  const inForce = { version: evaluation.inForce.declaration.version, declaration: evaluation.inForce.declaration };
  beginBundleImport(db, {
    digest,
    partner: agentHello.from,
    federation: federationId,
    version: agentHello.federation.version,
    agent: `${agentHello.agent.mesh}:${agentHello.agent.id}`,
    nonce: agentHello.nonce,
    lines: manifest.lines,
    observations: manifest.observations,
    startedAt: now.toISOString(),
  });
  const resumeAt = readBundleImport(db, digest)!.nextBlock;
  const log = await op.log();
  const releaseAuthority = inForce.declaration.partners.find((p) => p.mesh === agentHello.from)?.releaseAuthority ?? agentHello.from;

  // Pass 2: block by block, each block's digest re-checked before it is used.
  const certificates = new Map<string, string>();
  let judge: ReturnType<typeof itemJudge> | undefined;
  let linesSeen = 0;
  for await (const block of readBundleBlocks(source.open(), blockDigests, { signal: options.signal })) {
    const items: { line: number; record: unknown; certificate: unknown }[] = [];
    const crls: string[] = [];
    const attestations: unknown[] = [];
    const notices: unknown[] = [];
    for (const parsed of block.lines as ParsedLine[]) {
      const value = parsed.value as { kind: string; pem?: string; envelope?: unknown; notice?: unknown; record?: unknown; certificate?: unknown };
      if (value.kind === 'certificate') {
        if (certificates.size >= MAX_CERTIFICATES) refuse('tampered-bundle', `The bundle ${source.name} carries more than ${MAX_CERTIFICATES} certificates.`, { digest }, agentHello.from, federationId);
        const sha256 = certificateSha256(value.pem!);
        if (sha256) certificates.set(sha256, value.pem!);
      } else if (value.kind === 'crl') crls.push(value.pem!);
      else if (value.kind === 'attestation') attestations.push(value.envelope);
      else if (value.kind === 'taint') notices.push(value.notice);
      else if (value.kind === 'observation') items.push({ line: parsed.line, record: value.record, certificate: value.certificate });
    }
    // What vouches for the items comes first, and is applied (idempotently) even on a resumed import.
    for (const pem of crls) await parts.applyPartnerCrl(op, agentHello.from, pem, now);
    if (attestations.length > 0) await parts.admitPartnerAttestations(op, attestations, now);
    for (const notice of notices) await parts.applyTaintNotice(op, notice, now);
    linesSeen = block.firstLine + block.lines.length;
    if (items.length === 0 || block.block < resumeAt) {
      if (block.block >= resumeAt) db.transaction(() => advanceBundleImport(db, digest, block.block + 1, zeroCounts()))();
      options.onProgress?.({ phase: 'admitting', lines: linesSeen, totalLines: manifest.lines });
      continue;
    }
    judge ??= itemJudge({
      ownMesh: mesh.code,
      federation: { id: federationId, version: inForce.version, declaration: inForce.declaration },
      carrier: agentHello.from,
      now,
      certificates,
      partnerChain: partnerChains(db),
      isStored: (id) => hasObservation(db, id),
      isQuarantined: (id) => isQuarantined(db, id),
      isPurged: (id) => parts.isPurged(op, id),
      isTainted: (id) => parts.isTainted(op, id),
      compromisedSince: (sha) => parts.compromisedSince(op, sha),
      translate: parts.translatorFor(op, { from: agentHello.from, federation: federationId, now }),
      policyOf: (id) => (id === 'NATO' ? NATO_POLICY : DEMO_NATIONAL_POLICIES.get(id)),
    });
    const verdicts = items.map((item) => ({ line: item.line, verdict: judge!(item.record, item.certificate) }));
    const crossing = { digest, hello: agentHello, federation: inForce, releaseAuthority, now };
    db.transaction(() => {
      const counts = zeroCounts();
      const admitted: string[] = [];
      const overRelease: { id: string | null; line: number; reason: string }[] = [];
      const tampered: { id: string | null; line: number; reason: string }[] = [];
      const purged: string[] = [];
      for (const { line, verdict } of verdicts) {
        counts[verdict.outcome === 'tainted' ? 'tainted' : verdict.outcome] += 1;
        storeVerdict(op, parts, crossing, line, verdict);
        if (verdict.outcome === 'admitted' || verdict.outcome === 'tainted') admitted.push(verdict.id);
        if (verdict.outcome === 'rejected') {
          if (verdict.overRelease) overRelease.push({ id: verdict.id, line, reason: verdict.reason });
          if (verdict.tampered) tampered.push({ id: verdict.id, line, reason: verdict.reason });
          if (verdict.reason === 'purged' && verdict.id) purged.push(verdict.id);
        }
      }
      advanceBundleImport(db, digest, block.block + 1, counts);
      if (admitted.length > 0) {
        log.append(
          [
            {
              type: 'crossing',
              who: authorityActor(mesh),
              what: { ids: admitted, federation: federationId, detail: { from: agentHello.from, agent: `${agentHello.agent.mesh}:${agentHello.agent.id}`, bundle: digest, block: block.block, version: inForce.version, tainted: counts.tainted } },
              why: { reasons: ['admitted'], text: `Admitted ${admitted.length} from ${agentHello.from} under ${federationId} v${inForce.version} (bundle ${digest.slice(0, 16)}…, block ${block.block}).` },
            },
          ],
          now,
        );
      }
      const event = (kind: string, list: readonly unknown[], message: string) =>
        list.length > 0 && parts.recordIntegrityEvent(op, { kind, partner: agentHello.from, federation: federationId, evidence: { bundle: digest, block: block.block, items: list }, message }, now);
      event('over-release', overRelease, `${overRelease.length} item(s) from ${agentHello.from} were above what federation ${federationId} lets cross to ${mesh.code} (bundle ${digest.slice(0, 16)}…).`);
      event('tampered-item', tampered, `${tampered.length} item(s) carried by ${agentHello.agent.id} of ${agentHello.from} failed their own integrity check (bundle ${digest.slice(0, 16)}…).`);
      event('purged-redelivery', purged, `${purged.length} purged observation(s) were delivered again by ${agentHello.from} (bundle ${digest.slice(0, 16)}…).`);
      const lost = verdicts.filter((v) => v.verdict.outcome === 'quarantined');
      event('translation-loss', lost.map((v) => ({ id: (v.verdict as { id: string }).id, line: v.line })), `${lost.length} item(s) from ${agentHello.from} hold terms with no mapping here and wait in quarantine (bundle ${digest.slice(0, 16)}…).`);
    })();
    options.onProgress?.({ phase: 'admitting', lines: linesSeen, totalLines: manifest.lines });
  }

  const done = readBundleImport(db, digest)!;
  const receipt = receiptFor(op, done, log.signer, now);
  db.transaction(() => finishBundleImport(db, digest, now.toISOString(), JSON.stringify(receipt)))();
  return reportOf(op, readBundleImport(db, digest)!, { alreadyImported: false, resumed: resumeAt > 0 });
}

interface CrossingFacts {
  readonly digest: string;
  readonly hello: Extract<HelloVerdict, { ok: true }>;
  readonly federation: { readonly version: number };
  readonly releaseAuthority: string;
  readonly now: Date;
}

function storeVerdict(op: Operation, parts: CrossingParts, facts: CrossingFacts, line: number, verdict: ItemVerdict): void {
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
    version: facts.federation.version,
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
      version: facts.federation.version,
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
  storeForeignCertificate(op, verdict.certificatePem, verdict.record.mesh, at);
  appendObservations(db, [observationRow(verdict.record, verdict.id, facts.now)]);
  insertAdmission(db, { observationId: verdict.id, federation: facts.hello.federation.id, partner: verdict.record.mesh, admittedAt: at });
  insertCrossing(db, {
    observationId: verdict.id,
    ...crossingOf(verdict.translation.alternative, verdict.translation.translations, verdict.translation.attestations),
    outcome: verdict.outcome,
    admittedAt: at,
  });
  if (verdict.taint) parts.markTainted(op, verdict.id, verdict.taint.cause, verdict.taint.evidence, facts.now);
}

/** Keeps a partner device's certificate beside what it attested (the chain was checked against the partner's anchor). */
export function storeForeignCertificate(op: Operation, pem: string, mesh: string, at: string): void {
  const certificate = parseCertificate(pem);
  insertCertificate(op.write, {
    sha256: certificate.sha256,
    mesh,
    role: 'device',
    principal: certificate.principal?.id ?? certificate.subject,
    serial: normaliseSerial(certificate.serialNumber),
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
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

function receiptFor(op: Operation, row: BundleImportRow, signer: { certificateSha256: string; key: import('node:crypto').KeyObject }, now: Date): DsseEnvelope {
  const ids = admittedIdsOf(op.write, row.digest);
  const root = new RootBuilder();
  for (const id of ids) root.push(createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(id, 'utf8')])).digest());
  const body: ReceiptBody = {
    type: 'entente.crossing-receipt/v1',
    bundle: row.digest,
    from: op.mesh().mesh.code,
    to: row.partner,
    federation: row.federation,
    counts: { admitted: row.admitted, duplicate: row.duplicate, rejected: row.rejected, quarantined: row.quarantined, tainted: row.tainted },
    admitted: { count: ids.length, root: root.root().toString('hex') },
    refused: bundleRefusals(op.write, row.digest, REFUSALS_IN_RECEIPT).map((r) => ({ id: r.id, line: r.line, reason: r.reason })),
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
