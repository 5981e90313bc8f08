/**
 * Reading what the user hands the command line — a named file, standard input — never past a
 * limit: a regular file larger than the limit is refused unread (its size says so), and a pipe
 * or device (`/dev/zero`, a FIFO), whose size says nothing, is read until its end or one byte
 * past the limit, whichever comes first. Memory stays the limit plus one chunk. Text (JSON,
 * PEM, XML) never holds a NUL byte, so a text read also stops at the first one.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 64 * 1024;

/** Thrown when the input holds more than the limit; the caller names the input in its refusal. */
export class InputTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`larger than ${maxBytes} bytes`);
    this.name = 'InputTooLarge';
  }
}

/** Thrown by a text read at the first NUL byte: what is read is not text (e.g. /dev/zero). */
export class InputNotText extends Error {
  constructor(readonly offset: number) {
    super(`holds a NUL byte at offset ${offset}`);
    this.name = 'InputNotText';
  }
}

/**
 * The bytes of the file at `path`, at most `maxBytes`; with `text`, none of them NUL.
 * Throws InputTooLarge, InputNotText, or the fs error on open or read.
 */
export function readFileBounded(path: string, maxBytes: number, options: { text?: boolean } = {}): Buffer {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    const size = stat.size;
    if (stat.isFile() && size > maxBytes) throw new InputTooLarge(maxBytes);
    // A regular file is read into one buffer of its size (plus the byte that shows it grew);
    // anything else starts at one chunk and doubles, never past the limit plus one.
    let buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(size + 1, CHUNK_BYTES)));
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        if (filled > maxBytes) throw new InputTooLarge(maxBytes);
        const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, filled);
        buffer = grown;
      }
      const read = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (read === 0) return buffer.subarray(0, filled);
      const nul = options.text ? buffer.subarray(filled, filled + read).indexOf(0) : -1;
      if (nul >= 0) throw new InputNotText(filled + nul);
      filled += read;
    }
  } finally {
    closeSync(fd);
  }
}

/** A stream's bytes (standard input), at most `maxBytes`; stops reading at the first chunk past it. */
export async function readStreamBounded(stream: AsyncIterable<Buffer | string>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    size += bytes.length;
    // Leaving the loop destroys the stream: nothing more is read.
    if (size > maxBytes) throw new InputTooLarge(maxBytes);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}
