/**
 * One sync over an opened link (decision 0006): negentropy over the scope with the client as
 * initiator, then both directions' bodies, each `items` frame of at most 1,024 admitted through
 * the crossing's seam in one transaction and answered with `outcomes`, then the two signed
 * convergence statements, each logged on its side, and `bye`. Only ids in our scope set are ever
 * sent, whatever the peer asks: the set is what the declaration lets cross.
 *
 * Two reconciliation modes, named on every `reconcile` the client sends. `published` (the
 * default, for a peer that speaks the protocol as its authors publish it): the responder answers
 * id lists with its own, so the client learns the whole difference, asks for what it needs
 * (`want` → `items`) and pushes what the server lacks. `settling` (ours to ours): the responder
 * settles id lists itself, as nostr-tools' does — about half the bytes — so each side holds part
 * of the difference; the client does its share, passes the `turn`, answers the server's share the
 * same way, and takes the turn back before the proofs.
 */
import { createHash } from 'node:crypto';
import { isProbe, MAX_ROUNDS, Negentropy } from '../../boundary/negentropy/index.js';
import { encodeFrame, LINK_FRAME_SET, MAX_ITEMS_PER_FRAME, RECONCILE_MODES, readConvergence, replyStamp, requestStamp, sampleOf, signConvergence, type ClockSample, type ClockStamp, type LinkChannel, type LinkMessage, type LinkFrameSet, type LinkMessageOf, type ReconcileMode } from '../../boundary/link/index.js';
import { readStrictJson } from '../../canonical/strict-json.js';
import { Refused } from '../../common/refused.js';
import { parseCertificate } from '../../credentials/index.js';
import { DsseEnvelope } from '../../crypto/dsse.js';
import type { Declaration } from '../../federation/declaration.js';
import { evaluate } from '../../federation/lifecycle.js';
import type { ImportCounts } from '../../store/crossing-store.js';
import { hasObservation } from '../../store/observation-store.js';
import { listAttestations } from '../../store/taxonomy-store.js';
import { attestationId } from '../../taxonomy/attestation.js';
import { insertClockSamples, insertConvergence, observationForSending, recordContact } from '../../store/link-store.js';
import { authorityActor, type Log } from '../context/log.js';
import type { Operation } from '../context/operation.js';
import { noteClockSamples } from '../time/offsets.js';
import { admitItems, finishAdmission, openAdmission, type Admission } from '../crossing/admit.js';
import type { AgentSigner, CrossingParts } from '../crossing/parts.js';
import { federationRecord } from '../federations/federation-records.js';
import type { LinkSession } from './handshake.js';
import { joinHeldByPartner, scopeName, scopeSet, setDigest, type ScopeSet } from './scope.js';

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
  /** Which round of the connection this was (1 for a one-off sync; a watch counts up on one link). */
  readonly round: number;
  /** Where the round's admission is kept (`crossings.bundle`): the session for round 1, a digest of session and round after. */
  readonly admission: string;
  /** A round whose probe found the sets equal: nothing moved, no statements signed (the last round's stand). */
  readonly idle: boolean;
  readonly role: 'client' | 'server';
  readonly rounds: number;
  readonly bytes: { readonly in: number; readonly out: number };
  /** Negentropy's messages both ways, in bytes as the protocol counts them (not hex, no frame): what learning the difference cost. */
  readonly negentropyBytes: number;
  /** Of `bytes`, the two signed hellos' frames (they carry the agents' certificate chains): the rest is the sync itself. */
  readonly helloBytes: number;
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
  /** The connection's round (0006 "Rounds") and the digest its admission is kept under. */
  readonly round: number;
  readonly admission: string;
  readonly declaration: Declaration;
  readonly own: string;
  readonly log: Log;
  readonly wire: LinkWire;
}

/**
 * What a connection keeps from round to round for its clock stamps (0006 "Clock samples"): the
 * frame set the client speaks, and the stamps an `echo` answers. The client echoes the server's
 * last `reconcile` stamp on its next `reconcile` or `proof`, so the server holds the four
 * timestamps of its own exchange (t1 its reply leaving, t2 and t3 the client's, t4 the echo
 * arriving) and samples the client's clock as the client samples its own: NTP's symmetric use
 * (RFC 5905 §8), with the echoed t1 checked against the one the server sent (the origin check).
 */
export interface LinkWire {
  readonly frames: LinkFrameSet;
  /** Client: a watch, which asks for `nudge`s on each round's first `reconcile` (frame set 2). */
  readonly nudges: boolean;
  /** Client: the server's last `reconcile` stamp not echoed yet (its t3, and when it arrived here, our clock). */
  unanswered?: { readonly t3: number; readonly arrivedAt: number } | undefined;
  /** Server: the t3 its last `reconcile` went out with, which an honest echo carries back as its t1. */
  lastSent?: number | undefined;
}

export function linkWire(frames: LinkFrameSet = LINK_FRAME_SET, nudges = false): LinkWire {
  return { frames, nudges: nudges && frames >= 2 };
}

/**
 * The workstation clock as this workspace reads it (the services' one seam for time, injected by
 * tests and the demo): the NTP-style stamps (RFC 5905 §8) sample the meshes' clocks, not the
 * process's.
 */
function wallNow(c: Context): number {
  return c.op.clock.wall().getTime();
}

/**
 * The admission digest of a connection's round: the session itself for the first (as a one-off
 * sync has always kept it), then one per round, so each round's receipt covers what it admitted.
 */
export function roundAdmission(session: string, round: number): string {
  return round === 1 ? session : createHash('sha256').update(`entente-link-round:${session}:${round}`).digest('hex');
}

export async function sessionContext(op: Operation, parts: CrossingParts, channel: LinkChannel, link: LinkSession, now: Date, round = 1, wire: LinkWire = linkWire()): Promise<Context> {
  const record = federationRecord(op.read, link.federation.id);
  const evaluation = record && evaluate(record, now);
  if (!evaluation?.inForce || evaluation.state !== 'active') throw new Refused('federation-inactive', `Federation ${link.federation.id} is not active here.`);
  return { op, parts, channel, link, signer: link.signer, now, round, admission: roundAdmission(link.session, round), declaration: evaluation.inForce.declaration, own: op.mesh().mesh.code, log: await op.log(), wire };
}

/** The client's echo of the server's last `reconcile` stamp, once (frame set 2): nothing when there is none to answer, or the server speaks frame set 1. */
function echoOf(c: Context, now: number): { echo?: ClockStamp } {
  const unanswered = c.wire.unanswered;
  if (c.wire.frames < 2 || !unanswered) return {};
  c.wire.unanswered = undefined;
  return { echo: { t1: unanswered.t3, t2: unanswered.arrivedAt, t3: now } };
}

/** The server's sample from a client's echo arriving at `at`: only an echo of the stamp it last sent, once (a stale or invented t1 is no sample). */
function echoSample(c: Context, echo: ClockStamp | undefined, at: number): ClockSample | undefined {
  if (!echo || c.wire.lastSent === undefined || echo.t1 !== c.wire.lastSent) return undefined;
  c.wire.lastSent = undefined;
  return sampleOf(echo, at);
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
  return scopeSet(c.op, c.parts, { federation: c.link.federation.id, partner: c.link.peer.mesh }, c.now);
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
    const attestations = unseenAttestations(op, link.federation.id, link.peer.mesh, message.attestations ?? []);
    if (attestations.length > 0) await judgedApart(() => parts.admitPartnerAttestations(op, attestations, now));
    for (const notice of message.taints ?? []) await judgedApart(() => parts.applyTaintNotice(op, notice, now));
    this.admission ??= openAdmission(op, parts, link.hello, { digest: this.c.admission, source: 'link', lines: null }, now);
    const certificates = new Map<string, string>();
    for (const pem of message.certificates) {
      const sha256 = certificateSha256(pem);
      if (sha256) certificates.set(sha256, pem);
    }
    const items = message.items.map((item) => ({ line: ++this.line, record: item.record, certificate: item.certificate }));
    const admitted = admitItems(op, parts, log, this.admission, this.block++, items, certificates);
    // The judge calls an item it holds in quarantine a duplicate; to the link it is still held back,
    // outside our set: counted and named as quarantined, as its first arrival was, so both sides name the difference.
    const duplicates = admitted.outcomes.flatMap((o) => (o.outcome === 'duplicate' && o.id ? [o.id] : []));
    const heldBack = duplicates.filter((id) => !hasObservation(op.read, id));
    const counts = { ...admitted.counts, duplicate: admitted.counts.duplicate - heldBack.length, quarantined: admitted.counts.quarantined + heldBack.length };
    add(this.counts, counts);
    this.received += items.length;
    for (const o of admitted.outcomes) if (o.id && (o.outcome === 'rejected' || o.outcome === 'quarantined')) this.notAdmitted.push(o.id);
    this.notAdmitted.push(...heldBack);
    joinHeldByPartner(op, scopeName(link.federation.id, link.peer.mesh), duplicates.filter((id) => !heldBack.includes(id)), now);
    return counts;
  }

  /** Marks the session's admission done with its signed receipt (kept with the row, as a bundle's is), when anything arrived. */
  async finish(): Promise<void> {
    if (this.admission) await finishAdmission(this.c.op, this.c.log, this.admission, this.c.now);
    this.admission = undefined;
  }
}

/**
 * The partner's attestations we do not hold yet. Every sync carries all of them, and judging one
 * means verifying its signature under the partner's card: one already stored under the same id
 * (the SHA-256 of its canonical envelope, so byte for byte the same signed statement) was judged
 * when it was stored, and judging it again would change nothing.
 */
function unseenAttestations(op: Operation, federation: string, partner: string, envelopes: readonly unknown[]): unknown[] {
  if (envelopes.length === 0) return [];
  const held = new Set(listAttestations(op.read, { federation, mesh: partner }).map((a) => a.id));
  return envelopes.filter((envelope) => {
    const parsed = DsseEnvelope.safeParse(envelope);
    // Anything that is not an envelope goes to the judge, which refuses it with its reason.
    return !parsed.success || !held.has(attestationId(parsed.data));
  });
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

/** The reconciliation mode a link asks for (decision 0006's default is `published`; both sides ours, `settling` costs about half the bytes). */
export const LINK_RECONCILE_MODE: ReconcileMode = 'settling';

function negentropyFor(set: ScopeSet, mode: ReconcileMode): Negentropy {
  return new Negentropy(set.storage, NEGENTROPY_FRAME_LIMIT, { responderSettlesIdLists: mode === 'settling' });
}

/** What one side moved in a sync: its own transfers and its answers to the peer's. */
class Transfers {
  sent = 0;
  wants = 0;
  pushes = 0;
  readonly peerCounts = zero();
  constructor(
    private readonly c: Context,
    private readonly set: ScopeSet,
    readonly receiver: Receiver,
  ) {}

  /** Asks for `need` (a `want` per 1,024 ids, each answered by `items`) and admits what comes, then pushes `have` (each `items` answered by `outcomes`). */
  async own(need: readonly string[], have: readonly string[]): Promise<void> {
    const { channel } = this.c;
    for (const ids of chunks(need, MAX_ITEMS_PER_FRAME)) {
      channel.send({ type: 'want', ids });
      // No sample here: a `want` carries no clock, so the reply's stamp has no t1 of ours.
      const items = await channel.expect('items');
      channel.send({ type: 'outcomes', counts: await this.receiver.admit(items) });
    }
    for (const ids of chunks(have, MAX_ITEMS_PER_FRAME)) {
      const frame = itemsFrame(this.c, this.set, ids, requestStamp(wallNow(this.c)), this.sent === 0);
      this.sent += frame.sent;
      channel.send(frame.message);
      add(this.peerCounts, (await channel.expect('outcomes')).counts);
    }
  }

  /** Answers one of the peer's `want`, `items` or `outcomes`, within the session's bounds; false for any other message. */
  async answer(message: LinkMessage, at: number): Promise<boolean> {
    const { channel } = this.c;
    if (message.type === 'want') {
      const size = this.set.storage.size();
      if (++this.wants > Math.ceil(size / MAX_ITEMS_PER_FRAME) + SPARE_WANTS) throw new Refused('too-many-frames', `The peer asked for items ${this.wants} times; this set of ${size} needs at most ${Math.ceil(size / MAX_ITEMS_PER_FRAME)} asks.`);
      const frame = itemsFrame(this.c, this.set, message.ids, requestStamp(at), this.sent === 0);
      this.sent += frame.sent;
      channel.send(frame.message);
    } else if (message.type === 'outcomes') {
      add(this.peerCounts, message.counts);
    } else if (message.type === 'items') {
      if (++this.pushes > MAX_ITEMS_FRAMES) throw new Refused('too-many-frames', `The peer pushed more than ${MAX_ITEMS_FRAMES} frames of items in one sync.`);
      channel.send({ type: 'outcomes', counts: await this.receiver.admit(message) });
    } else return false;
    return true;
  }

  /** Items we sent that the peer neither admitted nor already held. */
  missingThere(): number {
    return Math.max(0, this.sent - this.peerCounts.admitted - this.peerCounts.duplicate - this.peerCounts.tainted);
  }
}

function peerRefused(message: LinkMessage): never {
  if (message.type === 'refused') throw new Refused(message.reason, `The peer refused: ${message.message}`);
  throw new Refused('unexpected-message', `The peer sent ${message.type} in the middle of a sync.`);
}

/** How a round opens: the 16 buckets of the protocol (a first sync), or the probe (a round after a convergence on the same link). */
export type RoundOpening = 'initiate' | 'probe';

/**
 * The client's side of one round: reconciliation, both directions' bodies, the signed
 * statements. A round opened with the probe that comes back with nothing to do is idle: both
 * sides saw the whole-set fingerprints agree, nothing moves and nothing is signed (0006 "Rounds").
 * The caller sends `bye` when the link is to end.
 */
export async function runClient(c: Context, mode: ReconcileMode = LINK_RECONCILE_MODE, opening: RoundOpening = 'initiate'): Promise<SyncReport> {
  const { channel, link } = c;
  // A connection's first round counts its hellos too (the one-off sync's whole wire); later rounds count themselves.
  const bytesAtStart = c.round === 1 ? { in: 0, out: 0 } : { in: channel.bytesIn, out: channel.bytesOut };
  const helloBytes = c.round === 1 ? channel.bytesIn + channel.bytesOut : 0;
  const set = currentSet(c);
  const negentropy = negentropyFor(set, mode);
  const have: string[] = [];
  const need: string[] = [];
  const samples: ClockSample[] = [];
  let message: Uint8Array | null = opening === 'probe' ? negentropy.initiateProbe() : negentropy.initiate();
  let rounds = 0;
  let negentropyBytes = 0;
  while (message) {
    rounds += 1;
    negentropyBytes += message.length;
    const sentAt = wallNow(c);
    channel.send({ type: 'reconcile', scope: scopeName(link.federation.id, c.own), message: hex(message), clock: requestStamp(sentAt), ...(mode === 'published' ? {} : { mode }), ...echoOf(c, sentAt), ...(rounds === 1 && c.wire.nudges ? { nudges: true as const } : {}) });
    const reply = await channel.expect('reconcile');
    const arrivedAt = wallNow(c);
    const sample = sampleOf(reply.clock, arrivedAt);
    if (sample) samples.push(sample);
    if (reply.clock.t3 !== undefined) c.wire.unanswered = { t3: reply.clock.t3, arrivedAt };
    set.refresh();
    negentropyBytes += reply.message.length / 2;
    const result = negentropy.reconcile(Buffer.from(reply.message, 'hex'));
    have.push(...idsHex(result.have));
    need.push(...idsHex(result.need));
    message = result.reply;
  }
  const bytesOf = () => ({ in: channel.bytesIn - bytesAtStart.in, out: channel.bytesOut - bytesAtStart.out });

  if (opening === 'probe' && rounds === 1 && have.length === 0 && need.length === 0) {
    const statement = { count: set.storage.size(), digest: setDigest(set.storage) };
    const report = idleReport(c, 'client', { rounds, bytes: bytesOf(), negentropyBytes, roundTripMs: medianRoundTrip(samples), ...statement });
    recordIdle(c, report, samples);
    return report;
  }

  noteBacklog(c, have.length, need.length);
  const receiver = new Receiver(c);
  const transfers = new Transfers(c, set, receiver);
  await transfers.own(need, have);
  if (mode === 'settling') {
    // The server found its share of the difference: it asks and pushes now, and ends its turn.
    channel.send({ type: 'turn' });
    for (;;) {
      const next = await channel.next();
      if (next.type === 'turn') break;
      if (!(await transfers.answer(next, wallNow(c)))) peerRefused(next);
    }
  }
  await receiver.finish();

  set.refresh();
  const after = set;
  const statement = { count: after.storage.size(), digest: setDigest(after.storage) };
  const ownProof = signConvergence({ type: 'entente.convergence/v1', federation: link.federation.id, version: link.federation.version, scope: scopeName(link.federation.id, link.peer.mesh), ...statement, at: c.now.toISOString(), peerDigest: null }, c.signer);
  channel.send({ type: 'proof', envelope: ownProof, ...echoOf(c, wallNow(c)) });
  const peerProof = (await channel.expect('proof')).envelope;
  const peer = readConvergence(peerProof, link.hello.homeCertificateSha256, link.hello.publicKey);
  const roundTripMs = medianRoundTrip(samples);
  const missingHere = [...new Set([...need.filter((id) => !after.has(id)), ...receiver.notAdmitted])];
  const missingThere = transfers.missingThere();
  const report: SyncReport = {
    partner: link.peer.mesh, federation: link.federation.id, version: link.federation.version, session: link.session, round: c.round, admission: c.admission, idle: false, role: 'client', rounds,
    bytes: bytesOf(), negentropyBytes, helloBytes, roundTripMs, sent: transfers.sent, received: receiver.received, counts: receiver.counts, peerCounts: transfers.peerCounts,
    converged: statement.digest === peer.digest && statement.count === peer.count, ...statement, peerCount: peer.count, peerDigest: peer.digest,
    missingHere: missingHere.length, missingThere,
  };
  recordEnd(c, report, { ownProof, peerProof, ids: { here: missingHere.slice(0, MAX_NAMED_IDS), there: [] }, samples, backlogOut: missingThere, backlogIn: missingHere.length });
  return report;
}

function medianRoundTrip(samples: readonly ClockSample[]): number | null {
  const delays = samples.map((s) => s.t4 - s.t1).sort((a, b) => a - b);
  return delays.length > 0 ? delays[Math.floor(delays.length / 2)]! : null;
}

/** An idle round's report: the sets agreed by fingerprint, so the peer's count and digest are ours. */
function idleReport(c: Context, role: 'client' | 'server', facts: { rounds: number; bytes: { in: number; out: number }; negentropyBytes: number; roundTripMs: number | null; count: number; digest: string }): SyncReport {
  const { link } = c;
  return {
    partner: link.peer.mesh, federation: link.federation.id, version: link.federation.version, session: link.session, round: c.round, admission: c.admission, idle: true, role,
    rounds: facts.rounds, bytes: facts.bytes, negentropyBytes: facts.negentropyBytes, helloBytes: 0, roundTripMs: facts.roundTripMs, sent: 0, received: 0, counts: zero(), peerCounts: zero(),
    converged: true, count: facts.count, digest: facts.digest, peerCount: facts.count, peerDigest: facts.digest, missingHere: 0, missingThere: 0,
  };
}

function modeOf(message: LinkMessageOf<'reconcile'>): ReconcileMode {
  const mode = message.mode ?? 'published';
  if (!(RECONCILE_MODES as readonly string[]).includes(mode)) throw new Refused('unknown-reconcile-mode', `The peer asks for reconciliation mode ${JSON.stringify(mode)}; this agent knows ${RECONCILE_MODES.join(' and ')}.`);
  return mode as ReconcileMode;
}

/**
 * The server's side of one round, from the client's first `reconcile` of it: answers the
 * client's frames within the reconciliation's bounds until the statements are exchanged (or, for
 * a probe the sets agreed on, at once). The link's caller reads what comes next: another round's
 * `reconcile` or `bye`.
 */
export async function serveRound(c: Context, first: LinkMessageOf<'reconcile'>, arrivedAt = wallNow(c)): Promise<SyncReport> {
  const { channel, link } = c;
  const opening = { in: channel.bytesIn - frameBytesOf(first), out: channel.bytesOut };
  const bytesAtStart = c.round === 1 ? { in: 0, out: 0 } : opening;
  const helloBytes = c.round === 1 ? opening.in + opening.out : 0;
  const bytesOf = () => ({ in: channel.bytesIn - bytesAtStart.in, out: channel.bytesOut - bytesAtStart.out });
  const set = currentSet(c);
  let negentropy: Negentropy | undefined;
  let mode: ReconcileMode | undefined;
  let rounds = 0;
  let negentropyBytes = 0;
  let turned = false;
  const have: string[] = [];
  const need: string[] = [];
  const receiver = new Receiver(c);
  const transfers = new Transfers(c, set, receiver);
  let proofs: { own: DsseEnvelope; peer: DsseEnvelope; count: number; digest: string; peerCount: number; peerDigest: string } | undefined;
  // Our own samples of the client's clock, from its echoes (frame set 2; none from a client of set 1).
  const samples: ClockSample[] = [];
  const sampled = (echo: ClockStamp | undefined) => {
    const sample = echoSample(c, echo, at);
    if (sample) samples.push(sample);
  };
  let message: LinkMessage = first;
  let at = arrivedAt;
  for (;;) {
    if (message.type === 'reconcile') {
      sampled(message.echo);
      if (message.scope !== scopeName(link.federation.id, link.peer.mesh)) throw new Refused('wrong-scope', `The peer reconciles scope ${message.scope}; this link is ${scopeName(link.federation.id, link.peer.mesh)}.`);
      if (++rounds > MAX_ROUNDS) throw new Refused('ranges-did-not-converge', `The reconciliation did not converge within ${MAX_ROUNDS} rounds.`);
      const asked = modeOf(message);
      if (mode && asked !== mode) throw new Refused('unknown-reconcile-mode', `The peer changed the reconciliation mode from ${mode} to ${asked} within a sync.`);
      mode = asked;
      set.refresh();
      negentropy ??= negentropyFor(set, mode);
      const query = Buffer.from(message.message, 'hex');
      const result = negentropy.reconcile(query);
      have.push(...idsHex(result.have));
      need.push(...idsHex(result.need));
      const reply = result.reply ?? Uint8Array.of(0x61);
      negentropyBytes += query.length + reply.length;
      const stamp = replyStamp(message.clock, at, wallNow(c));
      c.wire.lastSent = stamp.t3;
      channel.send({ type: 'reconcile', scope: scopeName(link.federation.id, c.own), message: hex(reply), clock: stamp });
      // A probe answered with the bare version byte: the whole-set fingerprints agreed, the round is idle on both sides.
      if (rounds === 1 && isProbe(query) && reply.length === 1) {
        const report = idleReport(c, 'server', { rounds, bytes: bytesOf(), negentropyBytes, roundTripMs: medianRoundTrip(samples), count: set.storage.size(), digest: setDigest(set.storage) });
        recordIdle(c, report, samples);
        return report;
      }
    } else if (message.type === 'turn') {
      // Our share of a settling reconciliation's findings, once the client has done its own.
      if (mode !== 'settling' || turned) throw new Refused('unexpected-message', `The peer passed the turn ${turned ? 'twice' : 'outside a settling reconciliation'}.`);
      turned = true;
      noteBacklog(c, have.length, need.length);
      await transfers.own(need, have);
      channel.send({ type: 'turn' });
    } else if (message.type === 'proof') {
      sampled(message.echo);
      await receiver.finish();
      const peer = readConvergence(message.envelope, link.hello.homeCertificateSha256, link.hello.publicKey);
      set.refresh();
      const count = set.storage.size();
      const digest = setDigest(set.storage);
      const own = signConvergence({ type: 'entente.convergence/v1', federation: link.federation.id, version: link.federation.version, scope: scopeName(link.federation.id, link.peer.mesh), count, digest, at: c.now.toISOString(), peerDigest: peer.digest }, c.signer);
      channel.send({ type: 'proof', envelope: own });
      proofs = { own, peer: message.envelope, count, digest, peerCount: peer.count, peerDigest: peer.digest };
      break;
    } else if (message.type === 'bye') {
      break;
    } else if (!(await transfers.answer(message, at))) peerRefused(message);
    message = await channel.next();
    at = wallNow(c);
  }
  if (!proofs) throw new Refused('no-proof', 'The peer ended the sync without a convergence statement.');
  const missingThere = transfers.missingThere();
  const missingHere = [...new Set([...need.filter((id) => !set.has(id)), ...receiver.notAdmitted])];
  const report: SyncReport = {
    partner: link.peer.mesh, federation: link.federation.id, version: link.federation.version, session: link.session, round: c.round, admission: c.admission, idle: false, role: 'server', rounds,
    // From our own samples of the client's echoes (its reply to our stamp and back), as the client takes its own.
    bytes: bytesOf(), negentropyBytes, helloBytes, roundTripMs: medianRoundTrip(samples), sent: transfers.sent, received: receiver.received, counts: receiver.counts, peerCounts: transfers.peerCounts,
    converged: proofs.digest === proofs.peerDigest && proofs.count === proofs.peerCount, count: proofs.count, digest: proofs.digest, peerCount: proofs.peerCount, peerDigest: proofs.peerDigest,
    missingHere: missingHere.length, missingThere,
  };
  recordEnd(c, report, { ownProof: proofs.own, peerProof: proofs.peer, ids: { here: missingHere.slice(0, MAX_NAMED_IDS), there: [] }, samples, backlogOut: missingThere, backlogIn: missingHere.length });
  return report;
}

/** What a message's frame took on the wire (its 4-byte length and canonical JSON), for a round's byte count that begins with an already-read frame. */
function frameBytesOf(message: LinkMessage): number {
  return encodeFrame(message).length;
}

/**
 * The backlog this side's share of the reconciliation found (0006 "State": items the partner
 * lacks as of the last exchange), kept before any body moves: a sync cut part-way leaves the
 * link's state showing what was left to carry, not the last finished sync's figures. The end of
 * the sync replaces it with what remained. In settling each side knows only its share.
 */
function noteBacklog(c: Context, out: number, into: number): void {
  const { op, link, now } = c;
  op.write.transaction(() => recordContact(op.write, { partner: link.peer.mesh, federation: link.federation.id, at: now.toISOString(), backlogOut: out, backlogIn: into, roundTripMs: null, outcome: 'reconciled' }))();
}

/** An idle round: the clock samples and the link's contact, in one transaction; no statement, no log entry (the last convergence stands). */
function recordIdle(c: Context, report: SyncReport, samples: readonly ClockSample[]): void {
  const { op, log, now, link } = c;
  const db = op.write;
  db.transaction(() => {
    insertClockSamples(db, samples.map((s) => ({ partner: link.peer.mesh, federation: link.federation.id, t1: s.t1, t2: s.t2, t3: s.t3, t4: s.t4, offsetMs: s.offset, delayMs: s.delay })));
    if (samples.length > 0) noteClockSamples(db, op.mesh(), log, link.peer.mesh, now);
    recordContact(db, { partner: link.peer.mesh, federation: link.federation.id, at: now.toISOString(), backlogOut: 0, backlogIn: 0, roundTripMs: report.roundTripMs, outcome: 'converged' });
  })();
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
