/**
 * Recording and checking governed observations in this workspace: a device's new observation
 * is labelled, stamped, signed with the device's key and stored; every stored observation can
 * be re-verified against the mesh's credentials as they stand now.
 */
import type { KeyObject } from 'node:crypto';
import type { AuditDraft } from '../../audit/entry.js';
import { CANONICAL_MAX_DEPTH, canonicalize } from '../../canonical/jcs.js';
import { isNestedDeeperThan } from '../../canonical/quick-shape.js';
import { JsonError, readStrictJson } from '../../canonical/strict-json.js';
import { Refused } from '../../common/refused.js';
import type { ChainVerifier } from '../../credentials/index.js';
import { LabelError, labelFromXml, markingOf, NATO_POLICY, validateLabel, type ConfidentialityLabel, type LabelPolicy } from '../../labels/index.js';
import { indexedCopies, misindexedField, ObservationVerifier, signObservation, type CredentialCheck, type Derivation, type GovernedObservation, type UnsignedObservation, type VerifyResult } from '../../observation/index.js';
import { readCertificate, readPrincipal, type MeshRow } from '../../store/mesh-store.js';
import { appendObservations, hasObservation, iterateObservationRecords, orphanSourceEdges, readObservation, type ObservationRow, type RowRange } from '../../store/observation-store.js';
import { readPictureCandidate, strayPictureClaims } from '../../store/reconcile-store.js';
import { tick } from '../../time/hlc.js';
import { meshClock } from '../time/mesh-clock.js';
import { signerRole } from '../../reconcile/decision.js';
import type { Log } from '../context/log.js';
import type { Operation, ReadOperation } from '../context/operation.js';
import { standingOf, type StandingView } from '../integrity/standing.js';
import { labelPolicyOf, loadChainVerifier } from '../credentials/credentials-service.js';
import { partnerChains } from '../federations/partner-chains.js';
import { crossingParts } from '../crossing/wiring.js';
import { indexStoredObservations } from '../sync-index/maintain.js';
import { misclaimedField, miscopiedField } from '../reconcile/candidates.js';
import { keepPicture } from '../reconcile/keep.js';
import { foreignOrigin, type ForeignOriginView } from './foreign-origin.js';
import type { ObservationPresenter, VerificationView } from './observation-views.js';
import { symbolBook } from './symbol-book.js';

export interface ObserveRequest {
  readonly device: string;
  readonly class: string;
  readonly subject: string;
  readonly labelText: string;
  readonly payloadText: string;
  readonly derivedFrom: readonly string[];
  readonly derivation: { name: string; version: string } | null;
}

export async function observe(op: Operation, request: ObserveRequest): Promise<{ id: string; record: GovernedObservation }> {
  const { mesh } = op.mesh();
  const db = op.write;
  const principal = readPrincipal(db, 'device', request.device);
  if (!principal) throw new Refused('not-enrolled', `No device ${request.device} is enrolled in mesh ${mesh.code}.`);
  const certificate = readCertificate(db, principal.certificateSha256)!;
  const now = op.clock.wall();

  // A revoked or expired device is refused before anything is signed.
  const chains = loadChainVerifier(op);
  const untrusted = chains.refusedCrls[0];
  if (untrusted) throw new Refused('untrusted-crl', `A stored revocation list is not trustworthy, so revocation cannot be checked: ${untrusted.message}`);
  const standing = chains.verify(certificate.pem, { role: 'device', at: now, admittedAt: now });
  if (!standing.ok) throw new Refused(standing.reason, `Device ${request.device} cannot record observations: ${standing.message}`);

  const label = parseLabel(request.labelText, policiesOf(mesh));
  const payload = parseJson(request.payloadText, 'payload');
  const sources = [...new Set(request.derivedFrom)].sort();
  const missing = sources.filter((id) => !hasObservation(db, id));
  if (missing.length > 0) throw new Refused('unknown-source', `This workspace holds no observation ${missing[0]}; a derived observation must name sources it holds.`);
  if (sources.length > 0 && request.derivation === null) throw new Refused('derivation-required', 'A derived observation must name its derivation function (--fn NAME[@VERSION]).');

  const key = await op.keyring.key(principal.certificateSha256);
  const log = await op.log();
  const who = { mesh: mesh.code, role: 'device' as const, id: request.device, certificate: principal.certificateSha256 };
  return storeOwnObservation(
    op,
    { subject: request.subject, class: request.class, payload: payload as UnsignedObservation['payload'], label, signer: { id: request.device, certificateSha256: principal.certificateSha256 }, sources, derivation: request.derivation },
    { key, chains, log, now },
    (id): AuditDraft[] => [
      {
        type: 'observation',
        who,
        what: {
          ids: [id, ...sources],
          subject: request.subject,
          detail: request.derivation ? { class: request.class, derivation: `${request.derivation.name}@${request.derivation.version}` } : { class: request.class },
        },
        why: { reasons: [sources.length > 0 ? 'derived' : 'recorded'] },
      },
    ],
  );
}

/** One of this mesh's own observations before it is stamped and signed: by a device, or an operator's decision. */
export interface OwnObservationDraft {
  readonly subject: string;
  readonly class: string;
  readonly payload: UnsignedObservation['payload'];
  readonly label: ConfidentialityLabel;
  /** The principal who signs it (a device, or an operator for a decision) and its certificate. */
  readonly signer: { readonly id: string; readonly certificateSha256: string };
  /** Sorted and unique. */
  readonly sources: readonly string[];
  readonly derivation: Derivation | null;
}

/**
 * Stamps, signs, checks as a receiver would, stores and logs one of this mesh's own observations,
 * with what is kept beside every stored observation (the sync index, the joint picture), all in one
 * transaction begun IMMEDIATE: the stamp is taken from the newest stored one under the write lock,
 * so another process recording on this home waits, and two processes never stamp the same value.
 */
export function storeOwnObservation(
  op: Operation,
  draft: OwnObservationDraft,
  signing: { readonly key: KeyObject; readonly chains: ChainVerifier; readonly log: Log; readonly now: Date },
  entries: (id: string) => AuditDraft[],
): { id: string; record: GovernedObservation } {
  const { mesh } = op.mesh();
  const db = op.write;
  const { key, chains, log, now } = signing;
  return db.transaction(() => {
    const unsigned: UnsignedObservation = {
      v: 1,
      mesh: mesh.code,
      subject: draft.subject,
      class: draft.class,
      payload: draft.payload,
      label: draft.label,
      time: { reference: 'local', wall: now.toISOString(), hlc: tick(meshClock(db, mesh.code, now), now.getTime()) },
      authority: { anchor: mesh.anchorSha256, issuer: mesh.issuerSha256 },
      device: { id: draft.signer.id, certificate: draft.signer.certificateSha256 },
      lineage: { device: draft.signer.id, sources: [...draft.sources], derivation: draft.derivation },
    };
    const record = signObservation(unsigned, key);
    // Verify what we are about to store exactly as a receiver would.
    const checked = new ObservationVerifier(credentialCheckFor(op, chains)).verify(record, now);
    if (!checked.ok) throw new Refused(checked.reason, checked.message);
    appendObservations(db, [observationRow(record, checked.id, now)]);
    indexStoredObservations(op, crossingParts, [checked.id], now);
    keepPicture(op, log, [checked.id], now);
    log.append(entries(checked.id), now);
    return { id: checked.id, record };
  }).immediate();
}

export interface VerifyAllReport {
  readonly checked: number;
  readonly verified: number;
  readonly failures: readonly { id?: string; reason: string; message: string }[];
}

export async function verifyAll(op: ReadOperation): Promise<VerifyAllReport> {
  const chains = loadChainVerifier(op);
  const part = await verifyStored(op, chains);
  return { ...part, failures: [...untrustedCrlFailures(chains), ...part.failures, ...orphanEdgeFailures(op), ...strayClaimFailures(op)] };
}

/**
 * Source edges under an id the store does not hold belong to no record, so no record's check
 * meets them; the exit's purge walks these edges, so each is named (a wrecked table, up to 100).
 */
export function orphanEdgeFailures(op: ReadOperation): { id: string; reason: string; message: string }[] {
  return orphanSourceEdges(op.read, 100).map(({ observationId, sourceId }) => ({
    id: observationId,
    reason: 'index-mismatch',
    message: `The store files ${sourceId.slice(0, 16)}… as a source of ${observationId.slice(0, 16)}…, but it holds no observation ${observationId.slice(0, 16)}…: the edge was put in the file outside Entente.`,
  }));
}

/**
 * A claim on a field its mesh never asserted about the subject would put that field in the
 * picture with no observation behind it; no record's check meets it (up to 100 are named).
 */
export function strayClaimFailures(op: ReadOperation): { id: string; reason: string; message: string }[] {
  return strayPictureClaims(op.read, 100).map(({ subject, field, mesh, observation }) => ({
    id: observation,
    reason: 'index-mismatch',
    message: `The store files a claim of ${mesh} on field ${JSON.stringify(field)} of ${subject} naming ${observation.slice(0, 16)}…, but no observation of ${mesh} about ${subject} asserts that field: the claim was put in the file outside Entente.`,
  }));
}

/** A stored CRL that does not verify means someone edited the file: named first, with no id. */
export function untrustedCrlFailures(chains: ChainVerifier): { reason: string; message: string }[] {
  return chains.refusedCrls.map((r) => ({ reason: 'untrusted-crl', message: `A stored revocation list is not trustworthy: ${r.message}` }));
}

/** Verifies the stored observations in `range` (all of them without one), in storage order. */
export async function verifyStored(op: ReadOperation, chains: ChainVerifier = loadChainVerifier(op), range?: RowRange): Promise<VerifyAllReport> {
  const verify = await storedVerifier(op, chains);
  const failures: { id?: string; reason: string; message: string }[] = [];
  let checked = 0;
  let verified = 0;
  for (const row of iterateObservationRecords(op.read, range)) {
    checked += 1;
    const result = verify(row);
    if (result.ok) verified += 1;
    else failures.push({ id: row.id, reason: result.reason, message: result.message });
  }
  return { checked, verified, failures };
}

/**
 * Verifies stored rows: the record against its admission time, that it is what its id says, and
 * that every copy filed beside it (the indexed columns, the source edges) says what it says.
 */
export async function storedVerifier(op: ReadOperation, chains: ChainVerifier = loadChainVerifier(op)): Promise<(row: ObservationRow) => VerifyResult> {
  const verifier = new ObservationVerifier(credentialCheckFor(op, chains));
  // Rows written in one transaction share their admission time: parse it once for them.
  let lastStoredAt = '';
  let admittedAt = new Date(Number.NaN);
  return (row) => {
    const { id, record: recordText, storedAt } = row;
    if (storedAt !== lastStoredAt) {
      lastStoredAt = storedAt;
      admittedAt = new Date(storedAt);
    }
    // Stored text was written canonical by us. Plain JSON.parse is enough here: whatever an editor
    // of the file put in, only the canonical form of what parses is checked against the signature.
    let record: unknown;
    try {
      record = JSON.parse(recordText);
    } catch (error) {
      return { ok: false, id, reason: 'malformed-record', message: `The stored record is not JSON: ${(error as Error).message}.` };
    }
    const result = verifier.verify(record, admittedAt);
    if (result.ok && result.id !== id) {
      return { ok: false, id, reason: 'id-mismatch', message: `The stored record hashes to ${result.id}, not to the id it is stored under.` };
    }
    // The verifier names the record by what its content hashes to; an edited row is listed under its stored id.
    if (!result.ok && result.id !== undefined && result.id !== id) {
      return { ...result, id, message: `${result.message} Its content now hashes to ${result.id.slice(0, 16)}…, not to its id: the row was edited in the file.` };
    }
    // Readers find and list a record by these copies: one that differs would pin a forged subject or source on a verified record.
    const misindexed = result.ok ? misindexedField(row, result.record) : null;
    if (misindexed) {
      return {
        ok: false,
        id,
        reason: 'index-mismatch',
        message: `Observation ${id.slice(0, 16)}… is filed in the store under ${misindexed.field} ${JSON.stringify(misindexed.stored)}, but its signed record says ${JSON.stringify(misindexed.actual)}: the copy beside the record was edited in the file.`,
      };
    }
    const copy = result.ok ? readPictureCandidate(op.read, row.subject, id) : undefined;
    if (result.ok && !copy) {
      return { ok: false, id, reason: 'index-mismatch', message: `Observation ${id.slice(0, 16)}… has no copy for the joint picture beside its record, so the picture leaves it out: the row was put in the file, or its copy removed, outside Entente.` };
    }
    const miscopied = result.ok && copy ? miscopiedField(copy, id, result.record) : null;
    if (miscopied) {
      return {
        ok: false,
        id,
        reason: 'index-mismatch',
        message: `Observation ${id.slice(0, 16)}…'s copy for the joint picture says ${miscopied.field} ${JSON.stringify(miscopied.stored)?.slice(0, 200)}, but its signed record says ${JSON.stringify(miscopied.actual)?.slice(0, 200)}: the copy beside the record was edited in the file.`,
      };
    }
    const misclaimed = result.ok && copy ? misclaimedField(op.read, row.subject, copy) : null;
    if (misclaimed) {
      return { ok: false, id, reason: 'index-mismatch', message: `Observation ${id.slice(0, 16)}… ${misclaimed}: the joint picture's claims were edited in the file.` };
    }
    return result;
  };
}

/** What the console needs to show stored observations. */
export async function observationPresenter(op: ReadOperation): Promise<ObservationPresenter> {
  const { mesh } = op.mesh();
  const policies = policiesOf(mesh);
  const verify = await storedVerifier(op);
  const symbolOf = symbolBook(op);
  return {
    symbolOf,
    standing: (id: string) => standingOf(op.read, id, verify),
    verify: (row: ObservationRow) => {
      const result = verify(row);
      return result.ok ? { ok: true, reason: null, message: null } : { ok: false, reason: result.reason, message: result.message };
    },
    marking: (label: unknown) => {
      const typed = label as ConfidentialityLabel;
      return markingOf(typed, policies.find((p) => p.id === typed.policy.id));
    },
  };
}

/**
 * One stored observation as `entente show` prints it: the record, its sources as the record
 * names them (not the edges filed beside it), its verification, so an edited row is flagged, and
 * its standing over its whole lineage, so a source edited, purged or tainted is flagged too.
 */
export async function showObservation(
  op: ReadOperation,
  id: string,
): Promise<{ row: ObservationRow; record: GovernedObservation; sources: readonly string[]; verification: VerificationView; standing: StandingView; foreign: ForeignOriginView | null }> {
  const row = readObservation(op.read, id);
  if (!row) throw new Refused('not-found', `No observation ${id} is stored in this workspace.`);
  let record: unknown;
  try {
    record = JSON.parse(row.record);
  } catch {
    throw new Refused('malformed-record', `Observation ${id.slice(0, 16)}… is stored as something that is not JSON: the file was edited (entente verify names it).`);
  }
  // Printing it would recurse through every level; a record we stored nests a few dozen at most.
  if (isNestedDeeperThan(record, CANONICAL_MAX_DEPTH)) {
    throw new Refused('malformed-record', `Observation ${id.slice(0, 16)}… is stored nested deeper than ${CANONICAL_MAX_DEPTH} levels: the file was edited (entente verify names it).`);
  }
  const verify = await storedVerifier(op);
  const result = verify(row);
  const verification = result.ok ? { ok: true, reason: null, message: null } : { ok: false, reason: result.reason, message: result.message };
  const sources = result.ok ? result.record.lineage.sources : ((record as Partial<GovernedObservation>).lineage?.sources ?? []);
  const shaped = record as Partial<GovernedObservation>;
  // The record's own mesh says whose it is (a row's copy could be edited); how it crossed is the crossing's row.
  const foreign = typeof shaped.mesh === 'string' ? foreignOrigin(op.read, op.mesh().mesh.code, id, { mesh: shaped.mesh, label: shaped.label }) : null;
  return { row, record: record as GovernedObservation, sources, verification, standing: standingOf(op.read, id, verify), foreign };
}

export function credentialCheckFor(op: ReadOperation, chains: ChainVerifier): CredentialCheck {
  const db = op.read;
  // Certificates never change once stored: read each from the store once per verifier.
  const certificates = new Map<string, ReturnType<typeof readCertificate>>();
  const ownMesh = op.mesh().mesh.code;
  const partners = partnerChains(db);
  return (record, admittedAt, query) => {
    let certificate = certificates.get(record.device.certificate);
    if (!certificates.has(record.device.certificate)) {
      certificate = readCertificate(db, record.device.certificate);
      certificates.set(record.device.certificate, certificate);
    }
    if (!certificate || certificate.role !== signerRole(record.class) || certificate.principal !== record.device.id || certificate.mesh !== record.mesh) {
      return { ok: false, reason: 'unknown-certificate', message: `The device certificate ${record.device.certificate.slice(0, 16)}… is not one ${record.mesh} issued to ${record.device.id}.` };
    }
    // A partner's device chains to the anchor on that partner's card, not to ours.
    const chain = record.mesh === ownMesh ? chains : partners(record.mesh);
    if (!chain) return { ok: false, reason: 'unknown-partner', message: `No federation on record names ${record.mesh}, so its credentials cannot be checked.` };
    const result = chain.verify(certificate.pem, { role: signerRole(record.class), at: query.observedAt, admittedAt });
    return result.ok ? { ok: true, publicKey: result.publicKey } : result;
  };
}

export function policiesOf(mesh: MeshRow): LabelPolicy[] {
  return [NATO_POLICY, labelPolicyOf(mesh)];
}

/** A label file is the JSON form, or STANAG 4774 XML (recognised by its leading '<'). */
export function parseLabel(text: string, policies: readonly LabelPolicy[]): ConfidentialityLabel {
  try {
    const candidate = text.trimStart().startsWith('<') ? labelFromXml(text) : readStrictJson(text, { maxBytes: 64 * 1024, maxDepth: 8 });
    return validateLabel(candidate, policies);
  } catch (error) {
    if (error instanceof LabelError) throw new Refused(error.reason, error.message);
    if (error instanceof JsonError) throw new Refused(error.reason, `The label: ${error.message}`);
    throw error;
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return readStrictJson(text);
  } catch (error) {
    if (error instanceof JsonError) throw new Refused(error.reason, `The ${what}: ${error.message}`);
    throw error;
  }
}

/** The store's row for a verified record: the canonical record plus its indexed columns. */
/** `canonicalText`, when the caller already wrote the record's canonical form (plain-shape.ts textsOfPlain), is used as it is. */
export function observationRow(record: GovernedObservation, id: string, storedAt: Date, canonicalText?: string): ObservationRow {
  return { id, ...indexedCopies(record), record: canonicalText ?? canonicalize(record), storedAt: storedAt.toISOString() };
}

