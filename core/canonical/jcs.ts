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
  const parts: string[] = [];
  write(value, parts, 0);
  return parts.join('');
}

export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

const MAX_DEPTH = 64;

// Paths are not tracked on this hot path (signing and verifying); errors name the offending key instead.
function write(value: unknown, out: string[], depth: number, key = 'the value'): void {
  if (depth > MAX_DEPTH) throw new CanonicalizationError(`${key} is nested deeper than ${MAX_DEPTH} levels.`);
  if (value === null || typeof value === 'boolean') {
    out.push(String(value));
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CanonicalizationError(`${key} is not a finite number.`);
    // ECMAScript Number::toString is the serialization RFC 8785 §3.2.2.3 prescribes; -0 becomes 0.
    out.push(JSON.stringify(value));
    return;
  }
  if (typeof value === 'string') {
    // A lone surrogate cannot be encoded as UTF-8, so two parties could hash different bytes.
    if (!value.isWellFormed()) throw new CanonicalizationError(`${key} holds a lone UTF-16 surrogate.`);
    out.push(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out.push(',');
      write(value[index], out, depth + 1, key);
    }
    out.push(']');
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new CanonicalizationError(`${key} is not a plain JSON object.`);
    // Default sort compares UTF-16 code units, exactly the order §3.2.3 asks for.
    const keys = Object.keys(value).sort();
    out.push('{');
    for (let index = 0; index < keys.length; index++) {
      const name = keys[index]!;
      const member = (value as Record<string, unknown>)[name];
      if (member === undefined) throw new CanonicalizationError(`"${name}" is undefined, which JSON cannot hold.`);
      if (index > 0) out.push(',');
      write(name, out, depth + 1, `the key "${name}"`);
      out.push(':');
      write(member, out, depth + 1, `"${name}"`);
    }
    out.push('}');
    return;
  }
  throw new CanonicalizationError(`${key} is a ${typeof value}, which JSON cannot hold.`);
}
