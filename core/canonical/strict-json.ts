/**
 * Reading JSON from outside (payloads, bundles, label files) without the traps JSON.parse
 * leaves open: a duplicate key (signer and verifier could each read a different value,
 * RFC 7493 §2.3), nesting deep enough to exhaust the stack, oversized input, and keys that
 * would pollute prototypes. The nesting is measured in one iterative pass before parsing.
 */

export type JsonErrorReason = 'duplicate-key' | 'too-deep' | 'too-large' | 'malformed-json' | 'forbidden-key';

export class JsonError extends Error {
  constructor(
    readonly reason: JsonErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'JsonError';
  }
}

export interface JsonLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxBytes: 4 * 1024 * 1024, maxDepth: 64 };

export function readStrictJson(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): unknown {
  if (Buffer.byteLength(text, 'utf8') > limits.maxBytes) {
    throw new JsonError('too-large', `The JSON is larger than ${limits.maxBytes} bytes.`);
  }
  checkDepth(text, limits.maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JsonError('malformed-json', `The JSON is malformed: ${(error as Error).message}.`);
  }
  // Only well-formed text reaches the duplicate scan, so its small tokenizer can trust the syntax.
  findDuplicateKeys(text);
  rejectForbiddenKeys(value);
  return value;
}

/** One pass over the text counting open brackets outside strings; no recursion. */
function checkDepth(text: string, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > maxDepth) throw new JsonError('too-deep', `The JSON is nested deeper than ${maxDepth} levels (at character ${i}).`);
    } else if (ch === 0x7d || ch === 0x5d) {
      depth--;
    }
  }
}

/**
 * JSON.parse keeps the last of two equal keys silently, so duplicates are found on the text:
 * a small tokenizer tracks, for each open object, the member names already seen.
 */
function findDuplicateKeys(text: string): void {
  const stack: { keys: Set<string> | null; expectKey: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const end = stringEnd(text, i);
      const top = stack.at(-1);
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) {
          throw new JsonError('duplicate-key', `The JSON repeats the key "${key.slice(0, 64)}" in one object (at character ${i}).`);
        }
        top.keys.add(key);
        top.expectKey = false;
      }
      i = end;
    } else if (ch === '{') {
      stack.push({ keys: new Set(), expectKey: true });
    } else if (ch === '[') {
      stack.push({ keys: null, expectKey: false });
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      const top = stack.at(-1);
      if (top?.keys) top.expectKey = true;
    }
  }
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function rejectForbiddenKeys(value: unknown): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) {
      stack.push(...current);
      continue;
    }
    for (const [key, member] of Object.entries(current)) {
      if (FORBIDDEN_KEYS.has(key)) throw new JsonError('forbidden-key', `The JSON uses the key "${key}", which is refused.`);
      stack.push(member);
    }
  }
}
