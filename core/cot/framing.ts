/**
 * Splitting a stream of concatenated CoT events (a TAK TCP stream, a file of several events)
 * into one text per event, by the closing `</event>` tag, with a bounded buffer: text that runs
 * past the bound without closing an event is garbage or an attack, and is reported as overflow
 * and dropped rather than kept. (A `</event>` inside a comment or CDATA section would cut an
 * event short; both halves are then refused as malformed, and framing carries on after them.)
 */
import { StringDecoder } from 'node:string_decoder';
import { COT_LIMITS } from './guard.js';

export interface FramedChunk {
  /** Complete event texts, in order (each still to be checked by the guard). */
  readonly events: string[];
  /** True when the pending text passed the bound without closing an event; it was dropped. */
  readonly overflow: boolean;
}

const CLOSING = /<\/event\s*>/g;
/** The longest a closing tag cut by a chunk boundary can be while we still search for it. */
const CLOSING_TAIL = 32;

export class CotFramer {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  /** Where the search for the next closing tag resumes: nothing before it can end one. */
  private searchFrom = 0;

  /** `maxPending`: characters held while waiting for `</event>` (one event's bound by default). */
  constructor(private readonly maxPending: number = COT_LIMITS.maxBytes) {}

  /** Characters held now: never more than maxPending (plus one chunk, until `push` returns). */
  get pendingLength(): number {
    return this.pending.length;
  }

  /** Whether an event has begun and not closed yet (text held beyond the whitespace between events). */
  get holdsPartialEvent(): boolean {
    return /\S/.test(this.pending);
  }

  push(chunk: Uint8Array | string): FramedChunk {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    const events: string[] = [];
    let start = 0;
    CLOSING.lastIndex = this.searchFrom;
    for (let match = CLOSING.exec(this.pending); match !== null; match = CLOSING.exec(this.pending)) {
      const end = match.index + match[0].length;
      const event = this.pending.slice(start, end).trim();
      if (event !== '') events.push(event);
      start = end;
    }
    this.pending = this.pending.slice(start);
    if (this.pending.length > this.maxPending) {
      this.pending = '';
      this.searchFrom = 0;
      return { events, overflow: true };
    }
    this.searchFrom = Math.max(0, this.pending.length - CLOSING_TAIL);
    return { events, overflow: false };
  }

  /** What is left when the stream ends: text that never closed an event (null when only whitespace). */
  end(): string | null {
    const rest = (this.pending + this.decoder.end()).trim();
    this.pending = '';
    this.searchFrom = 0;
    return rest === '' ? null : rest;
  }
}

/** A piece of a document: an event's text, text past the bound that closed no event, or what is left after the last event. */
export type CotPiece = { readonly kind: 'event' | 'rest'; readonly text: string } | { readonly kind: 'overflow' };

/** A whole document (a file of several events) in pieces, in order. */
export function splitCotEvents(text: string, maxEvent: number = COT_LIMITS.maxBytes): CotPiece[] {
  const framer = new CotFramer(maxEvent);
  const pieces: CotPiece[] = [];
  // Fed in slices of the bound, so text with no closing tag costs at most one bound of memory.
  for (let at = 0; at < text.length; at += maxEvent) {
    const framed = framer.push(text.slice(at, at + maxEvent));
    for (const event of framed.events) pieces.push({ kind: 'event', text: event });
    if (framed.overflow) pieces.push({ kind: 'overflow' });
  }
  const rest = framer.end();
  if (rest !== null) pieces.push({ kind: 'rest', text: rest });
  return pieces;
}
