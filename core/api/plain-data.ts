/**
 * Gatekeeper for anything that crosses a process boundary, run before any schema: only
 * JSON-shaped data (plain objects, arrays, strings, finite numbers, booleans, null) within
 * size and depth limits. Schemas then check meaning; this check makes sure a hostile
 * payload (a Map, a getter, a prototype-polluting key, a 100,000-deep nest, a gigabyte
 * string) is refused cheaply and without recursion that could blow the stack.
 */

export interface PlainDataLimits {
  readonly maxDepth: number;
  readonly maxStringLength: number;
  readonly maxNodes: number;
}

export const BOUNDARY_LIMITS: PlainDataLimits = { maxDepth: 32, maxStringLength: 1_000_000, maxNodes: 100_000 };

/** Returns null when the value is acceptable, else a sentence naming the first problem. */
export function findNonPlainData(value: unknown, limits: PlainDataLimits = BOUNDARY_LIMITS): string | null {
  // Iterative walk: the depth limit is enforced before any deep structure is visited.
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '$', depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (++nodes > limits.maxNodes) return `more than ${limits.maxNodes} values in one request`;
    if (depth > limits.maxDepth) return `${path} is nested deeper than ${limits.maxDepth} levels`;
    switch (typeof current) {
      case 'string':
        if (current.length > limits.maxStringLength) return `${path} is a string longer than ${limits.maxStringLength} characters`;
        continue;
      case 'boolean':
        continue;
      case 'number':
        if (!Number.isFinite(current)) return `${path} is not a finite number`;
        continue;
      case 'object':
        break;
      default:
        return `${path} is a ${typeof current}, which cannot cross the boundary`;
    }
    if (current === null) continue;
    if (Array.isArray(current)) {
      if (Object.getPrototypeOf(current) !== Array.prototype) return `${path} is not a plain array`;
      // Counted before walking: `new Array(2 ** 32 - 1)` must be refused, not pushed entry by entry.
      if (nodes + stack.length + current.length > limits.maxNodes) return `more than ${limits.maxNodes} values in one request`;
      // Exactly the indices and `length`: no holes, no named or symbol extras that JSON would drop.
      if (Reflect.ownKeys(current).length !== current.length + 1) return `${path} is a sparse array or has extra properties`;
      for (let i = 0; i < current.length; i++) {
        // Read through the descriptor: indexing would run a getter planted on an index.
        const descriptor = Object.getOwnPropertyDescriptor(current, i);
        if (!descriptor) return `${path} is a sparse array`;
        if (!('value' in descriptor)) return `${path}[${i}] is an accessor, not data`;
        stack.push({ value: descriptor.value, path: `${path}[${i}]`, depth: depth + 1 });
      }
      continue;
    }
    const proto = Object.getPrototypeOf(current) as unknown;
    if (proto !== Object.prototype && proto !== null) return `${path} is not a plain object`;
    const keys = Reflect.ownKeys(current);
    if (nodes + stack.length + keys.length > limits.maxNodes) return `more than ${limits.maxNodes} values in one request`;
    for (const key of keys) {
      if (typeof key !== 'string') return `${path} has a symbol key`;
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') return `${path} has the forbidden key "${key}"`;
      // Keys are strings too: bounded like values, and quoted short in the refusal.
      if (key.length > limits.maxStringLength) return `${path} has a key longer than ${limits.maxStringLength} characters`;
      const name = key.length > 64 ? `${key.slice(0, 64)}…` : key;
      const descriptor = Object.getOwnPropertyDescriptor(current, key)!;
      if (!('value' in descriptor)) return `${path}.${name} is an accessor, not data`;
      // JSON and structured clone drop non-enumerable properties; a schema might still read one.
      if (!descriptor.enumerable) return `${path}.${name} is a hidden (non-enumerable) property`;
      stack.push({ value: descriptor.value, path: `${path}.${name}`, depth: depth + 1 });
    }
  }
  return null;
}
