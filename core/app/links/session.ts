/**
 * One sync over an opened link (decision 0006): negentropy over the scope with the client as
 * initiator, then both directions' bodies — the client asks for what it needs (`want` → `items`)
 * and pushes what the server lacks (`items`), each `items` frame of at most 1,024 admitted through
 * the crossing's seam in one transaction and answered with `outcomes` — then the two signed
 * convergence statements, each logged on its side, and `bye`. Only ids in our scope set are ever
 * sent, whatever the peer asks: the set is what the declaration lets cross.
 */
import { MAX_ROUNDS, Negentropy } from '../../boundary/negentropy/index.js';
import { MAX_ITEMS_PER_FRAME, readConvergence, replyStamp, requestStamp, sampleOf, signConvergence, type ClockSample, type ClockStamp, type LinkChannel, type LinkMessageOf } from '../../boundary/link/index.js';
import { readStrictJson } from '../../canonical/strict-json.js';
import { Refused } from '../../common/refused.js';
import { parseCertificate } from '../../credentials/index.js';
import type { DsseEnvelope } from '../../crypto/dsse.js';
import type { Declaration } from '../../federation/declaration.js';
import { evaluate } from '../../federation/lifecycle.js';
import type { ImportCounts } from '../../store/crossing-store.js';
import { insertClockSamples, insertConvergence, observationForSending, recordContact } from '../../store/link-store.js';
import { authorityActor, type Log } from '../context/log.js';
import type { Operation } from '../context/operation.js';
import { noteClockSamples } from '../time/offsets.js';
import { admitItems, finishAdmission, openAdmission, type Admission } from '../crossing/admit.js';
import type { AgentSigner, CrossingParts } from '../crossing/parts.js';
import { federationRecord } from '../federations/federation-records.js';
import type { LinkSession } from './handshake.js';
import { scopeName, scopeSet, setDigest, type ScopeSet } from './scope.js';

/** Our reconciler's frame limit: well under a link frame, above negentropy's minimum. */
const NEGENTROPY_FRAME_LIMIT = 500_000;
/**
 * Frames a server answers in one sync besides the reconciliation's rounds: the `want`s its own
 * set can satisfy (plus a few), and `items` pushes up to about four million records. A peer past
 * either is repeating itself, not syncing.
 */
const MAX_ITEMS_FRAMES = 4096;
const SPARE_WANTS = 8;
/** Ids of a difference left, named in a convergence record. */
const MAX_NAMED_IDS = 100;

export interface SyncReport {
  readonly partner: string;
  readonly federation: string;
  readonly version: number;
  readonly session: string;
  readonly role: 'client' | 'server';
  readonly rounds: number;
  readonly bytes: { readonly in: number; readonly out: number };
  /** The median round trip of the reconciliation, ms (null on the server, which does not time them). */
  readonly roundTripMs: number | null;
  /** Items we sent and the peer's outcomes for them. */
  readonly sent: number;
  readonly received: number;
  readonly counts: ImportCounts;
  readonly peerCounts: ImportCounts;
  readonly converged: boolean;
  readonly count: number;
  readonly digest: string;
  readonly peerCount: number;
  readonly peerDigest: string;
  readonly missingHere: number;
  readonly missingThere: number;
}

interface Context {
  readonly op: Operation;
  readonly parts: CrossingParts;
  readonly channel: LinkChannel;
  readonly link: LinkSession;
  readonly signer: AgentSigner;
  readonly now: Date;
  readonly declaration: Declaration;
  readonly own: string;
  readonly log: Log;
}

export async function sessionContext(op: Operation, parts: CrossingParts, channel: LinkChannel, link: LinkSession, now: Date): Promise<Context> {
  const record = federationRecord(op.read, link.federation.id);
  const evaluation = record && evaluate(record, now);
  if (!evaluation?.inForce || evaluation.state !== 'active') throw new Refused('federation-inactive', `Federation ${link.federation.id} is not active here.`);
  return { op, parts, channel, link, signer: link.signer, now, declaration: evaluation.inForce.declaration, own: op.mesh().mesh.code, log: await op.log() };
}

function zero(): ImportCounts {
  return { admitted: 0, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 };
}
function add(into: ImportCounts, more: ImportCounts): void {
  for (const key of Object.keys(into) as (keyof ImportCounts)[]) into[key] += more[key];
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const idsHex = (ids: readonly Uint8Array[]) => ids.map(hex);

function currentSet(c: Context): ScopeSet {
  return scopeSet(c.op, c.parts, { federation: c.link.federation.id, declaration: c.declaration, partner: c.link.peer.mesh }, c.now);
}

/** Admission of what the peer sends, opened at the first `items` frame; one block per frame. */
class Receiver {
  private admission: Admission | undefined;
  private block = 0;
  private line = 0;
  readonly counts = zero();
  received = 0;
  /** Ids the peer sent that were not admitted or already here (rejected, quarantined). */
  readonly notAdmitted: string[] = [];

  constructor(private readonly c: Context) {}

  async admit(message: LinkMessageOf<'items'>): Promise<ImportCounts> {
    const { op, parts, link, log, now } = this.c;
    // CRLs first, so the records are judged with the sender's latest revocations; then the terms' attestations and taint notices.
    for (const pem of message.crls ?? []) await judgedApart(() => parts.applyPartnerCrl(op, link.peer.mesh, pem, now));
    if (message.attestations && message.attestations.length > 0) await judgedApart(() => parts.admitPartnerAttestations(op, message.attestations!, now));
    for (const notice of message.taints ?? []) await judgedApart(() => parts.applyTaintNotice(op, notice, now));
    this.admission ??= openAdmission(op, parts, link.hello, { digest: link.session, source: 'link', lines: null }, now);
    const certificates = new Map<string, string>();
    for (const pem of message.certificates) {
      const sha256 = certificateSha256(pem);
      if (sha256) certificates.set(sha256, pem);
    }
    const items = message.items.map((item) => ({ line: ++this.line, record: item.record, certificate: item.certificate }));
    const { counts, outcomes } = admitItems(op, parts, log, this.admission, this.block++, items, certificates);
    add(this.counts, counts);
    this.received += items.length;
    for (const o of outcomes) if (o.id && (o.outcome === 'rejected' || o.outcome === 'quarantined')) this.notAdmitted.push(o.id);
    return counts;
  }

  /** Marks the session's admission done with its signed receipt (kept with the row, as a bundle's is), when anything arrived. */
  async finish(): Promise<void> {
    if (this.admission) await finishAdmission(this.c.op, this.c.log, this.admission, this.c.now);
    this.admission = undefined;
  }
}

/** What travels beside the records is judged by its own part: a refusal there is recorded by that part and the sync goes on. */
async function judgedApart(work: () => unknown): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
  }
}

function certificateSha256(pem: string): string | undefined {
  try {
    return parseCertificate(pem).sha256;
  } catch {
    return undefined;
  }
}

/** An `items` frame of what we hold among `ids` (and may send): records with their device certificates. */
function itemsFrame(c: Context, set: ScopeSet, ids: readonly string[], clock: ClockStamp, first: boolean): { message: LinkMessageOf<'items'>; sent: number } {
  const items: LinkMessageOf<'items'>['items'] = [];
  const certificates = new Map<string, string>();
  for (const id of ids) {
    if (!set.has(id)) continue;
    const row = observationForSending(c.op.read, id);
    if (!row) continue;
    items.push({ record: readStrictJson(row.record), certificate: row.certificate });
    certificates.set(row.certificate, row.pem);
  }
  const extras = first
    ? { crls: [...c.parts.ownCrls(c.op)], attestations: [...c.parts.attestationsFor(c.op, c.link.federation.id)], taints: [...c.parts.taintNoticesFor(c.op, c.link.peer.mesh)] }
    : {};
  return { message: { type: 'items', items, certificates: [...certificates.values()], clock, ...extras }, sent: items.length };
}

function chunks<T>(all: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

/** The client's side of one sync. */
export async function runClient(c: Context): Promise<SyncReport> {
  const { channel, link } = c;
  const set = currentSet(c);
  const negentropy = new Negentropy(set.storage, NEGENTROPY_FRAME_LIMIT);
  const have: string[] = [];
  const need: string[] = [];
  const samples: ClockSample[] = [];
  let message: Uint8Array | null = negentropy.initiate();
  let rounds = 0;
  while (message) {
    rounds += 1;
    channel.send({ type: 'reconcile', scope: scopeName(link.federation.id, c.own), message: hex(message), clock: requestStamp(Date.now()) });
    const reply = await channel.expect('reconcile');
    const sample = sampleOf(reply.clock, Date.now());
    if (sample) samples.push(sample);
    const result = negentropy.reconcile(Buffer.from(reply.message, 'hex'));
    have.push(...idsHex(result.have));
    need.push(...idsHex(result.need));
    message = result.reply;
  }

  const receiver = new Receiver(c);
  for (const ids of chunks(need, MAX_ITEMS_PER_FRAME)) {
    channel.send({ type: 'want', ids });
    // No sample here: a `want` carries no clock, so the reply's stamp has no t1 of ours.
    const items = await channel.expect('items');
    channel.send({ type: 'outcomes', counts: await receiver.admit(items) });
  }
  await receiver.finish();
  const peerCounts = zero();
  let sent = 0;
  for (const ids of chunks(have, MAX_ITEMS_PER_FRAME)) {
    const frame = itemsFrame(c, set, ids, requestStamp(Date.now()), sent === 0);
    sent += frame.sent;
    channel.send(frame.message);
    add(peerCounts, (await channel.expect('outcomes')).counts);
  }

  const after = currentSet(c);
  const statement = { count: after.storage.size(), digest: setDigest(after.storage) };
  const ownProof = signConvergence({ type: 'entente.convergence/v1', federation: link.federation.id, version: link.federation.version, scope: scopeName(link.federation.id, link.peer.mesh), ...statement, at: c.now.toISOString(), peerDigest: null }, c.signer);
  channel.send({ type: 'proof', envelope: ownProof });
  const peerProof = (await channel.expect('proof')).envelope;
  const peer = readConvergence(peerProof, link.hello.homeCertificateSha256, link.hello.publicKey);
  channel.send({ type: 'bye' });
  const delays = samples.map((s) => s.t4 - s.t1).sort((a, b) => a - b);
  const roundTripMs = delays.length > 0 ? delays[Math.floor(delays.length / 2)]! : null;
  const missingHere = need.filter((id) => !after.has(id));
  const missingThere = Math.max(0, sent - peerCounts.admitted - peerCounts.duplicate - peerCounts.tainted);
  const report: SyncReport = {
    partner: link.peer.mesh, federation: link.federation.id, version: link.federation.version, session: link.session, role: 'client', rounds,
    bytes: { in: channel.bytesIn, out: channel.bytesOut }, roundTripMs, sent, received: receiver.received, counts: receiver.counts, peerCounts,
    converged: statement.digest === peer.digest && statement.count === peer.count, ...statement, peerCount: peer.count, peerDigest: peer.digest,
    missingHere: missingHere.length, missingThere,
  };
  recordEnd(c, report, { ownProof, peerProof, ids: { here: missingHere.slice(0, MAX_NAMED_IDS), there: [] }, samples, backlogOut: missingThere, backlogIn: missingHere.length });
  return report;
}

/** The server's side: answers the client's frames until `bye`, within the reconciliation's bounds. */
export async function runServer(c: Context): Promise<SyncReport> {
  const { channel, link } = c;
  let set = currentSet(c);
  let negentropy: Negentropy | undefined;
  let rounds = 0;
  let sent = 0;
  const receiver = new Receiver(c);
  const peerCounts = zero();
  let wants = 0;
  let pushes = 0;
  let proofs: { own: DsseEnvelope; peer: DsseEnvelope; count: number; digest: string; peerCount: number; peerDigest: string } | undefined;
  for (;;) {
    const message = await channel.next();
    const at = Date.now();
    if (message.type === 'reconcile') {
      if (message.scope !== scopeName(link.federation.id, link.peer.mesh)) throw new Refused('wrong-scope', `The peer reconciles scope ${message.scope}; this link is ${scopeName(link.federation.id, link.peer.mesh)}.`);
      if (++rounds > MAX_ROUNDS) throw new Refused('ranges-did-not-converge', `The reconciliation did not converge within ${MAX_ROUNDS} rounds.`);
      negentropy ??= new Negentropy(set.storage, NEGENTROPY_FRAME_LIMIT);
      const result = negentropy.reconcile(Buffer.from(message.message, 'hex'));
      channel.send({ type: 'reconcile', scope: scopeName(link.federation.id, c.own), message: hex(result.reply ?? Uint8Array.of(0x61)), clock: replyStamp(message.clock, at, Date.now()) });
    } else if (message.type === 'want') {
      if (++wants > Math.ceil(set.storage.size() / MAX_ITEMS_PER_FRAME) + SPARE_WANTS) throw new Refused('too-many-frames', `The peer asked for items ${wants} times; this set of ${set.storage.size()} needs at most ${Math.ceil(set.storage.size() / MAX_ITEMS_PER_FRAME)} asks.`);
      const frame = itemsFrame(c, set, message.ids, requestStamp(at), sent === 0);
      sent += frame.sent;
      channel.send(frame.message);
    } else if (message.type === 'outcomes') {
      add(peerCounts, message.counts);
    } else if (message.type === 'items') {
      if (++pushes > MAX_ITEMS_FRAMES) throw new Refused('too-many-frames', `The peer pushed more than ${MAX_ITEMS_FRAMES} frames of items in one sync.`);
      channel.send({ type: 'outcomes', counts: await receiver.admit(message) });
    } else if (message.type === 'proof') {
      await receiver.finish();
      const peer = readConvergence(message.envelope, link.hello.homeCertificateSha256, link.hello.publicKey);
      set = currentSet(c);
      const count = set.storage.size();
      const digest = setDigest(set.storage);
      const own = signConvergence({ type: 'entente.convergence/v1', federation: link.federation.id, version: link.federation.version, scope: scopeName(link.federation.id, link.peer.mesh), count, digest, at: c.now.toISOString(), peerDigest: peer.digest }, c.signer);
      channel.send({ type: 'proof', envelope: own });
      proofs = { own, peer: message.envelope, count, digest, peerCount: peer.count, peerDigest: peer.digest };
    } else if (message.type === 'bye') {
      break;
    } else if (message.type === 'refused') {
      throw new Refused(message.reason, `The peer refused: ${message.message}`);
    } else throw new Refused('unexpected-message', `The peer sent ${message.type} in the middle of a sync.`);
  }
  if (!proofs) throw new Refused('no-proof', 'The peer ended the sync without a convergence statement.');
  const missingThere = Math.max(0, sent - peerCounts.admitted - peerCounts.duplicate - peerCounts.tainted);
  const report: SyncReport = {
    partner: link.peer.mesh, federation: link.federation.id, version: link.federation.version, session: link.session, role: 'server', rounds,
    bytes: { in: channel.bytesIn, out: channel.bytesOut }, roundTripMs: null, sent, received: receiver.received, counts: receiver.counts, peerCounts,
    converged: proofs.digest === proofs.peerDigest && proofs.count === proofs.peerCount, count: proofs.count, digest: proofs.digest, peerCount: proofs.peerCount, peerDigest: proofs.peerDigest,
    missingHere: receiver.notAdmitted.length, missingThere,
  };
  recordEnd(c, report, { ownProof: proofs.own, peerProof: proofs.peer, ids: { here: receiver.notAdmitted.slice(0, MAX_NAMED_IDS), there: [] }, samples: [], backlogOut: missingThere, backlogIn: receiver.notAdmitted.length });
  return report;
}

/** The sync's end in one transaction: the convergence record and its log entry, the clock samples, the link's contact. */
function recordEnd(c: Context, report: SyncReport, end: { ownProof: DsseEnvelope; peerProof: DsseEnvelope; ids: { here: string[]; there: string[] }; samples: readonly ClockSample[]; backlogOut: number; backlogIn: number }): void {
  const { op, log, now, link } = c;
  const db = op.write;
  const at = now.toISOString();
  db.transaction(() => {
    insertConvergence(db, {
      partner: link.peer.mesh, federation: link.federation.id, version: link.federation.version, scope: scopeName(link.federation.id, link.peer.mesh), session: link.session,
      count: report.count, digest: report.digest, peerCount: report.peerCount, peerDigest: report.peerDigest, converged: report.converged,
      missingHere: report.missingHere, missingThere: report.missingThere, ids: JSON.stringify(end.ids), ownProof: JSON.stringify(end.ownProof), peerProof: JSON.stringify(end.peerProof), at,
    });
    insertClockSamples(db, end.samples.map((s) => ({ partner: link.peer.mesh, federation: link.federation.id, t1: s.t1, t2: s.t2, t3: s.t3, t4: s.t4, offsetMs: s.offset, delayMs: s.delay })));
    // Samples that contradict those kept are an integrity event, once (0007 "Time").
    if (end.samples.length > 0) noteClockSamples(db, op.mesh(), log, link.peer.mesh, now);
    recordContact(db, { partner: link.peer.mesh, federation: link.federation.id, at, backlogOut: end.backlogOut, backlogIn: end.backlogIn, roundTripMs: report.roundTripMs, outcome: report.converged ? 'converged' : 'diverged' });
    log.append(
      [
        {
          type: 'crossing',
          who: authorityActor(op.mesh().mesh),
          what: { ids: end.ids.here.filter((id) => /^[0-9a-f]{64}$/.test(id)), federation: link.federation.id, detail: { partner: link.peer.mesh, session: link.session, count: report.count, digest: report.digest, peerCount: report.peerCount, peerDigest: report.peerDigest, missingHere: report.missingHere, missingThere: report.missingThere, admitted: report.counts.admitted } },
          why: { reasons: [report.converged ? 'converged' : 'diverged'], text: report.converged ? `Converged with ${link.peer.mesh} under ${link.federation.id}: ${report.count} item(s), digest ${report.digest}.` : `Sync with ${link.peer.mesh} under ${link.federation.id} left a difference: ${report.missingHere} here, ${report.missingThere} there (digests ${report.digest} / ${report.peerDigest}).` },
        },
      ],
      now,
    );
  })();
}
