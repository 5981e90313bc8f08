/**
 * Frames of a live link (decision 0006): a 4-byte big-endian length, then that many bytes of
 * UTF-8 JSON holding one message. A length above MAX_FRAME_BYTES is refused as soon as its four
 * bytes arrive, before a byte of the body is buffered, so a hostile peer cannot make us hold more
 * than one frame's worth; a frame may arrive split across any number of chunks.
 */
import { readStrictJson } from '../../canonical/strict-json.js';
import { canonicalize } from '../../canonical/jcs.js';
import { Refused } from '../../common/refused.js';

/** One message's largest encoding: an `items` frame of 1,024 records fits with room to spare. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;
const HEADER_BYTES = 4;

/** A message as one frame: its length, then its RFC 8785 canonical JSON. @throws Refused 'frame-too-large' */
export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(canonicalize(message), 'utf8');
  if (body.length > MAX_FRAME_BYTES) throw new Refused('frame-too-large', `A frame of ${body.length} bytes is larger than the ${MAX_FRAME_BYTES} a link carries.`);
  const frame = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, HEADER_BYTES);
  return frame;
}

/**
 * Cuts a byte stream into frames. `push` takes each chunk as it arrives and returns the frames it
 * completed, parsed as strict JSON (not yet checked against a message schema).
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected: number | undefined;

  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  /** Bytes held for the frame not yet complete. */
  get pending(): number {
    return this.buffered;
  }

  /** @throws Refused 'frame-too-large' | 'malformed-frame' */
  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: unknown[] = [];
    for (;;) {
      if (this.expected === undefined) {
        if (this.buffered < HEADER_BYTES) break;
        const length = this.take(HEADER_BYTES).readUInt32BE(0);
        if (length > this.maxFrameBytes) throw new Refused('frame-too-large', `The peer announced a frame of ${length} bytes; a link carries at most ${this.maxFrameBytes}.`);
        this.expected = length;
      }
      if (this.buffered < this.expected) break;
      const body = this.take(this.expected);
      this.expected = undefined;
      frames.push(parseBody(body, this.maxFrameBytes));
    }
    return frames;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    const taken = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return taken;
  }
}

function parseBody(body: Buffer, maxBytes: number): unknown {
  try {
    return readStrictJson(body, { maxBytes, maxDepth: 16 });
  } catch (error) {
    throw new Refused('malformed-frame', `A frame is not strict UTF-8 JSON: ${(error as Error).message.slice(0, 200)}`);
  }
}
