/**
 * Clock samples of a live link: NTP's four timestamps (RFC 5905 §8) carried by `reconcile` and
 * `items` frames — t1 the request sent, t2 it arrived, t3 the reply sent (peer's clock), t4 the
 * reply arrived (ours). Stored per partner for the temporal reconciliation (issue 15).
 */
import type { ClockStamp } from './messages.js';

export interface ClockSample {
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  readonly t4: number;
  /** The peer's clock minus ours, ms (RFC 5905: ((t2 − t1) + (t3 − t4)) / 2). */
  readonly offset: number;
  /** The round trip minus the peer's time holding the request, ms ((t4 − t1) − (t3 − t2)). */
  readonly delay: number;
}

/** The stamp a request goes out with. */
export function requestStamp(now: number): ClockStamp {
  return { t1: now };
}

/** The stamp a reply goes out with: the request's t1, when it arrived and when the reply leaves. */
export function replyStamp(request: ClockStamp, receivedAt: number, now: number): ClockStamp {
  return { t1: request.t1, t2: receivedAt, t3: now };
}

/** The sample a reply's stamp gives on arrival at t4, or undefined when the reply carries no t2/t3 or went out before it was asked. */
export function sampleOf(reply: ClockStamp, t4: number): ClockSample | undefined {
  if (reply.t2 === undefined || reply.t3 === undefined || reply.t3 < reply.t2 || t4 < reply.t1) return undefined;
  const { t1, t2, t3 } = reply;
  return { t1, t2, t3, t4, offset: (t2 - t1 + (t3 - t4)) / 2, delay: t4 - t1 - (t3 - t2) };
}
