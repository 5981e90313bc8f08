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
  write(value, parts, '$', 0);
  return parts.join('');
}

export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

const MAX_DEPTH = 64;
// A lone surrogate cannot be encoded as UTF-8, so two parties could hash different bytes.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function write(value: unknown, out: string[], path: string, depth: number): void {
  if (depth > MAX_DEPTH) throw new CanonicalizationError(`${path} is nested deeper than ${MAX_DEPTH} levels.`);
  if (value === null || typeof value === 'boolean') {
    out.push(String(value));
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CanonicalizationError(`${path} is not a finite number.`);
    // ECMAScript Number::toString is the serialization RFC 8785 §3.2.2.3 prescribes; -0 becomes 0.
    out.push(JSON.stringify(value));
    return;
  }
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new CanonicalizationError(`${path} holds a lone UTF-16 surrogate.`);
    out.push(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, index) => {
      if (index > 0) out.push(',');
      write(item, out, `${path}[${index}]`, depth + 1);
    });
    out.push(']');
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new CanonicalizationError(`${path} is not a plain JSON object.`);
    // Default sort compares UTF-16 code units, exactly the order §3.2.3 asks for.
    const keys = Object.keys(value).sort();
    out.push('{');
    keys.forEach((key, index) => {
      const member = (value as Record<string, unknown>)[key];
      if (member === undefined) throw new CanonicalizationError(`${path}.${key} is undefined, which JSON cannot hold.`);
      if (index > 0) out.push(',');
      write(key, out, `${path} key`, depth + 1);
      out.push(':');
      write(member, out, `${path}.${key}`, depth + 1);
    });
    out.push('}');
    return;
  }
  throw new CanonicalizationError(`${path} is a ${typeof value}, which JSON cannot hold.`);
}
