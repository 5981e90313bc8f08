/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the exact bytes Entente signs and hashes.
 * I-JSON values only (RFC 7493): finite numbers, well-formed strings, plain objects and arrays.
 * Members are sorted by UTF-16 code units (§3.2.3); numbers and strings are written as
 * ECMAScript's JSON.stringify writes them (§3.2.2.2, §3.2.2.3), with no whitespace (§3.2.1).
 *
 * @example canonicalize({ b: [1e30, 4.50], a: '€' }) === '{"a":"€","b":[1e+30,4.5]}'
 */
import { Refused } from '../common/refused.js';

export class CanonicalizationError extends Refused {
  constructor(message: string) {
    super('not-canonicalizable', message);
    this.name = 'CanonicalizationError';
  }
}

/**
 * Deep enough for any record the strict reader admits (its default is 64 levels, and a record
 * wraps its payload in two more), shallow enough that a cyclic or hostile in-memory value is
 * refused long before the call stack runs out.
 */
export const CANONICAL_MAX_DEPTH = 512;

/** The canonical JSON text of `value`; throws CanonicalizationError for what I-JSON cannot hold. */
export function canonicalize(value: unknown): string {
  // Most values Entente canonicalizes were just parsed from canonical text, so their members are
  // already in order; for those JSON.stringify writes exactly the canonical text, several times
  // faster than building it here. Anything else (and every error message) takes the full path.
  return isAlreadyCanonical(value, 0) ? JSON.stringify(value) : write(value, 0, null);
}

/** The canonical text as UTF-8 bytes: what is signed and hashed. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

/** Characters JSON.stringify would escape; strings without them are quoted directly (the common case). */
// eslint-disable-next-line no-control-regex -- U+0000..U+001F are exactly the characters JSON must escape (RFC 8785 §3.2.2.2).
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

// Strings are built by concatenation (V8 ropes). Paths are not tracked on this hot path (signing
// and verifying): `member` is the name of the innermost member, and messages are built on failure only.
function write(value: unknown, depth: number, member: string | null): string {
  switch (typeof value) {
    case 'string':
      // A lone surrogate has no UTF-8 encoding, so two parties could hash different bytes (RFC 7493 §2.1).
      if (!value.isWellFormed()) throw refusal(member, 'holds a lone UTF-16 surrogate');
      // JSON.stringify escapes exactly as §3.2.2.2 asks: \b \t \n \f \r, other controls as \u00xx lowercase.
      return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case 'number':
      if (!Number.isFinite(value)) throw refusal(member, 'is not a finite number');
      // ECMAScript Number::toString is the serialization §3.2.2.3 prescribes; -0 becomes 0.
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth >= CANONICAL_MAX_DEPTH) throw refusal(member, `is nested deeper than ${CANONICAL_MAX_DEPTH} levels`);
      if (Array.isArray(value)) {
        let out = '[';
        for (let index = 0; index < value.length; index++) {
          if (index > 0) out += ',';
          // A hole in a sparse array reads as undefined and is refused, as JSON has no holes.
          out += write(value[index], depth + 1, member);
        }
        return `${out}]`;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw refusal(member, 'is not a plain JSON object');
      // The default sort compares UTF-16 code units, exactly the order §3.2.3 asks for.
      const keys = Object.keys(value).sort();
      let out = '{';
      for (let index = 0; index < keys.length; index++) {
        const name = keys[index]!;
        if (index > 0) out += ',';
        if (!name.isWellFormed()) throw refusal(name, 'has a name with a lone UTF-16 surrogate');
        out += `${NEEDS_ESCAPE.test(name) ? JSON.stringify(name) : `"${name}"`}:${write((value as Record<string, unknown>)[name], depth + 1, name)}`;
      }
      return `${out}}`;
    }
    case 'undefined':
      throw refusal(member, 'is undefined, which JSON cannot hold');
    default:
      throw refusal(member, `is a ${typeof value}, which JSON cannot hold`);
  }
}

/**
 * True when JSON.stringify(value) is the canonical text: plain objects whose own keys are in
 * code-unit order (integer-like keys, which JavaScript lists first, fail this and take the full
 * path), plain arrays without holes, well-formed strings and finite numbers, nothing else.
 */
function isAlreadyCanonical(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      return value.isWellFormed();
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    case 'object': {
      if (value === null) return true;
      if (depth >= CANONICAL_MAX_DEPTH) return false;
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto === Array.prototype) {
        const array = value as unknown[];
        for (let index = 0; index < array.length; index++) {
          if (!isAlreadyCanonical(array[index], depth + 1)) return false;
        }
        return true;
      }
      if (proto !== Object.prototype && proto !== null) return false;
      let previous: string | null = null;
      for (const name in value) {
        if ((previous !== null && !(previous < name)) || !name.isWellFormed()) return false;
        if (!isAlreadyCanonical((value as Record<string, unknown>)[name], depth + 1)) return false;
        previous = name;
      }
      return true;
    }
    default:
      return false;
  }
}

function refusal(member: string | null, what: string): CanonicalizationError {
  const where = member === null ? 'The value' : `A value in member ${JSON.stringify(member.slice(0, 64))}`;
  return new CanonicalizationError(`${where} ${what}.`);
}
