/**
 * Serving and opening live links (decision 0006): `serve` listens on 127.0.0.1 only, bounds
 * the TLS handshake and hello, the frames, and how many connections are open at once; a client
 * that does not speak TLS, or whose certificate or hello is refused, is recorded as an integrity
 * event (`link-refused`, its reason in the evidence) and the server keeps serving, and nudges a
 * watching client when its side gains what may cross (0006 "Rounds"). `sync` is the client: one
 * sync, both directions, to a partner's agent at HOST:PORT; `watch` keeps the link for rounds.
 */
import { once } from 'node:events';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { clientTlsOptions, FRAME_TIMEOUT_MS, LinkChannel, serverTlsOptions, type LinkFrameSet, type ReconcileMode } from '../../boundary/link/index.js';
import { Refused } from '../../common/refused.js';
import { latestObservationRowid } from '../../store/crossing-store.js';
import { recordAttempt } from '../../store/link-store.js';
import { openSyncIndex } from '../../store/sync-index-store.js';
import type { AppContext, Operation } from '../context/operation.js';
import { activeFederationWith } from '../crossing/export.js';
import type { CrossingParts } from '../crossing/parts.js';
import { recordIntegrityEvent } from '../integrity/events.js';
import { HANDSHAKE_TIMEOUT_MS, linkAgent, openAsClient, openAsServer, recheckLink, type LinkSession } from './handshake.js';
import { scopeName, setDigest } from './scope.js';
import { linkWire, runClient, serveRound, sessionContext, type LinkWire, type SyncReport } from './session.js';
import { isDisconnected } from './state.js';

/** Connections served at once; more wait in the kernel's backlog until one ends. */
export const MAX_CONNECTIONS = 16;

/** Reasons that are a link ending, not a peer breaking the rules: recorded on the link, not as integrity events. */
const ORDINARY_ENDS = new Set(['link-closed', 'link-error', 'link-disconnected', 'link-unreachable']);

export interface ServeOptions {
  readonly port: number;
  readonly federation?: string;
  readonly agent?: string;
  readonly maxConnections?: number;
  /** The bounds of 0006 (10 s for TLS and the hello, 30 s between frames); tests shorten them. */
  readonly timeouts?: { readonly handshakeMs?: number; readonly frameMs?: number };
  /** How often, between a watching client's rounds, the store is looked at for what would nudge it; 200 ms by default. */
  readonly nudgePollMs?: number;
  readonly onSync?: (report: SyncReport) => void;
  readonly onRefused?: (refusal: { reason: string; message: string }) => void;
}

export interface LinkServer {
  readonly port: number;
  /** TLS handshakes completed since it started: a watch keeps one link, so one handshake, however many rounds. */
  readonly handshakes: number;
  /** Stops listening, ends the open links, resolves once all are closed. */
  close(): Promise<void>;
}

export interface SyncRequest {
  /** HOST:PORT of the partner's agent (a numeric IPv4 address or localhost). */
  readonly peer: string;
  readonly federation?: string;
  readonly agent?: string;
  /** How the server should treat id lists: `settling` (the default, both sides ours) or `published`, for a peer that speaks only the protocol as published. */
  readonly mode?: ReconcileMode;
  /** The frame set to speak (0006 "Rounds"): 2 by default; 1 for a partner's agent that has not been upgraded (no echoes, no nudges). */
  readonly frames?: LinkFrameSet;
}

async function recordRefusal(context: AppContext, refusal: { reason: string; message: string }, facts: { partner?: string; federation?: string; side: 'server' | 'client'; peer?: string }): Promise<void> {
  const op = context.writing();
  const now = op.clock.now();
  if (facts.partner && facts.federation) op.write.transaction(() => recordAttempt(op.write, facts.partner!, facts.federation!, refusal.reason))();
  if (ORDINARY_ENDS.has(refusal.reason)) return;
  await recordIntegrityEvent(
    op,
    {
      kind: 'link-refused',
      ...(facts.partner ? { partner: facts.partner } : {}),
      ...(facts.federation ? { federation: facts.federation } : {}),
      evidence: { reason: refusal.reason, side: facts.side, ...(facts.peer ? { peer: facts.peer } : {}) },
      message: `A link ${facts.side === 'server' ? 'from' : 'to'} ${facts.peer ?? 'a peer'} was refused (${refusal.reason}): ${refusal.message}`.slice(0, 1000),
    },
    now,
  );
}

function asRefusal(error: unknown): { reason: string; message: string } {
  if (error instanceof Refused) return { reason: error.reason, message: error.message };
  return { reason: 'link-error', message: `The link failed: ${(error as Error)?.message?.slice(0, 200) ?? String(error)}` };
}

export async function serve(context: AppContext, parts: CrossingParts, options: ServeOptions): Promise<LinkServer> {
  const agent = await linkAgent(context.writing(), options.agent);
  const sockets = new Set<TLSSocket>();
  let handshakes = 0;
  const handshakeMs = options.timeouts?.handshakeMs ?? HANDSHAKE_TIMEOUT_MS;
  const frameMs = options.timeouts?.frameMs ?? FRAME_TIMEOUT_MS;
  const server = createServer(serverTlsOptions(agent.identity, handshakeMs), (socket) => {
    sockets.add(socket);
    handshakes += 1;
    socket.once('close', () => sockets.delete(socket));
    void handle(socket);
  });
  server.maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  // A client that does not speak TLS 1.3, or presents nothing usable, fails here, before any frame.
  server.on('tlsClientError', (error, socket) => {
    socket.destroy();
    const refusal = { reason: 'bad-handshake', message: `The TLS handshake failed: ${error.message.slice(0, 200)}` };
    options.onRefused?.(refusal);
    void recordRefusal(context, refusal, { side: 'server', peer: socket.remoteAddress ?? undefined }).catch(() => undefined);
  });

  async function handle(socket: TLSSocket): Promise<void> {
    const channel = new LinkChannel(socket, frameMs);
    const op = context.writing();
    const now = op.clock.advance(op.write);
    let link: LinkSession | undefined;
    const wire = linkWire();
    let nudger: { stop(): void } | undefined;
    try {
      link = await openAsServer(op, socket, channel, { ...(options.federation ? { federation: options.federation } : {}), agent: agent.id, helloTimeoutMs: handshakeMs }, now);
      // One round after another on this connection until the client's `bye` (0006 "Rounds"); the
      // frame bound between them is the idle limit, so a client that goes silent is let go.
      for (let round = 1; ; round++) {
        const first = await channel.next();
        const arrivedAt = op.clock.wall().getTime();
        nudger?.stop();
        nudger = undefined;
        if (first.type === 'bye') break;
        if (first.type !== 'reconcile') throw first.type === 'refused' ? new Refused(first.reason, `The peer refused: ${first.message}`) : new Refused('unexpected-message', `The peer sent ${first.type} where a round's reconcile or bye was due.`);
        const at = round === 1 ? now : op.clock.advance(op.write);
        if (round > 1) recheckLink(op, socket, link, at);
        if (isDisconnected(op, link.peer.mesh, link.federation.id)) throw new Refused('link-disconnected', `An operator of ${op.mesh().mesh.code} disconnected the link with ${link.peer.mesh} under ${link.federation.id}.`);
        // Computed first: `onSync?.(await …)` would skip the round itself when no one listens.
        const report = await serveRound(await sessionContext(op, parts, channel, link, at, round, wire), first, arrivedAt);
        options.onSync?.(report);
        if (first.nudges === true) nudger = nudgeOnGain(op, channel, scopeName(link.federation.id, link.peer.mesh), report.digest, options.nudgePollMs ?? NUDGE_POLL_MS);
      }
      channel.close();
    } catch (error) {
      const refusal = asRefusal(error);
      channel.refuse(refusal.reason, refusal.message);
      options.onRefused?.(refusal);
      await recordRefusal(context, refusal, { side: 'server', peer: socket.remoteAddress ?? undefined, ...(link ? { partner: link.peer.mesh, federation: link.federation.id } : {}) }).catch(() => undefined);
    } finally {
      nudger?.stop();
    }
  }

  server.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    get handshakes() {
      return handshakes;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

const NUDGE_POLL_MS = 200;

/**
 * The serving side of a watch, between its rounds (0006 "Rounds"): when this store gains
 * observations the link's scope takes in (what the declaration lets cross to the partner, the
 * index kept on every insert), one `nudge`, and then nothing more until the client's next round
 * opens — at most one outstanding per link. The store's newest row is looked at each poll; the
 * scope's fingerprint (one row of the index) only when it moved.
 */
function nudgeOnGain(op: Operation, channel: LinkChannel, scope: string, digest: string, pollMs: number): { stop(): void } {
  // No mark yet: the first look compares the fingerprint, for what was stored between the round's statement and now.
  let mark: number | undefined;
  const stop = () => clearInterval(timer);
  const timer = setInterval(() => {
    try {
      if (channel.failed) return stop();
      const now = latestObservationRowid(op.read);
      if (now === mark) return;
      mark = now;
      if (setDigest(openSyncIndex(op.read, scope)) === digest) return;
      stop();
      channel.send({ type: 'nudge' });
    } catch {
      // The store closing under a server that is stopping: the link ends with it.
      stop();
    }
  }, pollMs);
  timer.unref();
  return { stop };
}

function parsePeer(peer: string): { host: string; port: number } {
  const match = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}):(\d{1,5})$/.exec(peer);
  const port = match ? Number(match[2]) : 0;
  if (!match || port < 1 || port > 65535) throw new Refused('bad-peer', `The peer is HOST:PORT with a numeric IPv4 address or localhost, not "${peer.slice(0, 80)}".`);
  return { host: match[1]!, port };
}

async function connected(socket: TLSSocket): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Refused('link-timeout', `The TLS handshake did not finish within ${HANDSHAKE_TIMEOUT_MS / 1000} s.`));
    }, HANDSHAKE_TIMEOUT_MS);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new Refused('link-unreachable', `The peer cannot be reached over TLS 1.3: ${error.message.slice(0, 200)}`));
    });
  });
}

/** A link opened by us: the socket, its channel and the session, for one round or many. */
interface OpenedLink {
  readonly op: Operation;
  readonly socket: TLSSocket;
  readonly channel: LinkChannel;
  readonly link: LinkSession;
  readonly wire: LinkWire;
}

async function openLink(context: AppContext, request: SyncRequest, facts: { link?: LinkSession; channel?: LinkChannel }, watching = false): Promise<OpenedLink> {
  const { host, port } = parsePeer(request.peer);
  const op: Operation = context.writing();
  const now = op.clock.advance(op.write);
  const own = op.mesh().mesh.code;
  const agent = await linkAgent(op, request.agent);
  const socket = connect(clientTlsOptions(agent.identity, host, port));
  const wire = linkWire(request.frames, watching);
  const channel = new LinkChannel(socket, FRAME_TIMEOUT_MS, { nudges: wire.nudges });
  facts.channel = channel;
  await connected(socket);
  const link = await openAsClient(
    op,
    socket,
    channel,
    {
      federation: (partner) => {
        const id = activeFederationWith(op, own, partner, request.federation, now).id;
        if (isDisconnected(op, partner, id)) throw new Refused('link-disconnected', `The link with ${partner} under ${id} is disconnected by an operator: \`entente agent connect --partner ${partner}\` first.`);
        return id;
      },
      agent: agent.id,
    },
    now,
  );
  facts.link = link;
  return { op, socket, channel, link, wire };
}

/** One round on an opened link: the first with the protocol's buckets, later ones with the probe, each after the opening's checks again. */
async function clientRound(opened: OpenedLink, parts: CrossingParts, round: number, mode: ReconcileMode | undefined): Promise<SyncReport> {
  const { op, socket, channel, link, wire } = opened;
  const now = op.clock.advance(op.write);
  if (round > 1) {
    recheckLink(op, socket, link, now);
    if (isDisconnected(op, link.peer.mesh, link.federation.id)) throw new Refused('link-disconnected', `The link with ${link.peer.mesh} under ${link.federation.id} was disconnected by an operator.`);
  }
  return runClient(await sessionContext(op, parts, channel, link, now, round, wire), mode, round === 1 ? 'initiate' : 'probe');
}

async function failed(context: AppContext, request: SyncRequest, facts: { link?: LinkSession; channel?: LinkChannel }, error: unknown): Promise<Refused> {
  const refusal = asRefusal(error);
  facts.channel?.refuse(refusal.reason, refusal.message);
  await recordRefusal(context, refusal, { side: 'client', peer: request.peer, ...(facts.link ? { partner: facts.link.peer.mesh, federation: facts.link.federation.id } : {}) });
  return error instanceof Refused ? error : new Refused(refusal.reason, refusal.message);
}

export async function sync(context: AppContext, parts: CrossingParts, request: SyncRequest): Promise<SyncReport> {
  const facts: { link?: LinkSession; channel?: LinkChannel } = {};
  try {
    const opened = await openLink(context, request, facts);
    const report = await clientRound(opened, parts, 1, request.mode);
    opened.channel.send({ type: 'bye' });
    opened.channel.close();
    return report;
  } catch (error) {
    throw await failed(context, request, facts, error);
  }
}

/** How a watch's link moved: up once its hellos are through, lost when it drops (it is tried again after `retryInMs`), ended for good on a refusal. */
export type WatchEvent =
  | { readonly state: 'up'; readonly partner: string; readonly federation: string; readonly session: string }
  | { readonly state: 'lost'; readonly reason: string; readonly message: string; readonly retryInMs: number }
  | { readonly state: 'ended'; readonly reason: string; readonly message: string };

export interface WatchRequest extends SyncRequest {
  /** An idle round at least this often (the link's keepalive, under the 30 s frame bound); 2 s by default. */
  readonly intervalMs?: number;
  /** How often the store is looked at for new local observations, which start a round at once; 200 ms by default. */
  readonly pollMs?: number;
  /** Reconnection's backoff after a drop: doubling from `initialMs` (500) to `maxMs` (30,000), back to the start after a round. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly onRound?: (report: SyncReport) => void;
  readonly onEvent?: (event: WatchEvent) => void;
}

export interface LinkWatch {
  /** Ends the watch: a `bye` on the link if it is up; resolves when it is closed. */
  stop(): Promise<void>;
  /** Settles when the watch ends: on `stop()`, or rejected with the refusal that ended it. */
  readonly done: Promise<void>;
}

/**
 * Reasons a watch tries again after: the link dropped, timed out or could not be reached, or an
 * operator disconnected it (which an operator may undo). Anything else is the peer or this mesh
 * refusing the link on its merits (a revoked credential, another federation version): the watch
 * ends there, as the one-off sync would.
 */
const RETRIED = new Set([...ORDINARY_ENDS, 'link-timeout']);

export const WATCH_INTERVAL_MS = 2_000;
/** The longest keepalive a watch takes: a round's own time to spare under the peer's 30 s frame bound. */
export const MAX_WATCH_INTERVAL_MS = 25_000;
const WATCH_POLL_MS = 200;
/**
 * A server's nudges are honoured at once but at most one round per this long: a server that
 * nudges as fast as it can costs its client four probes a second, not a loop.
 */
export const NUDGE_MIN_GAP_MS = 250;
/** Nudged rounds in a row that found nothing to move, after which the server's nudges are a protocol fault (`empty-nudges`): an honest server nudges only when its set gained items. */
export const MAX_EMPTY_NUDGES = 8;

/**
 * `agent sync --watch` (0006 "Rounds"): one mutually authenticated TLS link kept open, a round on
 * it whenever a local observation arrives and at least every `intervalMs`; reconnects with
 * backoff when it drops, ends on a refusal.
 */
export function watch(context: AppContext, parts: CrossingParts, request: WatchRequest): LinkWatch {
  const intervalMs = request.intervalMs ?? WATCH_INTERVAL_MS;
  const pollMs = request.pollMs ?? WATCH_POLL_MS;
  // The keepalive must beat the peer's frame bound, or every quiet spell would end the link as a timeout.
  if (!(Number.isFinite(intervalMs) && intervalMs > 0 && intervalMs <= MAX_WATCH_INTERVAL_MS)) {
    throw new Refused('invalid-argument', `A watch's interval must be more than 0 and at most ${MAX_WATCH_INTERVAL_MS} ms, under the ${FRAME_TIMEOUT_MS} ms a peer waits between frames; ${intervalMs} is not.`);
  }
  if (!(Number.isFinite(pollMs) && pollMs > 0 && pollMs <= intervalMs)) {
    throw new Refused('invalid-argument', `A watch's poll must be more than 0 ms and at most its interval (${intervalMs} ms); ${pollMs} is not.`);
  }
  const initialBackoff = request.backoff?.initialMs ?? 500;
  const maxBackoff = request.backoff?.maxMs ?? 30_000;
  let stopping = false;
  let wake: (() => void) | undefined;
  let current: OpenedLink | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      wake = done;
    });
  const localMark = (op: Operation) => latestObservationRowid(op.read);

  async function keepLinked(): Promise<void> {
    let backoff = initialBackoff;
    while (!stopping) {
      const facts: { link?: LinkSession; channel?: LinkChannel } = {};
      try {
        const opened = await openLink(context, request, facts, true);
        current = opened;
        const { channel } = opened;
        channel.onNudge = () => wake?.();
        request.onEvent?.({ state: 'up', partner: opened.link.peer.mesh, federation: opened.link.federation.id, session: opened.link.session });
        let nudged = false;
        let emptyNudges = 0;
        let lastNudgedAt = -Infinity;
        for (let round = 1; !stopping; round++) {
          // The round opening now answers every nudge so far.
          channel.takeNudges();
          const report = await clientRound(opened, parts, round, request.mode);
          emptyNudges = nudged && report.idle ? emptyNudges + 1 : 0;
          request.onRound?.(report);
          if (emptyNudges >= MAX_EMPTY_NUDGES) throw new Refused('empty-nudges', `The peer nudged ${emptyNudges} rounds in a row that found nothing to move: a server nudges when its set gains items.`);
          nudged = false;
          let mark = localMark(opened.op);
          backoff = initialBackoff;
          // Until the interval is up, a local observation arrives, the server nudges, the link drops or the watch stops.
          for (let waited = 0; waited < intervalMs && !stopping; waited += pollMs) {
            if (channel.nudgesPending === 0) await pause(Math.min(pollMs, intervalMs - waited));
            if (channel.failed) throw channel.failed;
            if (channel.nudgesPending > 0) {
              nudged = true;
              break;
            }
            const now = localMark(opened.op);
            if (now !== mark) {
              mark = now;
              break;
            }
          }
          if (nudged) {
            const wait = lastNudgedAt + NUDGE_MIN_GAP_MS - Date.now();
            if (wait > 0) await pause(wait);
            if (channel.failed) throw channel.failed;
            lastNudgedAt = Date.now();
          }
        }
        opened.channel.send({ type: 'bye' });
        opened.channel.close();
        return;
      } catch (error) {
        current = undefined;
        const refusal = await failed(context, request, facts, error);
        if (stopping) return;
        if (!RETRIED.has(refusal.reason)) {
          request.onEvent?.({ state: 'ended', reason: refusal.reason, message: refusal.message });
          throw refusal;
        }
        request.onEvent?.({ state: 'lost', reason: refusal.reason, message: refusal.message, retryInMs: backoff });
        await pause(backoff);
        backoff = Math.min(maxBackoff, backoff * 2);
      }
    }
  }

  const done = keepLinked();
  done.catch(() => undefined);
  return {
    done,
    stop: async () => {
      stopping = true;
      wake?.();
      await done.catch(() => undefined);
      current?.channel.close();
    },
  };
}
