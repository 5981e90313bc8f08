/**
 * Federations over the store: proposing, signing, exchanging and withdrawing declarations, the
 * lifecycle computed on every read, the crossing question answered from active versions only,
 * and the exit semantics executed (never left to diligence) once a federation expires or a
 * partner withdraws. Every step is recorded in the reconciliation log.
 */
import { randomBytes } from 'node:crypto';
import { canonicalize } from '../canonical/jcs.js';
import { readStrictJson, JsonError } from '../canonical/strict-json.js';
import { checkCard } from '../federation/card.js';
import { DEFAULT_TAXONOMY, DECLARATION_TYPE, DeclarationError, declarationDigest, parseDeclaration, type Declaration, type MeshCard } from '../federation/declaration.js';
import { EXCHANGE_TYPE, parseExchange, readWithdrawal, signWithdrawal, type FederationExchange } from '../federation/exchange.js';
import { admitVersion, evaluate, mayCross, type CrossingVerdict, type Evaluation, type FederationRecord } from '../federation/lifecycle.js';
import { signatureReport, signDeclaration } from '../federation/signatures.js';
import type { WriteDb as Db } from '../store/database.js';
import { hasActivationEntry } from '../store/audit-store.js';
import { insertSignatures, insertVersion, insertWithdrawal, listFederationIds, raiseTimeFloor, readFederation, readTimeFloor } from '../store/federation-store.js';
import { listCertificates, readCertificate } from '../store/mesh-store.js';
import { appendToLog, authorityActor, authoritySigner, type LogSigner } from './audit-service.js';
import { Refused } from '../common/refused.js';
import { requireMesh } from './credentials-service.js';
import { executeDueExits } from './federation-exit.js';
import { summaryOf, type FederationSummary } from './federation-views.js';

/**
 * Now, as this workspace trusts it: never earlier than a moment it has already seen. Setting
 * the workstation clock back cannot re-open an expired federation.
 */
export function trustedNow(db: Db, clock: Date = new Date()): Date {
  const floor = readTimeFloor(db);
  const now = floor && floor > clock.toISOString() ? new Date(floor) : clock;
  raiseTimeFloor(db, now.toISOString());
  return now;
}

/** This mesh's public card (what `entente mesh card` writes and partners put in declarations). */
export function meshCard(db: Db): MeshCard {
  const mesh = requireMesh(db);
  return {
    type: 'entente.mesh-card/v1',
    mesh: mesh.code,
    displayName: mesh.displayName,
    trustAnchor: { sha256: mesh.anchorSha256, pem: readCertificate(db, mesh.anchorSha256)!.pem },
    intermediates: listCertificates(db, mesh.code, ['ca']).map((c) => ({ sha256: c.sha256, pem: c.pem })),
    taxonomy: { classes: [...DEFAULT_TAXONOMY] },
    labelPolicy: JSON.parse(mesh.labelPolicy) as unknown,
  };
}

export function federationRecords(db: Db): FederationRecord[] {
  return listFederationIds(db).map((id) => federationRecord(db, id)!);
}

function federationRecord(db: Db, id: string): FederationRecord | null {
  const stored = readFederation(db, id);
  if (!stored) return null;
  return {
    id,
    // Stored versions were validated when they arrived; they are read back as they were signed.
    versions: stored.versions.map((v) => ({ declaration: JSON.parse(v.declaration) as Declaration, digest: v.digest, signatures: v.signatures })),
    withdrawals: stored.withdrawals.map(({ partner, at, reason }) => ({ partner, at, reason })),
    exits: stored.exits.map(({ partner, executedAt }) => ({ partner, at: executedAt })),
  };
}

function requireRecord(db: Db, id: string): FederationRecord {
  const record = federationRecord(db, id);
  if (!record) throw new Refused('unknown-federation', `This workspace holds no federation ${id}.`);
  return record;
}

export interface ProposalOptions {
  readonly partners: readonly unknown[];
  readonly purpose: string;
  readonly classes: readonly string[];
  readonly ceiling: string;
  readonly expires: string;
  readonly exit: 'purge' | 'retain';
}

/** A declaration from the CLI's flags: the same scope both ways between this mesh and each partner. */
export function declarationFromOptions(db: Db, options: ProposalOptions, now: Date): unknown {
  if (!(Date.parse(options.expires) > now.getTime())) throw new Refused('expired-declaration', `The expiry ${options.expires} is not in the future; a federation cannot start expired.`);
  const own = meshCard(db);
  const cards = options.partners as MeshCard[];
  const meshes = [own.mesh, ...cards.map((c) => (c as { mesh?: unknown }).mesh as string)];
  return {
    type: DECLARATION_TYPE,
    id: `${own.mesh.toLowerCase()}-${randomBytes(4).toString('hex')}`,
    version: 1,
    purpose: options.purpose,
    partners: [own, ...cards].map((card) => ({ mesh: (card as { mesh?: unknown }).mesh, card, releaseAuthority: `${(card as { mesh?: unknown }).mesh} mesh authority` })),
    scope: meshes.flatMap((from) =>
      meshes.filter((to) => to !== from).map((to) => ({ from, to, classes: options.classes, ceiling: { policy: 'NATO', classification: options.ceiling }, caveats: [], onwardRelease: 'forbidden' })),
    ),
    validity: { start: now.toISOString(), expires: options.expires },
    arbitration: { policy: 'originator-wins', divergenceThreshold: 0.2 },
    resynchronisation: { priority: [...options.classes], backlogLimit: 10_000, maxAgeSeconds: 86_400 },
    silenceToleranceSeconds: 300,
    disconnectionWindows: [],
    exit: options.classes.map((cls) => ({ class: cls, action: options.exit, derived: options.exit, ...(options.exit === 'retain' ? { handling: 'kept under the originator’s label, no onward release' } : {}) })),
  };
}

/** Checks a declaration as this mesh must before signing or storing it. */
function judgeDeclaration(db: Db, candidate: unknown, now: Date): Declaration {
  let declaration: Declaration;
  try {
    declaration = parseDeclaration(candidate);
  } catch (error) {
    if (error instanceof DeclarationError) throw new Refused(error.reason, error.message);
    throw error;
  }
  const mesh = requireMesh(db);
  const own = declaration.partners.find((p) => p.mesh === mesh.code);
  if (!own) throw new Refused('not-a-partner', `Mesh ${mesh.code} is not a partner of federation ${declaration.id}.`);
  if (own.card.trustAnchor.sha256 !== mesh.anchorSha256) {
    throw new Refused('card-mismatch', `The declaration gives ${mesh.code} trust anchor ${own.card.trustAnchor.sha256.slice(0, 16)}…, but this mesh's is ${mesh.anchorSha256.slice(0, 16)}….`);
  }
  for (const partner of declaration.partners) {
    const check = checkCard(partner.card);
    if (!check.ok) throw new Refused(check.reason, check.message);
  }
  if (Date.parse(declaration.validity.expires) <= now.getTime()) {
    throw new Refused('expired-declaration', `Federation ${declaration.id} version ${declaration.version} expired at ${declaration.validity.expires}; it can never be activated.`);
  }
  return declaration;
}

function recordFederationEvent(db: Db, signer: LogSigner, declaration: Declaration, reasons: string[], text: string, now: Date, detail: Record<string, string | number> = {}): void {
  const mesh = requireMesh(db);
  appendToLog(
    db,
    signer,
    [{ type: 'federation', who: authorityActor(mesh), what: { ids: [declarationDigest(declaration)], federation: declaration.id, detail: { version: declaration.version, ...detail } }, why: { reasons, text } }],
    now,
  );
}

/** Stores a new version (or a known one), checked against what is on record. */
function admit(db: Db, declaration: Declaration, now: Date): { known: boolean } {
  const digest = declarationDigest(declaration);
  const admission = admitVersion(federationRecord(db, declaration.id), declaration, digest, now);
  if (!admission.ok) throw new Refused(admission.reason, admission.message);
  if (!admission.known) insertVersion(db, { id: declaration.id, version: declaration.version, digest, declaration: canonicalize(declaration), receivedAt: now.toISOString() });
  return admission;
}

export function propose(db: Db, candidate: unknown, passphrase: string | null, clock?: Date): { id: string; version: number; digest: string } {
  const now = trustedNow(db, clock);
  const declaration = judgeDeclaration(db, candidate, now);
  const signer = authoritySigner(db, passphrase);
  db.transaction(() => {
    admit(db, declaration, now);
    insertSignatures(db, declaration.id, declaration.version, [signDeclaration(declaration, { keyid: signer.certificateSha256, key: signer.key })], now.toISOString());
    recordFederationEvent(db, signer, declaration, ['proposed'], `Proposed version ${declaration.version} and signed it for ${requireMesh(db).code}.`, now);
    afterChange(db, signer, declaration.id, now);
  })();
  return { id: declaration.id, version: declaration.version, digest: declarationDigest(declaration) };
}

/** Signs the newest version on record for this mesh. */
export function sign(db: Db, id: string, passphrase: string | null, clock?: Date): Evaluation {
  const now = trustedNow(db, clock);
  const record = requireRecord(db, id);
  const latest = record.versions.at(-1)!;
  const declaration = judgeDeclaration(db, latest.declaration, now);
  const mesh = requireMesh(db);
  const ours = evaluate(record, now).signatures.partners.find((p) => p.mesh === mesh.code);
  if (ours?.state === 'signed') throw new Refused('already-signed', `${mesh.code} has already signed version ${declaration.version} of ${id}.`);
  const signer = authoritySigner(db, passphrase);
  db.transaction(() => {
    insertSignatures(db, id, declaration.version, [signDeclaration(declaration, { keyid: signer.certificateSha256, key: signer.key })], now.toISOString());
    recordFederationEvent(db, signer, declaration, ['signed'], `Signed version ${declaration.version} for ${requireMesh(db).code}.`, now);
    afterChange(db, signer, id, now);
  })();
  return evaluate(requireRecord(db, id), now);
}

/** The file that carries a federation to the other partners: the newest version, its signatures, withdrawals. */
export function exportFederation(db: Db, id: string): FederationExchange {
  const stored = readFederation(db, id);
  if (!stored) throw new Refused('unknown-federation', `This workspace holds no federation ${id}.`);
  const latest = stored.versions.at(-1)!;
  return { type: EXCHANGE_TYPE, declaration: JSON.parse(latest.declaration) as unknown, signatures: latest.signatures, withdrawals: stored.withdrawals.map((w) => JSON.parse(w.envelope) as unknown) };
}

/** Takes in a partner's file: a new or known version, the signatures that verify, and signed withdrawals. */
export function importFederation(db: Db, text: string, passphrase: string | null, clock?: Date): Evaluation {
  const now = trustedNow(db, clock);
  let json: unknown;
  try {
    json = readStrictJson(text, { maxBytes: 4 * 1024 * 1024 });
  } catch (error) {
    if (error instanceof JsonError) throw new Refused('malformed-file', `The federation file: ${error.message}`);
    throw error;
  }
  const exchange = parseExchange(json);
  if (!exchange.ok) throw new Refused('malformed-file', exchange.message);
  const { signatures, withdrawals } = exchange.value;
  const record = federationRecord(db, (exchange.value.declaration as { id?: string } | null)?.id ?? '');
  // A withdrawn partner's later signatures change nothing, but its withdrawal must still arrive.
  const declaration = judgeDeclarationForImport(db, exchange.value.declaration, now, record);
  const previous = record?.versions.filter((v) => v.declaration.version < declaration.version).at(-1)?.declaration ?? null;
  const report = signatureReport(declaration, signatures, previous, now);
  for (const stray of report.unattributed) {
    const knownKey = declaration.partners.some((p) => p.card.trustAnchor.sha256 === stray.keyid || p.card.intermediates.some((i) => i.sha256 === stray.keyid));
    throw new Refused(
      knownKey ? 'bad-signature' : 'not-a-partner-signature',
      knownKey
        ? `A signature by ${stray.keyid.slice(0, 16)}… does not verify over this declaration: it was altered after signing.`
        : `A signature by ${stray.keyid.slice(0, 16)}… is by no partner of ${declaration.id}.`,
    );
  }
  const readings = withdrawals.map((w) => readWithdrawal(w, declaration, now));
  const refused = readings.find((r) => !r.ok);
  if (refused && !refused.ok) throw new Refused(refused.reason, refused.message);
  const signer = authoritySigner(db, passphrase);
  db.transaction(() => {
    admit(db, declaration, now);
    const added = insertSignatures(db, declaration.id, declaration.version, signatures, now.toISOString());
    recordFederationEvent(db, signer, declaration, ['imported'], `Imported version ${declaration.version} with ${added} new signature(s).`, now, { signatures: signatures.length });
    for (const reading of readings) {
      if (!reading.ok) continue;
      const body = reading.body;
      if (insertWithdrawal(db, { id: declaration.id, partner: body.partner, reason: body.reason, at: body.at, envelope: canonicalize(reading.envelope) })) {
        recordFederationEvent(db, signer, declaration, ['partner-withdrew'], `${body.partner} withdrew: ${body.reason}`.slice(0, 1000), now, { partner: body.partner });
      }
    }
    afterChange(db, signer, declaration.id, now);
  })();
  return evaluate(requireRecord(db, declaration.id), now);
}

function judgeDeclarationForImport(db: Db, candidate: unknown, now: Date, record: FederationRecord | null): Declaration {
  // A version already on record may be re-imported after expiry to carry a withdrawal; a new one may not.
  const known = record?.versions.find((v) => v.declaration.version === (candidate as { version?: unknown } | null)?.version);
  if (known && declarationDigestOf(candidate) === known.digest) return known.declaration;
  return judgeDeclaration(db, candidate, now);
}

function declarationDigestOf(candidate: unknown): string | null {
  try {
    return declarationDigest(parseDeclaration(candidate));
  } catch {
    return null;
  }
}

/** This mesh leaves: its authority signs the withdrawal, and the exit runs at once. */
export function withdraw(db: Db, id: string, reason: string, passphrase: string | null, clock?: Date): Evaluation {
  const now = trustedNow(db, clock);
  const record = requireRecord(db, id);
  const mesh = requireMesh(db);
  const declaration = record.versions.at(-1)!.declaration;
  if (record.withdrawals.some((w) => w.partner === mesh.code)) throw new Refused('already-withdrawn', `${mesh.code} already withdrew from ${id}.`);
  const signer = authoritySigner(db, passphrase);
  const envelope = signWithdrawal({ type: 'entente.federation-withdrawal/v1', federation: id, version: declaration.version, partner: mesh.code, reason, at: now.toISOString() }, { keyid: signer.certificateSha256, key: signer.key });
  db.transaction(() => {
    insertWithdrawal(db, { id, partner: mesh.code, reason, at: now.toISOString(), envelope: canonicalize(envelope) });
    recordFederationEvent(db, signer, declaration, ['withdrew'], reason.slice(0, 1000), now);
    afterChange(db, signer, id, now);
  })();
  return evaluate(requireRecord(db, id), now);
}

/** After any change: note activation, and run the exit of a federation that has ended. */
function afterChange(db: Db, signer: LogSigner, id: string, now: Date): void {
  const evaluation = evaluate(requireRecord(db, id), now);
  if (evaluation.state === 'active' && evaluation.inForce === evaluation.latest && evaluation.signatures.complete && !hasActivationEntry(db, id, evaluation.latest.declaration.version)) {
    recordFederationEvent(db, signer, evaluation.latest.declaration, ['activated'], `Every partner signed version ${evaluation.latest.declaration.version}; it is in force.`, now);
  }
  executeDueExits(db, signer, now);
}

/**
 * Every federation's state, as of the trusted now. Reading status is also when exits that fell
 * due run (the officer need not remember to): that needs the authority key, hence `signer`.
 */
export function federationStatus(db: Db, signer: LogSigner | null, clock?: Date): FederationSummary[] {
  const now = trustedNow(db, clock);
  if (signer) db.transaction(() => executeDueExits(db, signer, now))();
  return federationRecords(db).map((record) => summaryOf(record, now));
}

/** The question the boundary asks, from versions in force only. */
export function mayCrossNow(db: Db, from: string, to: string, cls: string, clock?: Date): CrossingVerdict {
  return mayCross(federationRecords(db), from, to, cls, trustedNow(db, clock));
}

export { authoritySigner };
