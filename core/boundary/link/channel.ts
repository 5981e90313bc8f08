/**
 * One link connection as a sequence of messages: frames cut from the socket, each checked
 * against the message schemas, handed out one `next()` at a time, each within a bound of the
 * last (decision 0006 "Bounds"). A peer that breaks a bound, sends a bad frame or goes away is a
 * `Refused` with its reason from `next()`, never a hang; nothing more is read after one.
 */
import type { Duplex } from 'node:stream';
import { Refused } from '../../common/refused.js';
import { encodeFrame, FrameReader } from './frames.js';
import { readMessage, type LinkMessage, type LinkMessageOf } from './messages.js';

/** Any frame within this long of the last. */
export const FRAME_TIMEOUT_MS = 30_000;
/**
 * Nudges a channel that takes them may hold before its owner opens a round. An honest server has
 * at most one outstanding, and one more may cross the round its client opened meanwhile: a third
 * is a server nudging without waiting for the round it asked for (`too-many-nudges`).
 */
export const MAX_PENDING_NUDGES = 2;

export interface LinkChannelOptions {
  /** A watching client (frame set 2): `nudge` frames are counted apart, never handed out by `next()`, and `onNudge` is called for each. */
  readonly nudges?: boolean;
}

export class LinkChannel {
  private readonly reader = new FrameReader();
  private readonly queue: LinkMessage[] = [];
  private failure: Refused | undefined;
  private waiting: { resolve: (m: LinkMessage) => void; reject: (e: Refused) => void; timer: NodeJS.Timeout } | undefined;
  /** Bytes read and written, frames included. */
  bytesIn = 0;
  bytesOut = 0;
  /** Nudges received since the owner last took them (a channel that takes nudges only). */
  private pendingNudges = 0;
  /** Called as each nudge arrives: a watch waiting between rounds wakes on it. */
  onNudge: (() => void) | undefined;

  constructor(
    private readonly socket: Duplex,
    private readonly timeoutMs = FRAME_TIMEOUT_MS,
    private readonly options: LinkChannelOptions = {},
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.fail(new Refused('link-closed', 'The peer closed the link.')));
    socket.on('close', () => this.fail(new Refused('link-closed', 'The link was closed.')));
    socket.on('error', (error: Error) => this.fail(new Refused('link-error', `The link failed: ${error.message.slice(0, 200)}`)));
  }

  /** Why the link ended, once it has (the peer closed it, a bound broke, a bad frame came): a watch between rounds looks here. */
  get failed(): Refused | undefined {
    return this.failure;
  }

  send(message: LinkMessage): void {
    const frame = encodeFrame(message);
    this.bytesOut += frame.length;
    this.socket.write(frame);
  }

  /** The next message, within the bound. @throws Refused (the frame's, the schema's, 'link-timeout', 'link-closed') */
  next(timeoutMs = this.timeoutMs): Promise<LinkMessage> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Refused('link-timeout', `The peer sent no complete frame within ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs);
      this.waiting = { resolve, reject, timer };
    });
  }

  /** The next message, which must be of `type` (a `refused` from the peer is thrown with the peer's reason). */
  async expect<T extends LinkMessage['type']>(type: T, timeoutMs?: number): Promise<LinkMessageOf<T>> {
    const message = await this.next(timeoutMs);
    if (message.type === type) return message as LinkMessageOf<T>;
    if (message.type === 'refused') throw new Refused(message.reason, `The peer refused: ${message.message}`);
    throw new Refused('unexpected-message', `The peer sent ${message.type} where ${type} was due.`);
  }

  /** Nudges received and not taken yet. */
  get nudgesPending(): number {
    return this.pendingNudges;
  }

  /** The nudges received since the last call (and forgets them): the owner is opening the round they asked for. */
  takeNudges(): number {
    const pending = this.pendingNudges;
    this.pendingNudges = 0;
    return pending;
  }

  /** Tells the peer why, then closes. */
  refuse(reason: string, message: string): void {
    if (this.socket.destroyed || !this.socket.writable) return this.close();
    try {
      this.send({ type: 'refused', reason, message: message.slice(0, 1000) });
    } catch {
      /* the link is going anyway */
    }
    this.close();
  }

  close(): void {
    this.fail(new Refused('link-closed', 'The link was closed.'));
    this.socket.pause();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private onData(chunk: Buffer): void {
    if (this.failure) return;
    this.bytesIn += chunk.length;
    try {
      for (const json of this.reader.push(chunk)) this.deliver(readMessage(json));
    } catch (error) {
      // Nothing more is read; the owner tells the peer why (refuse) and closes.
      this.socket.pause();
      this.fail(error instanceof Refused ? error : new Refused('malformed-frame', 'A frame cannot be read.'));
    }
  }

  private deliver(message: LinkMessage): void {
    if (this.failure) return;
    if (message.type === 'nudge' && this.options.nudges) {
      // Counted, not queued: a nudge that crosses a round must not stand where the round's replies are due.
      if (++this.pendingNudges > MAX_PENDING_NUDGES) {
        this.socket.pause();
        this.fail(new Refused('too-many-nudges', `The peer sent ${this.pendingNudges} nudges before the round they ask for could open: at most one is outstanding.`));
      }
      this.onNudge?.();
      return;
    }
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      clearTimeout(waiting.timer);
      waiting.resolve(message);
    } else this.queue.push(message);
  }

  private fail(refusal: Refused): void {
    if (this.failure) return;
    this.failure = refusal;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      clearTimeout(waiting.timer);
      waiting.reject(refusal);
    }
  }
}
