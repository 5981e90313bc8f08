/**
 * Revocation taint (docs/decisions/0005-crossing.md, "Integrity, taint, tombstones"; issue 13).
 *
 * A partner's CRL is believed only when it verifies against one of the partner's CA certificates
 * as the card in an active federation names them (RFC 5280 §6.3.3 (f), (g)); one that does not is
 * refused `untrusted-crl` and recorded as an integrity event. A believed CRL is stored, so the
 * partner's chain verifier refuses the revoked device from then on, and each of its entries
 * taints every stored observation signed under that certificate at or after the moment it
 * stopped being trustworthy: the entry's invalidity date (§5.3.2, "the date on which it is known
 * or suspected that the private key was compromised") when it has one, else its revocation date
 * — the earlier of the two, as core/credentials reads a CRL. Everything derived from a tainted
 * observation, through any number of levels, is tainted too (`tainted-source`).
 *
 * Taint notices carry the same finding to the other partners; one received marks the ids it names
 * that this mesh holds, and their descendants. Applying the same CRL or notice twice changes
 * nothing. Each application that tainted something is one `taint` integrity event listing the ids.
 */
import type { TaintCause } from '../../store/integrity-store.js';
import { MAX_TAINTS_PER_NOTICE, parseTaintNotice, TAINT_NOTICE_TYPE, type NoticedTaint, type TaintNotice } from '../../boundary/taint-notice.js';
import { Refused } from '../../common/refused.js';
import { crlRefusal, CredentialError, parseCertificate, parseCrl, type ParsedCertificate, type ParsedCrl } from '../../credentials/index.js';
import type { MeshCard } from '../../federation/declaration.js';
import { evaluate } from '../../federation/lifecycle.js';
import type { ReadDb, WriteDb } from '../../store/database.js';
import {
  descendantsOf,
  deviceCertificatesWithSerial,
  insertPartnerCrl,
  insertTaints,
  MAX_DESCENDANTS,
  observationsUnderCertificate,
  readTaint,
  taintsMarkedSince,
  type TaintRow,
} from '../../store/integrity-store.js';
import { hasObservation } from '../../store/observation-store.js';
import { authorityActor, type Log } from '../context/log.js';
import type { MeshContext } from '../context/mesh-context.js';
import type { Operation, ReadOperation } from '../context/operation.js';
import { federationRecords } from '../federations/federation-records.js';
import { recordIntegrityEventWith } from './events.js';

/** The active federations this mesh holds with `partner`, each with the partner's card as it names it. */
export function activeFederationsWith(db: ReadDb, partner: string, now: Date): { federation: string; version: number; card: MeshCard }[] {
  return federationRecords(db).flatMap((record) => {
    const evaluation = evaluate(record, now);
    const inForce = evaluation.state === 'active' ? evaluation.inForce : null;
    const named = inForce?.declaration.partners.find((p) => p.mesh === partner);
    return inForce && named ? [{ federation: record.id, version: inForce.declaration.version, card: named.card }] : [];
  });
}

/**
 * Applies a partner's CRL: verified, stored, and every observation it shows untrustworthy tainted
 * with everything derived from it. Returns the ids newly tainted (none when applied before).
 *
 * @throws Refused 'not-a-partner' | 'no-federation' | 'untrusted-crl' | 'taint-too-large'
 */
export async function applyPartnerCrl(op: Operation, partnerMesh: string, crlPem: string, now: Date): Promise<string[]> {
  const db = op.write;
  const context = op.mesh();
  if (partnerMesh === context.mesh.code) throw new Refused('not-a-partner', `${partnerMesh} is this mesh; its own CRLs are published by \`device revoke\`, not applied as a partner's.`);
  const federations = activeFederationsWith(db, partnerMesh, now);
  if (federations.length === 0) throw new Refused('no-federation', `No active federation with ${partnerMesh} is held here, so its CRL cannot be checked against its card.`);
  const { federation, card } = federations[0]!;
  const log = await op.log();

  const trusted = trustedCrl(crlPem, card);
  if (!trusted.ok) {
    db.transaction(() => {
      recordIntegrityEventWith(db, context, log, { kind: 'untrusted-crl', partner: partnerMesh, federation, evidence: { reason: trusted.reason, detail: trusted.message }, message: `A CRL said to be ${partnerMesh}'s was refused: ${trusted.message}` }, now);
    })();
    throw new Refused('untrusted-crl', `The CRL is not ${partnerMesh}'s: ${trusted.message}`);
  }
  const { crl, issuer } = trusted;
  const number = (crl.number ?? BigInt(Math.floor(crl.thisUpdate / 1000))).toString();
  const markedAt = now.toISOString();

  return db.transaction(() => {
    const stored = insertPartnerCrl(db, { mesh: partnerMesh, issuerSha256: issuer.sha256, number, thisUpdate: new Date(crl.thisUpdate).toISOString(), pem: crlPem.trim() + '\n', storedAt: markedAt });
    const direct: TaintRow[] = [];
    for (const [serial, untrustedFrom] of crl.revoked) {
      for (const certificate of deviceCertificatesWithSerial(db, partnerMesh, serial)) {
        if (!issuedBy(certificate.pem, issuer)) continue;
        const since = new Date(untrustedFrom).toISOString();
        for (const observation of observationsUnderCertificate(db, certificate.sha256)) {
          // §5.3.2: what was made before the compromise keeps its standing.
          if (!(Date.parse(observation.observedAt) >= untrustedFrom)) continue;
          direct.push({ observationId: observation.id, cause: 'compromised-credential', since, markedAt, evidence: JSON.stringify({ crl: { issuer: issuer.sha256, number }, serial, certificate: certificate.sha256 }) });
        }
      }
    }
    const tainted = taintWithLineage(db, context, log, direct, now, {
      partner: partnerMesh,
      federation,
      evidence: { crlIssuer: issuer.sha256, crlNumber: number, entries: crl.revoked.size },
      message: (n, derived) => `${partnerMesh}'s CRL ${number} shows ${n - derived} observation(s) made under a compromised credential; ${derived} derived from them are tainted too.`,
    });
    if (stored && tainted.length === 0) {
      // A new revocation state changes what verifies from now on: the log says where it came from.
      log.append([{ type: 'credential', who: authorityActor(context.mesh), what: { ids: [issuer.sha256], federation, detail: { partner: partnerMesh, crlNumber: number, entries: crl.revoked.size } }, why: { reasons: ['partner-crl'], text: `${partnerMesh}'s CRL ${number} was applied; it taints nothing held here.` } }], now);
    }
    return tainted;
  })();
}

/**
 * Applies a partner's taint notice: the ids it names that this mesh holds are tainted
 * (`partner-notice`, with the partner's cause and log entry as evidence), and their descendants.
 * Returns the ids newly tainted.
 *
 * @throws Refused 'malformed-taint-notice' | 'wrong-recipient' | 'no-federation' | 'taint-too-large'
 */
export async function applyTaintNotice(op: Operation, candidate: unknown, now: Date): Promise<string[]> {
  const db = op.write;
  const context = op.mesh();
  const notice = parseTaintNotice(candidate);
  if (notice.to !== context.mesh.code) throw new Refused('wrong-recipient', `The taint notice is addressed to ${notice.to}, not to ${context.mesh.code}.`);
  if (!activeFederationsWith(db, notice.from, now).some((f) => f.federation === notice.federation)) {
    throw new Refused('no-federation', `No active federation ${notice.federation} with ${notice.from} is held here; its taint notice is not applied.`);
  }
  const log = await op.log();
  const markedAt = now.toISOString();
  return db.transaction(() => {
    const direct: TaintRow[] = notice.taints
      .filter((t) => hasObservation(db, t.id))
      .map((t) => ({ observationId: t.id, cause: 'partner-notice', since: t.since, markedAt, evidence: JSON.stringify({ from: notice.from, cause: t.cause, entry: t.entry, federation: notice.federation }) }));
    return taintWithLineage(db, context, log, direct, now, {
      partner: notice.from,
      federation: notice.federation,
      evidence: { from: notice.from, named: notice.taints.length, held: direct.length },
      message: (n, derived) => `${notice.from}'s taint notice marks ${n - derived} observation(s) held here; ${derived} derived from them are tainted too.`,
    });
  })();
}

/**
 * The taint notices to send `partner` with the next bundle: every taint marked here at or after
 * `since`, except those that came from that partner's own notices, as it names them under the
 * active federation with it (several notices when there are many).
 */
export function taintNoticesFor(op: ReadOperation, partner: string, since: string): TaintNotice[] {
  const db = op.read;
  const now = op.clock.now();
  const federation = activeFederationsWith(db, partner, now)[0];
  if (!federation) throw new Refused('no-federation', `No active federation with ${partner} is held here, so nothing can be sent to it.`);
  const taints: NoticedTaint[] = [];
  for (const row of taintsMarkedSince(db, since, MAX_DESCENDANTS)) {
    const evidence = parseEvidence(row.evidence);
    if (evidence.from === partner || typeof evidence.event !== 'string') continue;
    taints.push({ id: row.observationId, cause: row.cause, since: row.since, entry: evidence.event });
  }
  const notices: TaintNotice[] = [];
  for (let i = 0; i < taints.length; i += MAX_TAINTS_PER_NOTICE) {
    notices.push({ type: TAINT_NOTICE_TYPE, from: op.mesh().mesh.code, to: partner, federation: federation.federation, at: now.toISOString(), taints: taints.slice(i, i + MAX_TAINTS_PER_NOTICE) });
  }
  return notices;
}

/**
 * The taint of an observation admitted while a source it derives from is tainted here (the
 * `tainted` outcome, 0005 "Admission"): `tainted-source` from the earliest of its tainted
 * sources' taints, its evidence shaped as a descendant's in taintWithLineage — `source`, the
 * observation that taint rests on (what its standing names, standing.ts), `parent`, the tainted
 * source it derives from directly — and that taint's `event`, so the next bundle's notices carry
 * it on to the other partners. Inside the caller's transaction; nothing when no source is tainted.
 */
export function taintOnArrival(db: WriteDb, id: string, sources: readonly string[], now: Date): void {
  const tainted = sources.flatMap((source) => {
    const taint = readTaint(db, source);
    return taint ? [{ source, taint }] : [];
  });
  const first = tainted.sort((a, b) => a.taint.since.localeCompare(b.taint.since))[0];
  if (!first) return;
  const evidence = parseEvidence(first.taint.evidence);
  const root = typeof evidence.source === 'string' ? evidence.source : first.source;
  insertTaints(db, [
    {
      observationId: id,
      cause: 'tainted-source' satisfies TaintCause,
      since: first.taint.since,
      markedAt: now.toISOString(),
      evidence: JSON.stringify({ source: root, parent: first.source, sources: tainted.map((t) => t.source), ...(typeof evidence.event === 'string' ? { event: evidence.event } : {}) }),
    },
  ]);
}

interface TaintEvent {
  readonly partner?: string;
  readonly federation?: string;
  readonly evidence: Record<string, string | number | boolean>;
  readonly message: (tainted: number, derived: number) => string;
}

/**
 * Taints `direct` and every descendant of them, records one `taint` integrity event naming the
 * ids newly tainted, and writes the taints with that event's id as evidence (so a notice can name
 * the log entry). Inside the caller's transaction. Returns the ids newly tainted.
 */
function taintWithLineage(db: WriteDb, context: MeshContext, log: Log, direct: readonly TaintRow[], now: Date, event: TaintEvent): string[] {
  const roots = new Map(direct.map((row) => [row.observationId, row]));
  const descendants = descendantsOf(db, [...roots.keys()]);
  if (descendants === null) throw new Refused('taint-too-large', `More than ${MAX_DESCENDANTS} observations derive from those tainted; the taint was not applied.`);
  const rows: TaintRow[] = [...roots.values()];
  for (const [id, { root, parent }] of descendants) {
    const origin = roots.get(root)!;
    rows.push({ observationId: id, cause: 'tainted-source' satisfies TaintCause, since: origin.since, markedAt: origin.markedAt, evidence: JSON.stringify({ source: root, parent }) });
  }
  const fresh = rows.filter((row) => readTaint(db, row.observationId) === undefined);
  if (fresh.length === 0) return [];
  const ids = fresh.map((row) => row.observationId);
  const derived = fresh.filter((row) => row.cause === 'tainted-source').length;
  const eventId = recordIntegrityEventWith(
    db,
    context,
    log,
    { kind: 'taint', ...(event.partner ? { partner: event.partner } : {}), ...(event.federation ? { federation: event.federation } : {}), evidence: { ...event.evidence, tainted: ids.length, derived }, message: event.message(ids.length, derived), ids },
    now,
  );
  return insertTaints(db, fresh.map((row) => ({ ...row, evidence: JSON.stringify({ ...parseEvidence(row.evidence), event: eventId }) })));
}

type CrlCheck = { ok: true; crl: ParsedCrl; issuer: ParsedCertificate } | { ok: false; reason: string; message: string };

/** The CRL and the CA of the partner's card that issued it, or why none did. */
function trustedCrl(crlPem: string, card: MeshCard): CrlCheck {
  let crl: ParsedCrl;
  try {
    crl = parseCrl(crlPem);
  } catch (error) {
    if (error instanceof CredentialError) return { ok: false, reason: error.reason, message: error.message };
    return { ok: false, reason: 'malformed-crl', message: 'The CRL cannot be read.' };
  }
  let why = `No CA on ${card.mesh}'s card issued it.`;
  for (const pem of [card.trustAnchor.pem, ...card.intermediates.map((i) => i.pem)]) {
    const ca = parseCertificate(pem);
    const refusal = crlRefusal(crl, ca);
    if (refusal === undefined) return { ok: true, crl, issuer: ca };
    if (crl.issuerDer === ca.subjectDer) why = refusal;
  }
  return { ok: false, reason: 'bad-crl', message: why };
}

/** Whether the certificate was issued by this CA (its Name, and its key where both name one, §4.2.1.1). */
function issuedBy(pem: string, ca: ParsedCertificate): boolean {
  try {
    const certificate = parseCertificate(pem);
    return certificate.issuerDer === ca.subjectDer && (certificate.authorityKeyId === undefined || ca.subjectKeyId === undefined || certificate.authorityKeyId === ca.subjectKeyId);
  } catch {
    return false;
  }
}

function parseEvidence(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
