/**
 * Building blocks for quick shape checks: hand-written predicates that say "yes" fast for the
 * values a hot path meets every time (a record re-read from the store, say), and "not sure"
 * for anything unusual. A "not sure" is never a verdict: the caller then asks the zod schema,
 * which decides and names the problem. So these may be stricter than the schemas, never looser.
 */

/** An object made by `{}` or JSON.parse (its prototype is Object.prototype). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** A real array (not a subclass, not another realm's) of at most `max` elements. */
export function isPlainArray(value: unknown, max: number): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype && value.length <= max;
}

/**
 * Every enumerable key (own or inherited, as zod's strict objects iterate them) is one of
 * `allowed`. Presence of required keys is the value checks' job: `undefined` fails them.
 */
export function hasOnlyKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

/**
 * Lowercase hex digits, as a lookup table: a record carries up to two dozen SHA-256 values. One
 * entry per UTF-16 code unit, so no read falls outside it (an out-of-range read slows every call).
 */
const HEX_DIGIT = new Uint8Array(0x10000);
for (const digit of '0123456789abcdef') HEX_DIGIT[digit.charCodeAt(0)] = 1;

/**
 * /^[0-9a-f]{64}$/ without the regular expression, which costs about three times as much here
 * (quick-shape.test.ts holds the two equal).
 */
export function isSha256Hex(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 64) return false;
  // Four digits a step: a quarter of the branches.
  for (let i = 0; i < 64; i += 4) {
    if ((HEX_DIGIT[value.charCodeAt(i)]! & HEX_DIGIT[value.charCodeAt(i + 1)]! & HEX_DIGIT[value.charCodeAt(i + 2)]! & HEX_DIGIT[value.charCodeAt(i + 3)]!) !== 1) return false;
  }
  return true;
}

export function matches(pattern: RegExp, value: unknown): value is string {
  return typeof value === 'string' && pattern.test(value);
}

export function isOneOf<T extends string>(options: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (options as readonly string[]).includes(value);
}

/** A safe integer within [min, max]: what z.number().int().min().max() accepts. */
export function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

/**
 * A JSON value as z.json() accepts it, minus the corners left to the schema: keys that zod
 * treats specially (`__proto__`, `constructor`) and nesting deeper than `maxDepth`.
 */
export function isJsonValue(value: unknown, maxDepth = 64): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (maxDepth <= 0) return false;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return false;
        for (let index = 0; index < value.length; index++) if (!isJsonValue(value[index], maxDepth - 1)) return false;
        return true;
      }
      // z.json()'s records also look at symbol keys (and refuse them); JSON.parse never makes any.
      if (!isPlainObject(value) || Object.getOwnPropertySymbols(value).length > 0) return false;
      for (const key in value) {
        if (key === '__proto__' || key === 'constructor' || !Object.hasOwn(value, key)) return false;
        if (!isJsonValue(value[key], maxDepth - 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * Whether arrays and objects nest deeper than `max` levels; iterative, so a 100,000-deep value
 * (JSON.parse makes one from 200 kB of brackets) is measured without a deep call stack. Recursive
 * checks such as a zod schema must not be handed such a value: they overflow the stack.
 */
export function isNestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
