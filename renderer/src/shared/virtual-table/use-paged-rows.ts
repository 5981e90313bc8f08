/**
 * Binds a PagedRows loader to a view: its state, the `onRange` VirtualTable calls as rows come
 * into view (the pages to load), and live refresh — a burst of the named events asks again, once,
 * for the pages shown. The queue and the observations table use it alike.
 */
import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import type { EventName } from '../../../../core/api/index.js';
import { bridge } from '../entente.js';
import type { PagedRows, PagedState } from './paged-rows.js';

/** Events closer together than this are one burst: one refresh. */
const BURST_MS = 50;

export function usePagedRows<Row, Extra extends object>(pages: PagedRows<Row, Extra>, events: readonly EventName[]): { state: PagedState<Extra>; onRange: (first: number, last: number) => void } {
  const state = useSyncExternalStore(pages.subscribe, pages.getState);
  const range = useRef({ first: 0, last: 0 });
  const onRange = useCallback(
    (first: number, last: number) => {
      range.current = { first, last };
      pages.ensure(first, last);
    },
    [pages],
  );
  // The first page tells the total, whether or not a table is drawn yet.
  useEffect(() => pages.ensure(0, 0), [pages]);

  const eventsKey = events.join(',');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        pages.refresh(range.current.first, Math.max(range.current.last, range.current.first));
      }, BURST_MS);
    };
    let offs: (() => void)[] = [];
    try {
      const entente = bridge();
      offs = (eventsKey.split(',') as EventName[]).map((event) => entente.on(event, changed));
    } catch {
      // No bridge: the first page's call reports it as a refusal.
    }
    return () => {
      clearTimeout(timer);
      for (const off of offs) off();
    };
  }, [pages, eventsKey]);

  return { state, onRange };
}
