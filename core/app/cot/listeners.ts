/**
 * CoT over the network, on the loopback interface only (a TAK client or gateway on this
 * workstation; anything wider is the boundary's job, not this listener's):
 * - ingest over UDP, one event per datagram (how ATAK sends its SA), and over TCP, events
 *   concatenated on a stream and framed by `</event>` with a bounded buffer — a connection that
 *   sends more than one event's bound without closing an event is dropped, the others carry on;
 *   so is one that sends nothing for the idle timeout, or trickles an event slower than the event
 *   timeout allows (a slow sender holding a socket open, the slowloris pattern);
 * - export over TCP: each client that connects is sent the whole picture, then every subject
 *   whose picture digest changes, polled from the store (cheap: one row, the picture sum, per poll).
 * Every event's outcome is counted by reason; nothing a sender does stops the listener.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { Refused } from '../../common/refused.js';
import { COT_LIMITS, CotFramer } from '../../cot/index.js';
import { readPictureSum } from '../../store/reconcile-store.js';
import type { AppContext, Operation } from '../context/operation.js';
import { changedCotEvents, exportCotPicture } from './export.js';
import { openCotIngest, type CotIngestRequest, type CotOutcome } from './ingest.js';

export const LOOPBACK = '127.0.0.1';

/** Datagrams waiting to be ingested; past this a datagram is refused unread (`cot-overload`), so a flood costs bounded memory. */
export const MAX_QUEUED_DATAGRAMS = 256;
/** TCP senders at once; a TAK gateway needs one. */
export const MAX_TCP_CONNECTIONS = 64;
/**
 * A TCP sender silent this long is let go (`cot-idle-timeout`). A TAK gateway sends its SA every
 * few seconds, and one that stops can connect again.
 */
export const COT_IDLE_TIMEOUT_MS = 60_000;
/** An event begun must close within this long of its first byte (`cot-slow-event`): a sender trickling bytes is never idle, but never done. */
export const COT_EVENT_TIMEOUT_MS = 30_000;
/** What an export client may leave unread before it is dropped as too slow. */
export const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

export interface CotCounters {
  readonly admitted: number;
  /** Refusals by reason (`cot-malformed`, `cot-dtd`, …). */
  readonly refused: Readonly<Record<string, number>>;
  /** TCP connections dropped: past the bound without closing an event, silent past the idle timeout, or too slow to close an event. */
  readonly droppedConnections: number;
}

/** The bounds as they were reached: a test asserts memory stayed bounded on these, not on timing. */
export interface CotBufferStats {
  /** The most characters one TCP connection's framer held between chunks. */
  readonly maxPendingChars: number;
  /** The most datagrams waiting at once. */
  readonly maxQueuedDatagrams: number;
}

export interface CotListener {
  readonly transport: 'udp' | 'tcp';
  readonly port: number;
  counters(): CotCounters;
  buffers(): CotBufferStats;
  /** Resolves once every event received so far has its outcome. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface CotListenRequest extends CotIngestRequest {
  readonly transport: 'udp' | 'tcp';
  /** 0 picks a free port. */
  readonly port: number;
  /** Only 127.0.0.1 is accepted (the default). */
  readonly host?: string;
  readonly onOutcome?: (outcome: CotOutcome) => void;
  /** TCP: the bounds in time of one sender (defaults COT_IDLE_TIMEOUT_MS, COT_EVENT_TIMEOUT_MS); tests shorten them. */
  readonly timeouts?: { readonly idleMs?: number; readonly eventMs?: number };
}

export function requireLoopback(host: string): void {
  if (host !== LOOPBACK) throw new Refused('not-loopback', `CoT listeners bind to ${LOOPBACK} only, not ${host.slice(0, 64)}: a wider network reaches this mesh through its boundary agents.`);
}

class Tally {
  admitted = 0;
  droppedConnections = 0;
  readonly refused: Record<string, number> = {};
  maxPendingChars = 0;
  maxQueuedDatagrams = 0;

  count(outcome: CotOutcome): void {
    if (outcome.outcome === 'admitted') this.admitted += 1;
    else this.refused[outcome.reason] = (this.refused[outcome.reason] ?? 0) + 1;
  }

  counters(): CotCounters {
    return { admitted: this.admitted, refused: { ...this.refused }, droppedConnections: this.droppedConnections };
  }
}

/** Opens the device's ingest (refused as `entente observe` would refuse it) and listens. */
export async function listenCot(op: Operation, request: CotListenRequest): Promise<CotListener> {
  requireLoopback(request.host ?? LOOPBACK);
  const session = await openCotIngest(op, request);
  const tally = new Tally();
  const report = (outcome: CotOutcome) => {
    tally.count(outcome);
    request.onOutcome?.(outcome);
  };
  const timeouts = { idleMs: request.timeouts?.idleMs ?? COT_IDLE_TIMEOUT_MS, eventMs: request.timeouts?.eventMs ?? COT_EVENT_TIMEOUT_MS };
  return request.transport === 'udp' ? listenUdp(request.port, session.ingest, tally, report) : listenTcp(request.port, session.ingest, tally, report, timeouts);
}

type Ingest = (xml: string | Uint8Array) => Promise<CotOutcome>;

async function listenUdp(port: number, ingest: Ingest, tally: Tally, report: (o: CotOutcome) => void): Promise<CotListener> {
  const socket: UdpSocket = createSocket('udp4');
  const queue: Buffer[] = [];
  let draining: Promise<void> = Promise.resolve();
  let running = false;
  const drain = async () => {
    running = true;
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) report(await ingest(next));
    running = false;
  };
  socket.on('message', (datagram) => {
    if (queue.length >= MAX_QUEUED_DATAGRAMS) {
      report({ outcome: 'refused', reason: 'cot-overload', message: `More than ${MAX_QUEUED_DATAGRAMS} datagrams are waiting; this one was dropped unread.` });
      return;
    }
    queue.push(datagram);
    tally.maxQueuedDatagrams = Math.max(tally.maxQueuedDatagrams, queue.length);
    if (!running) draining = drain();
  });
  // A datagram socket's errors (ICMP unreachable echoes and the like) are no reason to stop.
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, LOOPBACK, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    transport: 'udp',
    port: socket.address().port,
    counters: () => tally.counters(),
    buffers: () => ({ maxPendingChars: 0, maxQueuedDatagrams: tally.maxQueuedDatagrams }),
    settled: async () => {
      while (running || queue.length > 0) await draining;
    },
    close: async () => {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
      while (running || queue.length > 0) await draining;
    },
  };
}

async function listenTcp(port: number, ingest: Ingest, tally: Tally, report: (o: CotOutcome) => void, timeouts: { idleMs: number; eventMs: number }): Promise<CotListener> {
  const sockets = new Set<Socket>();
  const working = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    working.add(work);
    void work.finally(() => working.delete(work));
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const framer = new CotFramer(COT_LIMITS.maxBytes);
    // One chunk at a time: the socket is paused while its events are ingested, so a fast sender
    // waits in the kernel's buffers (TCP flow control), not in ours.
    let chain: Promise<void> = Promise.resolve();
    let busy = 0;
    let eventTimer: NodeJS.Timeout | undefined;
    const drop = (reason: string, message: string) => {
      if (socket.destroyed) return;
      clearTimeout(eventTimer);
      tally.droppedConnections += 1;
      report({ outcome: 'refused', reason, message });
      socket.destroy();
    };
    // Silence: no byte for the idle bound (while we ingest, the socket is paused by us, so that is no silence of the sender's).
    socket.setTimeout(timeouts.idleMs, () => {
      if (busy === 0) drop('cot-idle-timeout', `A TCP sender sent nothing for ${timeouts.idleMs / 1000} s; its connection was dropped.`);
    });
    socket.on('data', (chunk: Buffer) => {
      socket.pause();
      busy += 1;
      const work = chain.then(async () => {
        try {
          const framed = framer.push(chunk);
          tally.maxPendingChars = Math.max(tally.maxPendingChars, framer.pendingLength);
          // The event deadline runs from an event's first byte: what closed here ends it, what is left begins the next.
          if (framed.events.length > 0 || framed.overflow) {
            clearTimeout(eventTimer);
            eventTimer = undefined;
          }
          if (framer.holdsPartialEvent && eventTimer === undefined && !socket.destroyed) {
            eventTimer = setTimeout(() => drop('cot-slow-event', `A TCP sender took more than ${timeouts.eventMs / 1000} s over one event without closing it; its connection was dropped.`), timeouts.eventMs);
            eventTimer.unref();
          }
          for (const event of framed.events) report(await ingest(event));
          if (framed.overflow) {
            drop('cot-too-large', `A TCP sender sent more than ${COT_LIMITS.maxBytes} bytes without closing an event; its connection was dropped.`);
            return;
          }
          if (!socket.destroyed) socket.resume();
        } finally {
          busy -= 1;
        }
      });
      chain = work;
      track(work);
    });
    socket.on('end', () => {
      const work = chain.then(async () => {
        const rest = framer.end();
        if (rest !== null) report(await ingest(rest));
      });
      chain = work;
      track(work);
      socket.end();
    });
    socket.on('close', () => {
      clearTimeout(eventTimer);
      sockets.delete(socket);
    });
    // A reset by the sender ends its connection, not the listener.
    socket.on('error', () => undefined);
  });
  server.maxConnections = MAX_TCP_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  const settled = async () => {
    while (working.size > 0) await Promise.all([...working]);
  };
  return {
    transport: 'tcp',
    port: (server.address() as { port: number }).port,
    counters: () => tally.counters(),
    buffers: () => ({ maxPendingChars: tally.maxPendingChars, maxQueuedDatagrams: 0 }),
    settled,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await settled();
    },
  };
}

export interface CotExportServer {
  readonly port: number;
  /** Clients connected now. */
  clients(): number;
  /** Events written to clients so far, and clients dropped for not reading. */
  stats(): { readonly sent: number; readonly droppedClients: number };
  close(): Promise<void>;
}

export interface CotExportRequest {
  readonly port: number;
  readonly host?: string;
  /** How often the picture is looked at for changes (default 2 s). */
  readonly pollMs?: number;
  readonly onError?: (error: Error) => void;
}

/** Serves the picture as CoT to each TAK client that connects, then what changes in it. */
export async function serveCotExport(context: AppContext, request: CotExportRequest): Promise<CotExportServer> {
  requireLoopback(request.host ?? LOOPBACK);
  const clients = new Set<Socket>();
  let sent = 0;
  let droppedClients = 0;
  const write = (socket: Socket, xml: string) => {
    if (socket.destroyed) return;
    if (socket.writableLength > MAX_UNSENT_BYTES) {
      droppedClients += 1;
      socket.destroy();
      return;
    }
    socket.write(`${xml}\n`);
    sent += 1;
  };
  const failed = (error: unknown) => request.onError?.(error instanceof Error ? error : new Error(String(error)));

  // What every client has been sent, as subject → digest; a poll sends what differs.
  const known = new Map<string, string>();
  await changedCotEvents(context.reading(), known);
  let lastDigest = readPictureSum(context.reading().read)?.digest ?? null;
  let polling = false;
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      const digest = readPictureSum(context.reading().read)?.digest ?? null;
      if (digest === lastDigest) return;
      lastDigest = digest;
      const changed = await changedCotEvents(context.reading(), known);
      for (const socket of clients) for (const event of changed) write(socket, event.xml);
    } catch (error) {
      failed(error);
    } finally {
      polling = false;
    }
  };
  const timer = setInterval(() => void poll(), request.pollMs ?? 2_000);
  timer.unref();

  const server = createServer((socket) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    socket.on('error', () => undefined);
    // What a client sends (a TAK client's own SA) is not read here: ingest is its own listener.
    socket.on('data', () => undefined);
    exportCotPicture(context.reading())
      .then((picture) => {
        for (const event of picture.events) write(socket, event.xml);
      })
      .catch(failed);
  });
  server.maxConnections = MAX_TCP_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(request.port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', failed);
  return {
    port: (server.address() as { port: number }).port,
    clients: () => clients.size,
    stats: () => ({ sent, droppedClients }),
    close: async () => {
      clearInterval(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of clients) socket.destroy();
      await closed;
    },
  };
}
