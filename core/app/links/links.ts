/**
 * Serving and opening live links (decision 0006): `serve` listens on 127.0.0.1 only, bounds
 * the TLS handshake and hello, the frames, and how many connections are open at once; a client
 * that does not speak TLS, or whose certificate or hello is refused, is recorded as an integrity
 * event (`link-refused`, its reason in the evidence) and the server keeps serving. `sync` is the
 * client: one sync, both directions, to a partner's agent at HOST:PORT.
 */
import { once } from 'node:events';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { clientTlsOptions, FRAME_TIMEOUT_MS, LinkChannel, serverTlsOptions, type ReconcileMode } from '../../boundary/link/index.js';
import { Refused } from '../../common/refused.js';
import { recordAttempt } from '../../store/link-store.js';
import type { AppContext, Operation } from '../context/operation.js';
import { activeFederationWith } from '../crossing/export.js';
import type { CrossingParts } from '../crossing/parts.js';
import { recordIntegrityEvent } from '../integrity/events.js';
import { HANDSHAKE_TIMEOUT_MS, linkAgent, openAsClient, openAsServer, type LinkSession } from './handshake.js';
import { runClient, runServer, sessionContext, type SyncReport } from './session.js';
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
  readonly onSync?: (report: SyncReport) => void;
  readonly onRefused?: (refusal: { reason: string; message: string }) => void;
}

export interface LinkServer {
  readonly port: number;
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
  const handshakeMs = options.timeouts?.handshakeMs ?? HANDSHAKE_TIMEOUT_MS;
  const frameMs = options.timeouts?.frameMs ?? FRAME_TIMEOUT_MS;
  const server = createServer(serverTlsOptions(agent.identity, handshakeMs), (socket) => {
    sockets.add(socket);
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
    try {
      link = await openAsServer(op, socket, channel, { ...(options.federation ? { federation: options.federation } : {}), agent: agent.id, helloTimeoutMs: handshakeMs }, now);
      if (isDisconnected(op, link.peer.mesh, link.federation.id)) throw new Refused('link-disconnected', `An operator of ${op.mesh().mesh.code} disconnected the link with ${link.peer.mesh} under ${link.federation.id}.`);
      const report = await runServer(await sessionContext(op, parts, channel, link, now));
      channel.close();
      options.onSync?.(report);
    } catch (error) {
      const refusal = asRefusal(error);
      channel.refuse(refusal.reason, refusal.message);
      options.onRefused?.(refusal);
      await recordRefusal(context, refusal, { side: 'server', peer: socket.remoteAddress ?? undefined, ...(link ? { partner: link.peer.mesh, federation: link.federation.id } : {}) }).catch(() => undefined);
    }
  }

  server.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
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

export async function sync(context: AppContext, parts: CrossingParts, request: SyncRequest): Promise<SyncReport> {
  const { host, port } = parsePeer(request.peer);
  const op: Operation = context.writing();
  const now = op.clock.advance(op.write);
  const own = op.mesh().mesh.code;
  const agent = await linkAgent(op, request.agent);
  const socket = connect(clientTlsOptions(agent.identity, host, port));
  const channel = new LinkChannel(socket);
  let link: LinkSession | undefined;
  try {
    await connected(socket);
    link = await openAsClient(
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
    const report = await runClient(await sessionContext(op, parts, channel, link, now), request.mode);
    channel.close();
    return report;
  } catch (error) {
    const refusal = asRefusal(error);
    channel.refuse(refusal.reason, refusal.message);
    await recordRefusal(context, refusal, { side: 'client', peer: request.peer, ...(link ? { partner: link.peer.mesh, federation: link.federation.id } : {}) });
    throw error instanceof Refused ? error : new Refused(refusal.reason, refusal.message);
  }
}
