/**
 * The link's frames and messages against hostile bytes: split frames, an oversized length refused
 * before its body is buffered, malformed JSON, unknown types, a frame that never completes.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Refused } from '../../common/refused.js';
import { LinkChannel } from './channel.js';
import { replyStamp, requestStamp, sampleOf } from './clock.js';
import { encodeFrame, FrameReader, MAX_FRAME_BYTES } from './frames.js';
import { readMessage } from './messages.js';

const reasonOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    return error instanceof Refused ? error.reason : `not refused: ${String(error)}`;
  }
  return undefined;
};

function rawFrame(body: Buffer | string): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(bytes.length, 0);
  return Buffer.concat([header, bytes]);
}

describe('link frames', () => {
  it('reassembles frames split at every byte and several frames in one chunk', () => {
    const messages = [{ type: 'bye' }, { type: 'want', ids: ['a'.repeat(64)] }, { type: 'refused', reason: 'x', message: 'é ü' }];
    const bytes = Buffer.concat(messages.map((m) => encodeFrame(m)));
    const reader = new FrameReader();
    const out: unknown[] = [];
    for (let i = 0; i < bytes.length; i++) out.push(...reader.push(bytes.subarray(i, i + 1)));
    expect(out).toEqual(messages);
    expect(reader.pending).toBe(0);
    expect(new FrameReader().push(bytes)).toEqual(messages);
  });

  it('refuses an oversized length as soon as its four bytes arrive', () => {
    const reader = new FrameReader();
    const header = Buffer.alloc(4);
    header.writeUInt32BE(MAX_FRAME_BYTES + 1, 0);
    expect(reasonOf(() => reader.push(header))).toBe('frame-too-large');
    expect(reader.pending).toBe(0);
    expect(reasonOf(() => encodeFrame({ type: 'refused', reason: 'x', message: 'y'.repeat(MAX_FRAME_BYTES) }))).toBe('frame-too-large');
  });

  it('refuses malformed JSON, invalid UTF-8, unknown types and messages off their schema', () => {
    expect(reasonOf(() => new FrameReader().push(rawFrame('{"type":"bye"')))).toBe('malformed-frame');
    expect(reasonOf(() => new FrameReader().push(rawFrame(Buffer.from([0x7b, 0xff, 0x7d]))))).toBe('malformed-frame');
    expect(reasonOf(() => new FrameReader().push(rawFrame('{"type":"bye","type":"bye"}')))).toBe('malformed-frame');
    expect(reasonOf(() => readMessage({ type: 'gossip' }))).toBe('malformed-message');
    expect(reasonOf(() => readMessage({ type: 'bye', extra: 1 }))).toBe('malformed-message');
    expect(reasonOf(() => readMessage({ type: 'want', ids: Array.from({ length: 1025 }, () => 'a'.repeat(64)) }))).toBe('malformed-message');
    expect(reasonOf(() => readMessage({ type: 'reconcile', scope: 'no-colon', message: '61', clock: { t1: 1 } }))).toBe('malformed-message');
    expect(reasonOf(() => readMessage({ type: 'reconcile', scope: 'fed-1:DEU', message: '6', clock: { t1: 1 } }))).toBe('malformed-message');
    expect(readMessage({ type: 'reconcile', scope: 'fed-1:DEU', message: '61', clock: { t1: 1 } })).toMatchObject({ type: 'reconcile' });
    expect(reasonOf(() => readMessage([1]))).toBe('malformed-message');
  });
});

describe('link channel', () => {
  it('hands out messages in order and names a frame that never completes within the bound', async () => {
    const socket = new PassThrough();
    const channel = new LinkChannel(socket, 200);
    socket.write(Buffer.concat([encodeFrame({ type: 'bye' }), encodeFrame({ type: 'want', ids: [] })]));
    expect(await channel.next()).toEqual({ type: 'bye' });
    expect(await channel.expect('want')).toEqual({ type: 'want', ids: [] });
    // A slow peer: a header promising 100 bytes, then one byte at a time, never finishing in time.
    const header = Buffer.alloc(4);
    header.writeUInt32BE(100, 0);
    socket.write(header);
    const drip = setInterval(() => socket.write(Buffer.from(' ')), 20);
    // The frame deadline runs from the header, so a drip that keeps the socket busy still ends
    // in a timeout (were it an idle timer, this would hang until the test's own timeout).
    await expect(channel.next()).rejects.toMatchObject({ reason: 'link-timeout' });
    clearInterval(drip);
    await expect(channel.next()).rejects.toMatchObject({ reason: 'link-timeout' });
  });

  it('turns a bad frame or a refusal from the peer into a named refusal', async () => {
    const socket = new PassThrough();
    const channel = new LinkChannel(socket, 1000);
    socket.write(encodeFrame({ type: 'refused', reason: 'replayed-hello', message: 'no' }));
    await expect(channel.expect('hello')).rejects.toMatchObject({ reason: 'replayed-hello' });
    socket.write(rawFrame('not json'));
    await expect(channel.next()).rejects.toMatchObject({ reason: 'malformed-frame' });
  });
});

describe('nudges (frame set 2)', () => {
  it('a channel that takes nudges counts them apart, never in place of a reply, and names a third before the round', async () => {
    const socket = new PassThrough();
    const channel = new LinkChannel(socket, 1000, { nudges: true });
    let woken = 0;
    channel.onNudge = () => (woken += 1);
    // A nudge that crosses the round its client opened comes before the reply, and is not the reply.
    socket.write(Buffer.concat([encodeFrame({ type: 'nudge' }), encodeFrame({ type: 'want', ids: [] })]));
    expect(await channel.expect('want')).toEqual({ type: 'want', ids: [] });
    expect([channel.nudgesPending, woken]).toEqual([1, 1]);
    expect(channel.takeNudges()).toBe(1);
    expect(channel.nudgesPending).toBe(0);
    socket.write(Buffer.concat([encodeFrame({ type: 'nudge' }), encodeFrame({ type: 'nudge' }), encodeFrame({ type: 'nudge' }), encodeFrame({ type: 'bye' })]));
    await expect(channel.next()).rejects.toMatchObject({ reason: 'too-many-nudges' });
    expect(channel.failed?.reason).toBe('too-many-nudges');
  });

  it('a channel that does not take them hands a nudge out as any other message, for its owner to refuse', async () => {
    const socket = new PassThrough();
    const channel = new LinkChannel(socket, 1000);
    socket.write(encodeFrame({ type: 'nudge' }));
    await expect(channel.expect('reconcile')).rejects.toMatchObject({ reason: 'unexpected-message' });
    // A nudge carries nothing: anything in it is malformed.
    expect(reasonOf(() => readMessage({ type: 'nudge', ids: [] }))).toBe('malformed-message');
    expect(reasonOf(() => readMessage({ type: 'reconcile', scope: 'f-1:NLD', message: '61', clock: { t1: 1 }, nudges: false }))).toBe('malformed-message');
  });
});

describe('clock samples', () => {
  it('computes offset and delay from the four timestamps (RFC 5905 §8)', () => {
    const request = requestStamp(1000);
    // The peer's clock runs 500 ms ahead; 20 ms each way; 5 ms to answer.
    const reply = replyStamp(request, 1520, 1525);
    expect(sampleOf(reply, 1045)).toEqual({ t1: 1000, t2: 1520, t3: 1525, t4: 1045, offset: 500, delay: 40 });
    expect(sampleOf(request, 1045)).toBeUndefined();
  });
});
