/**
 * Splits a byte stream into LF-terminated lines, whatever the chunk boundaries. Splitting at the
 * byte 0x0A is safe for UTF-8: it never occurs inside a multi-byte sequence (RFC 3629 §3), so a
 * character cut between two chunks is rejoined before any line is decoded. Memory is the line
 * limit at most: a line that grows past it is refused before the rest of it is read.
 */
import { BundleError } from './format.js';

export class LineSplitter {
  /**
   * A line begun in earlier chunks, copied into one buffer that doubles as it fills (never past
   * the limit): 1-byte chunks cost one copy per byte, not one Buffer object per byte.
   */
  private pending = Buffer.alloc(0);
  private pendingBytes = 0;
  /** 1-based number of the line being read. */
  private lineNumber = 1;
  /** Bytes of input consumed up to the end of the last complete line. */
  private offset = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** The number the next complete line will have. */
  get nextLine(): number {
    return this.lineNumber;
  }

  /** Byte offset of the start of the next line. */
  get position(): number {
    return this.offset;
  }

  /**
   * Feeds one chunk; calls `onLine(bytes, number)` for each line it completes, LF excluded.
   * `bytes` may be a view of the chunk: use or copy it before the next call. Throws
   * BundleError('line-too-long') as soon as a line passes the limit. `onLine` returning false
   * pauses after that line: the return value is how many bytes of `chunk` were consumed, so the
   * caller can push the rest later (the whole chunk's length when nothing is left).
   */
  push(chunk: Buffer, onLine: (bytes: Buffer, line: number) => boolean | undefined): number {
    let start = 0;
    for (;;) {
      const lf = chunk.indexOf(0x0a, start);
      if (lf === -1) break;
      let bytes = chunk.subarray(start, lf);
      if (this.pendingBytes > 0) {
        this.append(bytes);
        bytes = this.pending.subarray(0, this.pendingBytes);
        // The next line starts a new buffer: `bytes` stays the caller's until then.
        this.pending = Buffer.alloc(0);
        this.pendingBytes = 0;
      }
      if (bytes.length > this.maxLineBytes) throw this.tooLong();
      const line = this.lineNumber++;
      this.offset += bytes.length + 1;
      start = lf + 1;
      if (onLine(bytes, line) === false) return start;
    }
    if (start < chunk.length) {
      // Copied: the caller's chunk may be reused once we return.
      this.append(chunk.subarray(start));
    }
    return chunk.length;
  }

  private append(bytes: Buffer): void {
    const needed = this.pendingBytes + bytes.length;
    if (needed > this.maxLineBytes) throw this.tooLong();
    if (needed > this.pending.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(needed, this.pending.length * 2, 4096), this.maxLineBytes));
      this.pending.copy(grown, 0, 0, this.pendingBytes);
      this.pending = grown;
    }
    bytes.copy(this.pending, this.pendingBytes);
    this.pendingBytes = needed;
  }

  /** Bytes after the last LF: a line the input stopped in the middle of. */
  get unterminatedBytes(): number {
    return this.pendingBytes;
  }

  private tooLong(): BundleError {
    return new BundleError('line-too-long', `Line ${this.lineNumber} of the bundle is longer than the limit of ${this.maxLineBytes} bytes.`, this.lineNumber);
  }
}

/** Chunks as Buffers: a source may give strings or other Uint8Arrays. */
export function asBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
