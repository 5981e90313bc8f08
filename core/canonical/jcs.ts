/**
 * RFC 8785 JSON Canonicalization Scheme: the exact bytes Entente signs and hashes.
 * I-JSON values only (RFC 7493): finite numbers, well-formed strings, plain objects and arrays.
 * Members are sorted by UTF-16 code units (§3.2.3); numbers and strings are written as
 * ECMAScript's JSON.stringify writes them (§3.2.2.2, §3.2.2.3), with no whitespace.
 */

export class CanonicalizationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalizationError';
  }
}

export function canonicalize(value: unknown): string {
  return write(value, 0, 'the value');
}

export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

const MAX_DEPTH = 64;
/** Characters JSON.stringify would escape; strings without them are quoted directly (the common case). */
// eslint-disable-next-line no-control-regex -- U+0000..U+001F are exactly the characters JSON must escape (RFC 8785 §3.2.2.2).
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

// Strings are built by concatenation (V8 ropes), and paths are not tracked on this hot path
// (signing and verifying); errors name the offending key instead.
function write(value: unknown, depth: number, key: string): string {
  switch (typeof value) {
    case 'string':
      // A lone surrogate cannot be encoded as UTF-8, so two parties could hash different bytes.
      if (!value.isWellFormed()) throw new CanonicalizationError(`${key} holds a lone UTF-16 surrogate.`);
      return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalizationError(`${key} is not a finite number.`);
      // ECMAScript Number::toString is the serialization RFC 8785 §3.2.2.3 prescribes; -0 becomes 0.
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) throw new CanonicalizationError(`${key} is nested deeper than ${MAX_DEPTH} levels.`);
      if (Array.isArray(value)) {
        let out = '[';
        for (let index = 0; index < value.length; index++) {
          if (index > 0) out += ',';
          out += write(value[index], depth + 1, key);
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new CanonicalizationError(`${key} is not a plain JSON object.`);
      // Default sort compares UTF-16 code units, exactly the order §3.2.3 asks for.
      const keys = Object.keys(value).sort();
      let out = '{';
      for (let index = 0; index < keys.length; index++) {
        const name = keys[index]!;
        const member = (value as Record<string, unknown>)[name];
        if (member === undefined) throw new CanonicalizationError(`"${name}" is undefined, which JSON cannot hold.`);
        if (index > 0) out += ',';
        out += `${write(name, depth + 1, `the key "${name}"`)}:${write(member, depth + 1, `"${name}"`)}`;
      }
      return `${out}}`;
    }
    default:
      throw new CanonicalizationError(`${key} is a ${typeof value}, which JSON cannot hold.`);
  }
}
