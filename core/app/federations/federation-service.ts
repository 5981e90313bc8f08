/**
 * Federations over the store: proposing, signing, exchanging and withdrawing declarations, the
 * lifecycle computed on every read, the crossing question answered from active versions only,
 * and the exit semantics executed (never left to diligence) once a federation expires or a
 * partner withdraws. Every step is recorded in the reconciliation log.
 */
import { randomBytes } from 'node:crypto';
import { canonicalize } from '../../canonical/jcs.js';
import { readStrictJson, JsonError } from '../../canonical/strict-json.js';
import { Refused } from '../../common/refused.js';
import { checkCard } from '../../federation/card.js';
import { DECLARATION_TYPE, DeclarationError, declarationDigest, parseDeclaration, type Declaration, type MeshCard } from '../../federation/declaration.js';
import { EXCHANGE_TYPE, parseExchange, readWithdrawal, signWithdrawal, type FederationExchange } from '../../federation/exchange.js';
import { admitVersion, evaluate, mayCross, type CrossingVerdict, type Evaluation, type FederationRecord } from '../../federation/lifecycle.js';
import { checkPinnedAnchors } from '../../federation/pinning.js';
import { signatureReport, signDeclaration } from '../../federation/signatures.js';
import { hasActivationEntry, hasClockJumpEntry } from '../../store/audit-store.js';
import type { WriteDb } from '../../store/database.js';
import { insertSignatures, insertVersion, insertWithdrawal, movePin, pinAnchor, readFederation, readPinnedAnchors } from '../../store/federation-store.js';
import type { ClockJump } from '../context/clock.js';
import { authorityActor, type Log } from '../context/log.js';
import type { MeshContext } from '../context/mesh-context.js';
import type { Operation, ReadOperation } from '../context/operation.js';
import { meshCard } from '../mesh/mesh-views.js';
import { dueExits, executeDueExits } from './federation-exit.js';
import { federationRecord, federationRecords, requireRecord } from './federation-records.js';
import { summaryOf, type FederationSummaryView } from './federation-views.js';

export interface ProposalOptions {
  readonly partners: readonly unknown[];
  readonly purpose: string;
  readonly classes: readonly string[];
  readonly ceiling: string;
  readonly expires: string;
  readonly exit: 'purge' | 'retain';
}

/** A declaration from the CLI's flags: the same scope both ways between this mesh and each partner. */
export function declarationFromOptions(op: ReadOperation, options: ProposalOptions, now: Date): unknown {
  if (!(Date.parse(options.expires) > now.getTime())) throw new Refused('expired-declaration', `The expiry ${options.expires} is not in the future; a federation cannot start expired.`);
  const own = meshCard(op);
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
export function judgeDeclaration(op: ReadOperation, candidate: unknown, now: Date): Declaration {
  let declaration: Declaration;
  try {
    declaration = parseDeclaration(candidate);
  } catch (error) {
    if (error instanceof DeclarationError) throw new Refused(error.reason, error.message);
    throw error;
  }
  const { mesh } = op.mesh();
  const own = declaration.partners.find((p) => p.mesh === mesh.code);
  if (!own) throw new Refused('not-a-partner', `Mesh ${mesh.code} is not a partner of federation ${declaration.id}.`);
  if (own.card.trustAnchor.sha256 !== mesh.anchorSha256) {
    throw new Refused('card-mismatch', `The declaration gives ${mesh.code} trust anchor ${own.card.trustAnchor.sha256.slice(0, 16)}…, but this mesh's is ${mesh.anchorSha256.slice(0, 16)}….`);
  }
  for (const partner of declaration.partners) {
    const check = checkCard(partner.card);
    if (!check.ok) throw new Refused(check.reason, check.message);
  }
  // Every mesh code keeps the anchor this home knows it by, across federations (ours included).
  const pins = new Map([...readPinnedAnchors(op.read), [mesh.code, mesh.anchorSha256]]);
  const previous = federationRecord(op.read, declaration.id)?.versions.filter((v) => v.declaration.version < declaration.version).at(-1)?.declaration ?? null;
  const pinned = checkPinnedAnchors(declaration, pins, previous);
  if (!pinned.ok) throw new Refused(pinned.reason, pinned.message);
  if (Date.parse(declaration.validity.expires) <= now.getTime()) {
    throw new Refused('expired-declaration', `Federation ${declaration.id} version ${declaration.version} expired at ${declaration.validity.expires}; it can never be activated.`);
  }
  return declaration;
}

function recordFederationEvent(log: Log, { mesh }: MeshContext, declaration: Declaration, reasons: string[], text: string, now: Date, detail: Record<string, string | number> = {}): void {
  log.append(
    [{ type: 'federation', who: authorityActor(mesh), what: { ids: [declarationDigest(declaration)], federation: declaration.id, detail: { version: declaration.version, ...detail } }, why: { reasons, text } }],
    now,
  );
}

/** Stores a new version (or a known one), checked against what is on record. */
function admit(db: WriteDb, declaration: Declaration, now: Date): { known: boolean } {
  const digest = declarationDigest(declaration);
  const admission = admitVersion(federationRecord(db, declaration.id), declaration, digest, now);
  if (!admission.ok) throw new Refused(admission.reason, admission.message);
  if (!admission.known) {
    insertVersion(db, { id: declaration.id, version: declaration.version, digest, declaration: canonicalize(declaration), receivedAt: now.toISOString() });
    for (const p of declaration.partners) pinAnchor(db, { mesh: p.mesh, anchor: p.card.trustAnchor.sha256, federation: declaration.id, at: now.toISOString() });
  }
  return admission;
}

export async function propose(op: Operation, candidate: unknown): Promise<{ id: string; version: number; digest: string }> {
  const db = op.write;
  const now = op.clock.advance(db);
  const declaration = judgeDeclaration(op, candidate, now);
  const log = await op.log();
  const { signer } = log;
  db.transaction(() => {
    admit(db, declaration, now);
    insertSignatures(db, declaration.id, declaration.version, [signDeclaration(declaration, { keyid: signer.certificateSha256, key: signer.key })], now.toISOString());
    recordFederationEvent(log, op.mesh(), declaration, ['proposed'], `Proposed version ${declaration.version} and signed it for ${op.mesh().mesh.code}.`, now);
    afterChange(op, log, declaration.id, now);
  })();
  return { id: declaration.id, version: declaration.version, digest: declarationDigest(declaration) };
}

/** Signs the newest version on record for this mesh. */
export async function sign(op: Operation, id: string): Promise<Evaluation> {
  const db = op.write;
  const now = op.clock.advance(db);
  const record = requireRecord(db, id);
  const latest = record.versions.at(-1)!;
  const declaration = judgeDeclaration(op, latest.declaration, now);
  const { mesh } = op.mesh();
  const ours = evaluate(record, now).signatures.partners.find((p) => p.mesh === mesh.code);
  if (ours?.state === 'signed') throw new Refused('already-signed', `${mesh.code} has already signed version ${declaration.version} of ${id}.`);
  const log = await op.log();
  const { signer } = log;
  db.transaction(() => {
    insertSignatures(db, id, declaration.version, [signDeclaration(declaration, { keyid: signer.certificateSha256, key: signer.key })], now.toISOString());
    recordFederationEvent(log, op.mesh(), declaration, ['signed'], `Signed version ${declaration.version} for ${mesh.code}.`, now);
    afterChange(op, log, id, now);
  })();
  return evaluate(requireRecord(db, id), now);
}

/** The file that carries a federation to the other partners: the newest version, its signatures, withdrawals. */
export function exportFederation(op: ReadOperation, id: string): FederationExchange {
  const stored = readFederation(op.read, id);
  if (!stored) throw new Refused('unknown-federation', `This workspace holds no federation ${id}.`);
  const latest = stored.versions.at(-1)!;
  return { type: EXCHANGE_TYPE, declaration: JSON.parse(latest.declaration) as unknown, signatures: latest.signatures, withdrawals: stored.withdrawals.map((w) => JSON.parse(w.envelope) as unknown) };
}

/** Takes in a partner's file: a new or known version, the signatures that verify, and signed withdrawals. */
export async function importFederation(op: Operation, text: string): Promise<Evaluation> {
  const db = op.write;
  const now = op.clock.advance(db);
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
  const declaration = judgeDeclarationForImport(op, exchange.value.declaration, now, record);
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
  const log = await op.log();
  db.transaction(() => {
    admit(db, declaration, now);
    const added = insertSignatures(db, declaration.id, declaration.version, signatures, now.toISOString());
    recordFederationEvent(log, op.mesh(), declaration, ['imported'], `Imported version ${declaration.version} with ${added} new signature(s).`, now, { signatures: signatures.length });
    for (const reading of readings) {
      if (!reading.ok) continue;
      const body = reading.body;
      if (insertWithdrawal(db, { id: declaration.id, partner: body.partner, reason: body.reason, at: body.at, envelope: canonicalize(reading.envelope) })) {
        recordFederationEvent(log, op.mesh(), declaration, ['partner-withdrew'], `${body.partner} withdrew: ${body.reason}`.slice(0, 1000), now, { partner: body.partner });
      }
    }
    afterChange(op, log, declaration.id, now);
  })();
  return evaluate(requireRecord(db, declaration.id), now);
}

function judgeDeclarationForImport(op: ReadOperation, candidate: unknown, now: Date, record: FederationRecord | null): Declaration {
  // A version already on record may be re-imported after expiry to carry a withdrawal; a new one may not.
  const known = record?.versions.find((v) => v.declaration.version === (candidate as { version?: unknown } | null)?.version);
  if (known && declarationDigestOf(candidate) === known.digest) return known.declaration;
  return judgeDeclaration(op, candidate, now);
}

function declarationDigestOf(candidate: unknown): string | null {
  try {
    return declarationDigest(parseDeclaration(candidate));
  } catch {
    return null;
  }
}

/** This mesh leaves: its authority signs the withdrawal, and the exit runs at once. */
export async function withdraw(op: Operation, id: string, reason: string): Promise<Evaluation> {
  const db = op.write;
  const now = op.clock.advance(db);
  const record = requireRecord(db, id);
  const { mesh } = op.mesh();
  const declaration = record.versions.at(-1)!.declaration;
  if (record.withdrawals.some((w) => w.partner === mesh.code)) throw new Refused('already-withdrawn', `${mesh.code} already withdrew from ${id}.`);
  const log = await op.log();
  const { signer } = log;
  const envelope = signWithdrawal({ type: 'entente.federation-withdrawal/v1', federation: id, version: declaration.version, partner: mesh.code, reason, at: now.toISOString() }, { keyid: signer.certificateSha256, key: signer.key });
  db.transaction(() => {
    insertWithdrawal(db, { id, partner: mesh.code, reason, at: now.toISOString(), envelope: canonicalize(envelope) });
    recordFederationEvent(log, op.mesh(), declaration, ['withdrew'], reason.slice(0, 1000), now);
    afterChange(op, log, id, now);
  })();
  return evaluate(requireRecord(db, id), now);
}

/** After any change: note activation, and run the exit of a federation that has ended. */
function afterChange(op: Operation, log: Log, id: string, now: Date): void {
  const db = op.write;
  const evaluation = evaluate(requireRecord(db, id), now);
  if (evaluation.state === 'active' && evaluation.inForce === evaluation.latest && evaluation.signatures.complete && !hasActivationEntry(db, id, evaluation.latest.declaration.version)) {
    recordFederationEvent(log, op.mesh(), evaluation.latest.declaration, ['activated'], `Every partner signed version ${evaluation.latest.declaration.version}; it is in force.`, now);
  }
  if (evaluation.inForce && evaluation.inForce === evaluation.latest) repinRotatedPartners(op, log, evaluation, now);
  const jump = op.clock.jump();
  recordClockJump(op, log, jump, now);
  executeDueExits(op, log, now, jump);
}

/** A jump of the wall clock past the bound is an integrity event: recorded once per trusted floor it left. */
function recordClockJump(op: Operation, log: Log, jump: ClockJump | null, now: Date): void {
  if (!jump || hasClockJumpEntry(op.write, jump.from.toISOString())) return;
  const hours = (jump.to.getTime() - jump.from.getTime()) / 3_600_000;
  log.append(
    [
      {
        type: 'integrity',
        who: authorityActor(op.mesh().mesh),
        what: { ids: [], detail: { floor: jump.from.toISOString(), wall: jump.to.toISOString(), aheadHours: Math.round(hours * 10) / 10, boundHours: jump.boundMs / 3_600_000 } },
        why: {
          reasons: ['clock-jump'],
          text: `The workstation clock reads ${jump.to.toISOString()}, ${hours.toFixed(1)} h past the last trusted time ${jump.from.toISOString()} (bound ${jump.boundMs / 3_600_000} h): the trusted time stays put and exits it would trigger are held until an operator confirms the clock.`,
        },
      },
    ],
    now,
  );
}

/**
 * The operator confirms the workstation clock after a jump: the trusted time rises to it, the
 * confirmation is logged, and the exits the jump held run now. Nothing to confirm without a jump.
 */
export async function confirmClock(op: Operation): Promise<{ confirmed: ClockJump | null; exited: string[] }> {
  const db = op.write;
  const jump = op.clock.jump();
  if (!jump) return { confirmed: null, exited: [] };
  const log = await op.log();
  let exited: string[] = [];
  db.transaction(() => {
    recordClockJump(op, log, jump, jump.to);
    op.clock.confirm(db);
    log.append(
      [{ type: 'integrity', who: authorityActor(op.mesh().mesh), what: { ids: [], detail: { floor: jump.from.toISOString(), wall: jump.to.toISOString() } }, why: { reasons: ['clock-confirmed'], text: `An operator confirmed the workstation clock at ${jump.to.toISOString()}; it is the trusted time now.` } }],
      jump.to,
    );
    exited = executeDueExits(op, log, jump.to, null);
  })();
  return { confirmed: jump, exited };
}

/** A rotation in force (signed by the old and the new key) moves the partner's pin, and the log says so. */
function repinRotatedPartners(op: Operation, log: Log, evaluation: Evaluation, now: Date): void {
  const inForce = evaluation.latest.declaration;
  const replaced = evaluation.amended.at(-1);
  const before = replaced === undefined ? undefined : requireRecord(op.write, evaluation.id).versions.find((v) => v.declaration.version === replaced)?.declaration;
  for (const partner of inForce.partners) {
    const from = before?.partners.find((p) => p.mesh === partner.mesh)?.card.trustAnchor.sha256;
    const to = partner.card.trustAnchor.sha256;
    if (from === undefined || from === to) continue;
    if (movePin(op.write, { mesh: partner.mesh, from, to, federation: evaluation.id, at: now.toISOString() })) {
      recordFederationEvent(log, op.mesh(), inForce, ['anchor-rotated'], `${partner.mesh} rotated its trust anchor from ${from.slice(0, 16)}… to ${to.slice(0, 16)}…, signed by both keys.`, now, { partner: partner.mesh });
    }
  }
}

/**
 * Every federation's state, as of the trusted now. Reading status is also when exits that fell
 * due run (the officer need not remember to): only then is the authority's key asked for.
 */
export async function federationStatus(op: Operation): Promise<FederationSummaryView[]> {
  const db = op.write;
  const now = op.clock.advance(db);
  const jump = op.clock.jump();
  const unrecordedJump = jump !== null && !hasClockJumpEntry(db, jump.from.toISOString());
  if (unrecordedJump || dueExits(db, op.mesh(), now, jump).some((due) => !due.held)) {
    const log = await op.log();
    db.transaction(() => {
      recordClockJump(op, log, jump, now);
      executeDueExits(op, log, now, jump);
    })();
  }
  return federationRecords(db).map((record) => summaryOf(record, now, jump));
}

/** The question the boundary asks, from versions in force only, at `now` (the caller's trusted now). */
export function mayCrossNow(op: ReadOperation, from: string, to: string, cls: string, now: Date): CrossingVerdict {
  return mayCross(federationRecords(op.read), from, to, cls, now);
}
