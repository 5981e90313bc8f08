/**
 * A strict JSON reader (RFC 8259 grammar, I-JSON values per RFC 7493) for everything read from
 * outside: payloads, bundles, label and policy files. It refuses what JSON.parse lets through:
 * - a key repeated in one object (JSON.parse keeps the last silently, so a signer and a verifier
 *   could each act on a different value; RFC 7493 §2.3),
 * - strings with lone surrogates and numbers beyond IEEE 754 double range (RFC 7493 §2.1, §2.2),
 *   which RFC 8785 cannot canonicalize,
 * - numbers a double cannot hold as written (`inexact-number`: 30-digit integers, 2^53 + 1,
 *   1e-400), so what is signed is what was given; the rule is in exact-number.ts,
 * - keys that pollute prototypes when a value is later merged (`__proto__`, `constructor`, `prototype`),
 * - nesting deeper than the limit, input larger than the limit, and more values or containers
 *   than the limits, so memory and time stay a small multiple of the input's size whatever its
 *   shape (a million `[]` in 4 MiB would otherwise cost some 35 bytes of heap per input byte).
 * The parser is iterative (an explicit stack), so 100,000-deep input is refused at the limit
 * without recursion, and every error is one line naming the line, column and character offset.
 *
 * @example readStrictJson('{"a":1,"a":2}') // throws JsonError, reason 'duplicate-key'
 */
import { Refused } from '../common/refused.js';
import { abbreviated, survivesAsDouble } from './exact-number.js';

export type JsonErrorReason =
  | 'duplicate-key'
  | 'too-deep'
  | 'too-large'
  | 'too-many-values'
  | 'too-many-containers'
  | 'inexact-number'
  | 'malformed-json'
  | 'forbidden-key';

export class JsonError extends Refused {
  declare readonly reason: JsonErrorReason;

  constructor(
    reason: JsonErrorReason,
    message: string,
    /** UTF-16 offset into the text where the problem was found; null for whole-input problems. */
    readonly position: number | null = null,
  ) {
    super(reason, message);
    this.name = 'JsonError';
  }
}

export interface JsonLimits {
  /** UTF-8 bytes. */
  readonly maxBytes: number;
  /** Nested objects and arrays; a top-level `{}` is depth 1. */
  readonly maxDepth: number;
  /** Values of every kind, containers included; the whole input is one. */
  readonly maxValues: number;
  /** Objects and arrays: each costs far more memory than the two bytes `[]` takes to write. */
  readonly maxContainers: number;
}

/**
 * 4 MiB holds at most about two million values (`0,`): half a million is room for any honest
 * payload (a 100,000-point track of four numbers each) and keeps the heap near 10× the input.
 */
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxBytes: 4 * 1024 * 1024, maxDepth: 64, maxValues: 1 << 19, maxContainers: 1 << 17 };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reads JSON text (or UTF-8 bytes, decoded strictly) into plain values.
 * Throws JsonError with one of the reasons of JsonErrorReason.
 */
export function readStrictJson(input: string | Uint8Array, limits: Partial<JsonLimits> = DEFAULT_JSON_LIMITS): unknown {
  const maxBytes = limits.maxBytes ?? DEFAULT_JSON_LIMITS.maxBytes;
  const text = typeof input === 'string' ? checkedText(input, maxBytes) : decodeUtf8(input, maxBytes);
  return new Parser(text, {
    maxDepth: limits.maxDepth ?? DEFAULT_JSON_LIMITS.maxDepth,
    maxValues: limits.maxValues ?? DEFAULT_JSON_LIMITS.maxValues,
    maxContainers: limits.maxContainers ?? DEFAULT_JSON_LIMITS.maxContainers,
  }).parse();
}

function tooLarge(maxBytes: number): JsonError {
  return new JsonError('too-large', `The JSON is larger than the limit of ${maxBytes} bytes.`);
}

function checkedText(text: string, maxBytes: number): string {
  // UTF-8 takes at least one byte and at most three per UTF-16 unit: measure only when it matters.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && Buffer.byteLength(text, 'utf8') > maxBytes)) throw tooLarge(maxBytes);
  return text;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array, maxBytes: number): string {
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new JsonError('malformed-json', 'The JSON is not well-formed UTF-8 (RFC 8259 §8.1).', null);
  }
}

type Frame = { readonly object: Record<string, unknown>; key: string } | { readonly array: unknown[] };

/** One pass, no recursion: a value is parsed, then attached to the innermost open container. */
class Parser {
  private pos = 0;
  private readonly stack: Frame[] = [];
  /** Values and containers begun so far: the work done, checked against the limits as it grows. */
  private values = 0;
  private containers = 0;

  constructor(
    private readonly text: string,
    private readonly limits: Omit<JsonLimits, 'maxBytes'>,
  ) {}

  parse(): unknown {
    const { text } = this;
    let value: unknown;
    // Each turn of the outer loop reads one value; the inner loop closes the containers it completes.
    for (;;) {
      this.skipSpace();
      this.count();
      const ch = text.charCodeAt(this.pos);
      if (ch === 0x7b /* { */) {
        this.open();
        this.pos++;
        this.skipSpace();
        if (text.charCodeAt(this.pos) === 0x7d /* } */) {
          this.pos++;
          value = {};
        } else {
          const object: Record<string, unknown> = {};
          this.stack.push({ object, key: this.memberName(object) });
          continue;
        }
      } else if (ch === 0x5b /* [ */) {
        this.open();
        this.pos++;
        this.skipSpace();
        if (text.charCodeAt(this.pos) === 0x5d /* ] */) {
          this.pos++;
          value = [];
        } else {
          this.stack.push({ array: [] });
          continue;
        }
      } else {
        value = this.scalar(ch);
      }

      // Attach the value; close every container it completes; stop where another value is due.
      for (;;) {
        const frame = this.stack.at(-1);
        if (frame === undefined) {
          this.skipSpace();
          if (this.pos < text.length) throw this.malformed('unexpected text after the JSON value');
          return value;
        }
        this.skipSpace();
        const next = text.charCodeAt(this.pos);
        if ('object' in frame) {
          frame.object[frame.key] = value;
          if (next === 0x2c /* , */) {
            this.pos++;
            this.skipSpace();
            frame.key = this.memberName(frame.object);
            break;
          }
          if (next !== 0x7d /* } */) throw this.malformed("expected ',' or '}' after an object member");
          value = frame.object;
        } else {
          frame.array.push(value);
          if (next === 0x2c /* , */) {
            this.pos++;
            break;
          }
          if (next !== 0x5d /* ] */) throw this.malformed("expected ',' or ']' after an array element");
          value = frame.array;
        }
        this.pos++;
        this.stack.pop();
      }
    }
  }

  /** Counts the value about to be read, refusing it before any memory is spent on it. */
  private count(): void {
    if (++this.values > this.limits.maxValues) {
      throw new JsonError('too-many-values', `The JSON holds more than ${this.limits.maxValues} values (the limit) at ${this.where(this.pos)}.`, this.pos);
    }
  }

  private open(): void {
    if (this.stack.length + 1 > this.limits.maxDepth) {
      throw new JsonError('too-deep', `The JSON is nested deeper than ${this.limits.maxDepth} levels at ${this.where(this.pos)}.`, this.pos);
    }
    if (++this.containers > this.limits.maxContainers) {
      throw new JsonError('too-many-containers', `The JSON holds more than ${this.limits.maxContainers} objects and arrays (the limit) at ${this.where(this.pos)}.`, this.pos);
    }
  }

  /** Reads `"name" :` and checks the name against what the object already holds. */
  private memberName(object: Record<string, unknown>): string {
    const start = this.pos;
    if (this.text.charCodeAt(start) !== 0x22 /* " */) throw this.malformed('expected a member name in double quotes');
    const key = this.string();
    if (FORBIDDEN_KEYS.has(key)) {
      throw new JsonError('forbidden-key', `The JSON uses the key ${JSON.stringify(key)}, which is refused, at ${this.where(start)}.`, start);
    }
    // Members are attached as they complete, so an earlier member of this name is already held.
    if (Object.hasOwn(object, key)) {
      throw new JsonError('duplicate-key', `The JSON repeats the key ${JSON.stringify(key.slice(0, 64))} in one object at ${this.where(start)}.`, start);
    }
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) !== 0x3a /* : */) throw this.malformed("expected ':' after a member name");
    this.pos++;
    return key;
  }

  private scalar(ch: number): unknown {
    if (ch === 0x22 /* " */) return this.string();
    if (ch === 0x2d /* - */ || (ch >= 0x30 && ch <= 0x39)) return this.number();
    if (this.literal('true')) return true;
    if (this.literal('false')) return false;
    if (this.literal('null')) return null;
    throw this.malformed(this.pos >= this.text.length ? 'the text ends where a value is expected' : 'expected a JSON value');
  }

  private literal(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    this.pos += word.length;
    return true;
  }

  /** RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
  private number(): number {
    const { text } = this;
    const start = this.pos;
    let i = start;
    if (text.charCodeAt(i) === 0x2d) i++;
    // A leading zero stands alone (no 01).
    if (text.charCodeAt(i) === 0x30) i++;
    else if (this.digits(i)) i = this.skipDigits(i);
    else throw this.malformed('expected a digit', i);
    if (text.charCodeAt(i) === 0x2e /* . */) {
      if (!this.digits(++i)) throw this.malformed('expected a digit after the decimal point', i);
      i = this.skipDigits(i);
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!this.digits(i)) throw this.malformed('expected a digit in the exponent', i);
      i = this.skipDigits(i);
    }
    // Number() reads a JSON number literal exactly as JSON.parse does (round to nearest double).
    const literal = text.slice(start, i);
    const value = Number(literal);
    if (!Number.isFinite(value)) throw this.malformed('the number is beyond the range of an IEEE 754 double (I-JSON)', start);
    if (!survivesAsDouble(literal, value)) {
      throw new JsonError(
        'inexact-number',
        `The JSON number ${abbreviated(literal)} at ${this.where(start)} cannot be held exactly as an IEEE 754 double (it would be signed as ${String(value)}); send it as a string (I-JSON, RFC 7493 §2.2).`,
        start,
      );
    }
    this.pos = i;
    // -0 is read as 0: the number RFC 8785 signs for it (§3.2.2.3), so the value matches its bytes.
    return value === 0 ? 0 : value;
  }

  private digits(i: number): boolean {
    const ch = this.text.charCodeAt(i);
    return ch >= 0x30 && ch <= 0x39;
  }

  private skipDigits(i: number): number {
    while (this.digits(i)) i++;
    return i;
  }

  /** RFC 8259 §7, at an opening quote; the common case (no escapes) is one slice. */
  private string(): string {
    const { text } = this;
    const start = this.pos;
    let i = start + 1;
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= text.length) throw this.malformed('the string is not closed', start);
      const ch = text.charCodeAt(i);
      if (ch === 0x22 /* " */) break;
      if (ch < 0x20) throw this.malformed('a control character must be escaped inside a string', i);
      if (ch !== 0x5c /* \ */) {
        i++;
        continue;
      }
      out += text.slice(chunk, i);
      const escape = text.charCodeAt(i + 1);
      const simple = SIMPLE_ESCAPES.get(escape);
      if (simple !== undefined) {
        out += simple;
        i += 2;
      } else if (escape === 0x75 /* u */) {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw this.malformed('expected four hex digits after \\u', i);
        out += String.fromCharCode(Number.parseInt(hex, 16));
        i += 6;
      } else {
        throw this.malformed('not a JSON escape sequence', i);
      }
      chunk = i;
    }
    out += text.slice(chunk, i);
    this.pos = i + 1;
    if (!out.isWellFormed()) throw this.malformed('the string holds a lone UTF-16 surrogate (I-JSON)', start);
    return out;
  }

  private skipSpace(): void {
    const { text } = this;
    let i = this.pos;
    for (;;) {
      const ch = text.charCodeAt(i);
      // RFC 8259 §2: space, tab, line feed, carriage return; nothing else.
      if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) i++;
      else break;
    }
    this.pos = i;
  }

  private malformed(what: string, at = this.pos): JsonError {
    const found = at < this.text.length ? ` (found ${describe(this.text.codePointAt(at)!)})` : '';
    return new JsonError('malformed-json', `The JSON is malformed at ${this.where(at)}: ${what}${found}.`, at);
  }

  /** "line L, column C (character N)", counted in UTF-16 units from 1 (line, column) and 0 (character). */
  private where(at: number): string {
    let line = 1;
    let lineStart = 0;
    for (let i = this.text.indexOf('\n'); i !== -1 && i < at; i = this.text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return `line ${line}, column ${at - lineStart + 1} (character ${at})`;
  }
}

const SIMPLE_ESCAPES = new Map<number, string>([
  [0x22, '"'],
  [0x5c, '\\'],
  [0x2f, '/'],
  [0x62, '\b'],
  [0x66, '\f'],
  [0x6e, '\n'],
  [0x72, '\r'],
  [0x74, '\t'],
]);

/** A character named safely for a one-line message: printable ASCII quoted, anything else as U+XXXX. */
function describe(codePoint: number): string {
  if (codePoint >= 0x21 && codePoint <= 0x7e) return `'${String.fromCharCode(codePoint)}'`;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
