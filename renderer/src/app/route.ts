/**
 * Where the officer is, kept in the URL's hash (`#/federations`, `#/federations/deu-1a2b3c4d`) so
 * a reload or a shared link returns to the same view and selection. Nothing else reads location.
 */
import { useSyncExternalStore } from 'react';
import { DEFAULT_VIEW, isViewId, type ViewId } from './views.js';

export interface Route {
  readonly view: ViewId;
  /** What is selected in the view (a federation id…), when the view keeps one in the URL. */
  readonly item: string | null;
}

/** Reads a hash; anything unknown is the default view, never an error. */
export function parseRoute(hash: string): Route {
  const [view = '', item = ''] = hash.replace(/^#\/?/, '').split('/');
  if (!isViewId(view)) return { view: DEFAULT_VIEW, item: null };
  // Items are ids the core made (lowercase letters, digits, hyphens); anything else is dropped.
  return { view, item: /^[a-z0-9][a-z0-9-]{0,63}$/.test(item) ? item : null };
}

export function formatRoute(route: Route): string {
  return route.item ? `#/${route.view}/${route.item}` : `#/${route.view}`;
}

const subscribe = (changed: () => void) => {
  window.addEventListener('hashchange', changed);
  return () => window.removeEventListener('hashchange', changed);
};

/** The current route; re-renders on every change of the hash (links, back and forward, navigate()). */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}

export function navigate(route: Route): void {
  const hash = formatRoute(route);
  if (window.location.hash !== hash) window.location.hash = hash;
}
