/**
 * Reading and writing a draft by the dotted paths the core's issues name (`scope.0.classes`), so
 * each form field edits exactly the member its issue points at. Writes copy along the path and
 * leave the rest of the draft shared.
 */
export type Draft = Record<string, unknown>;

const parts = (path: string) => path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));

export function getAt(draft: unknown, path: string): unknown {
  let current: unknown = draft;
  for (const part of parts(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

export function setAt<T>(draft: T, path: string, value: unknown): T {
  const [head, ...rest] = parts(path);
  const container: Record<string | number, unknown> = Array.isArray(draft) ? [...(draft as unknown[])] as never : { ...(draft as object) };
  container[head!] = rest.length === 0 ? value : setAt(container[head!] ?? (typeof rest[0] === 'number' ? [] : {}), rest.join('.'), value);
  return container as T;
}

/** The issues for a field: those at its path or inside it. */
export function issuesAt<I extends { path: string }>(issues: readonly I[], path: string): I[] {
  return issues.filter((issue) => issue.path === path || issue.path.startsWith(`${path}.`));
}

/** "a, b ,c" → ["a", "b", "c"]; an empty field is an empty list. */
export const listFrom = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s !== '');
