/**
 * The console's one way to load data: `useContract(method, args, { refreshOn })` asks the core
 * through `window.entente`, answers `{ status, data, error, reload }`, and asks again when one of
 * the named events arrives. The logic lives in ContractQuery; this binds it to a component.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { EventName, MethodArgs, MethodName } from '../../../core/api/index.js';
import { ContractQuery, type QueryState } from './contract-query.js';
import { bridge } from './entente.js';

export interface ContractOptions {
  /** The events after which the answer may have changed: each burst of them asks again once. */
  readonly refreshOn?: readonly EventName[];
  /** Ask only when `reload()` is called (a check the officer requests), not on mount. */
  readonly manual?: boolean;
}

export type ContractView<M extends MethodName> = QueryState<M> & {
  /** Asks again now with the current arguments. */
  readonly reload: () => Promise<void>;
};

/**
 * `args` are compared by value (as JSON), so an object literal written in the render is fine;
 * `null` means there is nothing to ask yet (no selection). The method is fixed per component.
 */
export function useContract<M extends MethodName>(method: M, args: MethodArgs<M> | null, options: ContractOptions = {}): ContractView<M> {
  const query = useMemo(() => new ContractQuery(bridge, method), [method]);
  const state = useSyncExternalStore(query.subscribe, query.getState);
  const argsKey = args === null ? null : JSON.stringify(args);
  const eventsKey = (options.refreshOn ?? []).join(',');
  const manual = options.manual ?? false;

  useEffect(() => {
    // Read back from the keys, so the effect runs when the values change, not the objects.
    const current = argsKey === null ? null : (JSON.parse(argsKey) as MethodArgs<M>);
    if (query.setArgs(current) && !manual) void query.reload();
    const unfollow = query.follow(eventsKey === '' ? [] : (eventsKey.split(',') as EventName[]));
    return () => {
      unfollow();
      query.stop();
    };
  }, [query, argsKey, eventsKey, manual]);

  return { ...state, reload: query.reload };
}
