/**
 * What changed between two versions of a declaration, field by field: each leaf that was added,
 * removed or changed, by its path (`scope.0.classes.1`). Arrays compare by index, except partners
 * and scope rules, which compare by who they are about (a partner's mesh, a rule's from → to), so
 * adding a partner does not read as every later partner changed. Certificates (PEM) are shown as
 * changed, not diffed line by line.
 */
export interface Change {
  readonly path: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before: string | null;
  readonly after: string | null;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Which key names an element of the array at this path, when not its index. */
function keyOf(path: string, element: Json): string | null {
  if (element === null || typeof element !== 'object' || Array.isArray(element)) return null;
  if (path === 'partners' && typeof element.mesh === 'string') return element.mesh;
  if (path === 'scope' && typeof element.from === 'string' && typeof element.to === 'string') return `${element.from}→${element.to}`;
  if (path === 'exit' && typeof element.class === 'string') return element.class;
  return null;
}

const show = (value: Json): string => (typeof value === 'string' ? (value.startsWith('-----BEGIN') ? 'certificate' : value) : JSON.stringify(value));

export function diffDeclarations(before: unknown, after: unknown): Change[] {
  const changes: Change[] = [];
  walk(before as Json, after as Json, '', changes);
  return changes;
}

function entries(value: Json, path: string): Map<string, Json> {
  if (Array.isArray(value)) return new Map(value.map((element, i) => [keyOf(path, element) ?? String(i), element]));
  if (value !== null && typeof value === 'object') return new Map(Object.entries(value));
  return new Map();
}

function walk(before: Json | undefined, after: Json | undefined, path: string, changes: Change[]): void {
  const join = (key: string) => (path === '' ? key : `${path}.${key}`);
  if (before === undefined && after === undefined) return;
  if (before === undefined) return void changes.push({ path, kind: 'added', before: null, after: show(after!) });
  if (after === undefined) return void changes.push({ path, kind: 'removed', before: show(before), after: null });
  const bothContainers = typeof before === 'object' && before !== null && typeof after === 'object' && after !== null && Array.isArray(before) === Array.isArray(after);
  if (!bothContainers) {
    if (JSON.stringify(before) !== JSON.stringify(after)) changes.push({ path, kind: 'changed', before: show(before), after: show(after) });
    return;
  }
  const a = entries(before, path);
  const b = entries(after, path);
  for (const key of new Set([...a.keys(), ...b.keys()])) walk(a.get(key), b.get(key), join(key), changes);
}
