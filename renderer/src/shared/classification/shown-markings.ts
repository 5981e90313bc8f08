/**
 * The markings currently on screen: each `<Marking>` adds its text while it is mounted and
 * removes it when it goes (a row scrolled out of a virtual table, a closed detail pane), so the
 * classification banner always reflects what is visible now — not what was loaded once.
 */
const counts = new Map<string, number>();
const listeners = new Set<() => void>();
let snapshot: readonly string[] = [];

function changed(): void {
  snapshot = [...counts.keys()].sort();
  for (const listener of listeners) listener();
}

/** Reports one marking as shown; the function returned withdraws it. */
export function showMarking(text: string): () => void {
  counts.set(text, (counts.get(text) ?? 0) + 1);
  if (counts.get(text) === 1) changed();
  let withdrawn = false;
  return () => {
    if (withdrawn) return;
    withdrawn = true;
    const left = (counts.get(text) ?? 1) - 1;
    if (left > 0) counts.set(text, left);
    else {
      counts.delete(text);
      changed();
    }
  };
}

export const shownMarkings = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** The distinct markings on screen, sorted; the same array until one comes or goes. */
  get: (): readonly string[] => snapshot,
};
