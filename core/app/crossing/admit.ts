/**
 * The admission seam (docs/decisions/0005-crossing.md "Admission", 0006 "Admission"): what a
 * bundle's import and a live link's session share. `openAdmission` begins (or finds, for a
 * resumed bundle) the session's row once its hello is accepted — the bundle_imports row doubles
 * as a link session's, keyed by the session digest; `admitItems` judges a block (a bundle's
 * block or a link's `items` frame) and stores what the verdicts say in ONE transaction — its
 * observations, crossing records, quarantine, refusals, one log entry and the integrity events
 * it raised — moving the row past it; `finishAdmission` signs the receipt over what was admitted.
 */
import { Refused } from '../../common/refused.js';
import type { ManifestBody } from '../../boundary/bundle/format.js';
import type { HelloAccepted } from '../../boundary/hello.js';
import { admittedRoot, MAX_RECEIPT_REFUSALS, signReceipt, type ReceiptBody } from '../../boundary/bundle/receipt.js';
import { canonicalize } from '../../canonical/jcs.js';
import type { DsseEnvelope } from '../../crypto/dsse.js';
import type { Declaration } from '../../federation/declaration.js';
import { evaluate } from '../../federation/lifecycle.js';
import type { GovernedObservation } from '../../observation/index.js';
import type { LabelPolicy } from '../../labels/index.js';
import { normaliseSerial, parseCertificate } from '../../credentials/index.js';
import { insertCertificate } from '../../store/mesh-store.js';
import { appendObservations, hasObservation } from '../../store/observation-store.js';
import {
  advanceBundleImport,
  beginBundleImport,
  bundleRefusals,
  finishBundleImport,
  insertBundleRefusal,
  insertCrossing,
  insertQuarantine,
  isQuarantined,
  iterateAdmittedIdsOf,
  readBundleImport,
  type BundleImportRow,
  type ImportCounts,
} from '../../store/crossing-store.js';
import { authorityActor, type Log } from '../context/log.js';
import type { Operation } from '../context/operation.js';
import { federationRecord } from '../federations/federation-records.js';
import { partnerChains } from '../federations/partner-chains.js';
import { observationRow } from '../observations/observation-service.js';
import { itemJudge, type ItemVerdict, type TranslationVerdict } from './judge.js';
import type { CrossingParts } from './parts.js';
import { checkedId, checkedText, type SignatureChecks } from './signature-pool.js';
import { indexStoredObservations } from '../sync-index/maintain.js';
import type { DeferredPicture } from '../reconcile/deferred-picture.js';
import { keepPicture } from '../reconcile/keep.js';
import { receiveForeignClocks } from '../time/mesh-clock.js';

/** What stands for the bundle: a bundle file's digest, or a live link session's. */
export interface AdmissionSession {
  readonly digest: string;
  readonly source: 'bundle' | 'link';
  /** The bundle's line count (its manifest's); null for a link, which does not know it ahead. */
  readonly lines: number | null;
  readonly manifest?: ManifestBody;
  /** Keep the picture of what is admitted a few blocks at a time, by the caller (a bundle import), instead of in each block. */
  readonly picture?: DeferredPicture;
}

/** An admission under way: the hello it stands on, the declaration in force, where it resumes. */
export interface Admission {
  readonly digest: string;
  readonly source: 'bundle' | 'link';
  readonly hello: HelloAccepted;
  readonly declaration: Declaration;
  /** The first block not yet committed (0 for a fresh session; later for a killed import run again). */
  readonly resumeAt: number;
  readonly releaseAuthority: string;
  readonly now: Date;
  /** Device certificates this admission has stored (a block rolled back is never retried in the same admission). */
  readonly storedCertificates: Set<string>;
  /** The device certificates the judge looks records' certificates up in, by SHA-256: every block's added. */
  readonly certificates: Map<string, string>;
  /** Where the picture of admitted items is kept, when not in each block (AdmissionSession.picture). */
  readonly picture?: DeferredPicture;
  judge?: ReturnType<typeof itemJudge>;
}

/** One item to admit: its line in the bundle (or its number in the link session), the record, its certificate reference. */
export interface AdmissionItem {
  readonly line: number;
  readonly record: unknown;
  readonly certificate: unknown;
}

/** What became of one item: a link tells its peer which ids were refused. */
export interface ItemOutcome {
  readonly line: number;
  readonly id?: string;
  readonly outcome: ItemVerdict['outcome'];
  readonly reason?: string;
}

export interface BlockCounts {
  readonly counts: ImportCounts;
  readonly outcomes: readonly ItemOutcome[];
}

/** The session's own row, begun (or found, when a killed import is run again) once the hello is accepted. */
export function openAdmission(op: Operation, parts: CrossingParts, hello: HelloAccepted, session: AdmissionSession, now: Date): Admission {
  const db = op.write;
  const record = federationRecord(db, hello.federation.id);
  const evaluation = record && evaluate(record, now);
  if (!evaluation?.inForce || evaluation.state !== 'active') throw new Refused('federation-inactive', `Federation ${hello.federation.id} is not active here.`);
  const declaration = evaluation.inForce.declaration;
  beginBundleImport(db, {
    digest: session.digest,
    partner: hello.from,
    federation: hello.federation.id,
    version: declaration.version,
    agent: `${hello.agent.mesh}:${hello.agent.id}`,
    nonce: hello.nonce,
    // A link session counts its lines and observations as they come (the row's counts), not ahead.
    lines: session.manifest?.lines ?? session.lines ?? 0,
    observations: session.manifest?.observations ?? 0,
    startedAt: now.toISOString(),
  });
  return {
    digest: session.digest,
    source: session.source,
    hello,
    declaration,
    resumeAt: readBundleImport(db, session.digest)!.nextBlock,
    releaseAuthority: declaration.partners.find((p) => p.mesh === hello.from)?.releaseAuthority ?? hello.from,
    now,
    storedCertificates: new Set<string>(),
    certificates: new Map<string, string>(),
    ...(session.picture ? { picture: session.picture } : {}),
  };
}

/**
 * Judges `items` and stores what the verdicts say, in one transaction (the caller's, when it
 * has one), moving the session's row to `block + 1`. `certificates` are the device
 * certificates by SHA-256 the items may name (added to those earlier blocks brought);
 * `signatures`, when given, are the workers' pre-checks of the items' device signatures in order
 * (signature-pool.ts: their verdicts alone, or with the ids the workers named the records by).
 */
export function admitItems(
  op: Operation,
  parts: CrossingParts,
  log: Log,
  admission: Admission,
  block: number,
  items: readonly AdmissionItem[],
  certificates: ReadonlyMap<string, string>,
  signatures?: Uint8Array | SignatureChecks,
): BlockCounts {
  const checks = signatures instanceof Uint8Array ? { verdicts: signatures, ids: undefined } : signatures;
  if (certificates !== admission.certificates) for (const [sha256, pem] of certificates) admission.certificates.set(sha256, pem);
  const judge = (admission.judge ??= judgeFor(op, parts, admission));
  const admit = () => {
    // With the workers' ids (and texts), the records they checked are named by them.
    const named = checks?.ids ? (checks as SignatureChecks) : undefined;
    const verdicts = items.map((item, i) => ({ line: item.line, verdict: judge(item.record, item.certificate, checks?.verdicts[i], named && checkedId(named, i), named && checkedText(named, i)) }));
    return storeBlock(op, parts, log, admission, block, verdicts);
  };
  // In the caller's transaction (the bundle's block with its attestations) it is written directly:
  // a nested one would be a SAVEPOINT, journalling every page the block touches a second time.
  return op.write.inTransaction ? admit() : op.write.transaction(admit)();
}

/** Moves the session past a block that held no item to admit (only certificates, CRLs, attestations or notices). */
export function passBlock(op: Operation, admission: Admission, block: number): void {
  advanceBundleImport(op.write, admission.digest, block + 1, zeroCounts());
}

/** Signs the receipt over what the session admitted and marks its row done: the receipt, to carry back to the sender. */
export async function finishAdmission(op: Operation, log: Log, admission: Admission, now: Date = admission.now): Promise<DsseEnvelope> {
  const db = op.write;
  const row = readBundleImport(db, admission.digest)!;
  const receipt = await receiptFor(op, row, log, now);
  db.transaction(() => finishBundleImport(db, admission.digest, now.toISOString(), JSON.stringify(receipt)))();
  return receipt;
}

function judgeFor(op: Operation, parts: CrossingParts, admission: Admission) {
  const db = op.write;
  const federation = admission.hello.federation.id;
  const now = admission.now;
  // One translator per originating mesh: a relayed item is translated from its originator's markings.
  const translators = new Map<string, (record: GovernedObservation) => TranslationVerdict>();
  const policies = new Map<string, LabelPolicy | undefined>();
  return itemJudge({
    ownMesh: op.mesh().mesh.code,
    federation: { id: federation, version: admission.declaration.version, declaration: admission.declaration },
    carrier: admission.hello.from,
    now,
    certificates: admission.certificates,
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
    // The federation and the moment are fixed for the admission: each policy is looked up once, not per item
    // (the lookup re-reads and re-verifies the declaration and parses the partners' policy files).
    policyOf: (id) => {
      if (!policies.has(id)) policies.set(id, parts.policyOf(op, federation, id));
      return policies.get(id);
    },
  });
}

/** One block's verdicts, stored in the caller's transaction: rows, counts, one log entry, the integrity events it raised. */
function storeBlock(op: Operation, parts: CrossingParts, log: Log, admission: Admission, block: number, verdicts: readonly { line: number; verdict: ItemVerdict }[]): BlockCounts {
  const db = op.write;
  const { mesh } = op.mesh();
  const { digest, hello, now } = admission;
  const federation = hello.federation.id;
  const agent = `${hello.agent.mesh}:${hello.agent.id}`;
  const counts = zeroCounts();
  const outcomes: ItemOutcome[] = [];
  const admitted: string[] = [];
  const subjects: { id: string; subject: string }[] = [];
  const flagged = { overRelease: [] as string[], tampered: [] as string[], purged: [] as string[], lost: [] as string[], revoked: [] as string[], unknownCredential: [] as string[] };
  // The crossing terms this block's transaction has written (a bundle's rows mostly share one set): each once.
  const termsWritten = new Set<string>();
  for (const { line, verdict } of verdicts) {
    counts[verdict.outcome] += 1;
    outcomes.push({ line, ...(verdict.id === null ? {} : { id: verdict.id }), outcome: verdict.outcome, ...(verdict.outcome === 'rejected' ? { reason: verdict.reason } : {}) });
    storeVerdict(op, parts, admission, line, verdict, termsWritten);
    if (verdict.outcome === 'admitted' || verdict.outcome === 'tainted') {
      admitted.push(verdict.id);
      subjects.push({ id: verdict.id, subject: verdict.record.subject });
    }
    if (verdict.outcome === 'quarantined') flagged.lost.push(verdict.id);
    if (verdict.outcome === 'rejected') {
      const named = verdict.id ?? `line ${line}`;
      if (verdict.overRelease) flagged.overRelease.push(named);
      if (verdict.tampered) flagged.tampered.push(named);
      if (verdict.reason === 'purged') flagged.purged.push(named);
      if (verdict.reason === 'revoked') flagged.revoked.push(named);
      if (UNKNOWN_CREDENTIAL_REASONS.has(verdict.reason)) flagged.unknownCredential.push(named);
    }
  }
  advanceBundleImport(db, digest, block + 1, counts);
  indexStoredObservations(op, parts, admitted, now);
  receiveForeignClocks(db, op.mesh(), log, { partner: hello.from, federation, verdicts }, now);
  if (admission.picture) admission.picture.add(op, subjects);
  else keepPicture(op, log, admitted, now);
  const where = admission.source === 'bundle' ? `bundle ${digest.slice(0, 16)}…, block ${block}` : `link session ${digest.slice(0, 16)}…, frame ${block}`;
  if (admitted.length > 0) {
    log.append(
      [
        {
          type: 'crossing',
          who: authorityActor(mesh),
          what: { ids: admitted, federation, detail: { from: hello.from, agent, bundle: digest, block, version: admission.declaration.version, tainted: counts.tainted } },
          why: { reasons: ['admitted'], text: `Admitted ${admitted.length} from ${hello.from} under ${federation} v${admission.declaration.version} (${where}).` },
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
  const from = `${hello.from} (${where})`;
  event('over-release', flagged.overRelease, `${flagged.overRelease.length} item(s) from ${from} were beyond what federation ${federation} lets cross to ${mesh.code}: refused, not dropped.`);
  event('tampered-item', flagged.tampered, `${flagged.tampered.length} item(s) carried by ${agent} from ${from} failed their own integrity check.`);
  event('purged-redelivery', flagged.purged, `${flagged.purged.length} observation(s) purged on a federation's exit were delivered again by ${from}.`);
  event('revoked-credential', flagged.revoked, `${flagged.revoked.length} item(s) from ${from} were signed under a device credential revoked at or before they were made.`);
  event('unknown-credential', flagged.unknownCredential, `${flagged.unknownCredential.length} item(s) from ${from} name a device credential their originating mesh did not issue to their device, or one the bundle does not carry.`);
  event('translation-loss', flagged.lost, `${flagged.lost.length} item(s) from ${from} hold terms with no mapping here; they wait in quarantine.`);
  return { counts, outcomes };
}

/**
 * The item refusals that say its device credential is not one the originator's authority issued
 * to that device (not carried, another device's, or not under the partner's anchor): an
 * `unknown-credential` event (0005 "Integrity, taint, tombstones"). Expired or not-yet-valid
 * credentials are refused by name but raise no event: a stale record is not an attack.
 */
const UNKNOWN_CREDENTIAL_REASONS: ReadonlySet<string> = new Set(['unknown-certificate', 'unknown-issuer', 'wrong-principal']);

function storeVerdict(op: Operation, parts: CrossingParts, facts: Admission, line: number, verdict: ItemVerdict, termsWritten: Set<string>): void {
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
    alternativeLabel: alternative === null ? null : canonicalOfShared(alternative),
    translations: canonicalize(translations),
    attestations: canonicalize(attestations),
    caveats: canonicalOfShared(verdict.rule.caveats),
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
      record: verdict.recordText ?? canonicalize(verdict.record),
      certificatePem: verdict.certificatePem,
      reason: 'translation-loss',
      missing: canonicalize(verdict.missing),
      crossing: canonicalize(crossingOf(null, [], [])),
      heldAt: at,
    });
    return;
  }
  // Each device certificate once per admission: parsing it costs more than the rest of the item.
  if (!facts.storedCertificates.has(verdict.certificatePem)) {
    storeForeignCertificate(op, verdict.certificatePem, verdict.record.mesh, at);
    facts.storedCertificates.add(verdict.certificatePem);
  }
  appendObservations(db, [observationRow(verdict.record, verdict.id, facts.now, verdict.recordText)]);
  insertCrossing(db, {
    observationId: verdict.id,
    ...crossingOf(verdict.translation.alternative, verdict.translation.translations, verdict.translation.attestations),
    outcome: verdict.outcome,
    admittedAt: at,
  }, termsWritten);
  if (verdict.taint) parts.markTainted(op, verdict.id, verdict.taint.evidence, facts.now);
}

/**
 * The canonical text of a value the records of a bundle share and nobody changes: the
 * translator's alternative label for a label it has seen (taxonomy-service.ts translatorFor
 * shares one answer per label) and the scope rule's caveats. Written once per value, not per row.
 */
const sharedTexts = new WeakMap<object, string>();
function canonicalOfShared(value: unknown): string {
  if (typeof value !== 'object' || value === null) return canonicalize(value);
  let text = sharedTexts.get(value);
  if (text === undefined) sharedTexts.set(value, (text = canonicalize(value)));
  return text;
}

/** Keeps a partner device's certificate beside what it attested (the chain was checked against the partner's anchor). */
export function storeForeignCertificate(op: Operation, pem: string, mesh: string, at: string): void {
  const certificate = parseCertificate(pem);
  insertCertificate(op.write, {
    sha256: certificate.sha256,
    mesh,
    // A decision's signer is an operator (docs/decisions/0007); its certificate is filed as one.
    role: certificate.principal?.role === 'operator' ? 'operator' : 'device',
    principal: certificate.principal?.id ?? certificate.subject,
    serial: normaliseSerial(certificate.serial),
    notBefore: new Date(certificate.notBefore).toISOString(),
    notAfter: new Date(certificate.notAfter).toISOString(),
    pem,
    addedAt: at,
  });
}

export function zeroCounts(): ImportCounts {
  return { admitted: 0, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 };
}

async function receiptFor(op: Operation, row: BundleImportRow, log: Log, now: Date): Promise<DsseEnvelope> {
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
  return signReceipt(body, { key: log.signer.key, keyid: log.signer.certificateSha256 });
}
