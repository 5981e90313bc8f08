/**
 * One question the console keeps asking the core: a contract method called through the bridge,
 * its envelope unwrapped, the newest answer kept, and asked again once per burst of the events
 * it follows. Plain TypeScript, no React: `useContract` binds it to a component; tests drive it.
 */
import type { ContractError, EntenteBridge, Envelope, EventName, MethodArgs, MethodName, MethodResult } from '../../../core/api/index.js';

export type QueryStatus = 'idle' | 'loading' | 'ready' | 'failed';

export interface QueryState<M extends MethodName> {
  readonly status: QueryStatus;
  /** The last answer. Kept while a newer call is under way and after one failed, so a refresh never blanks a view. */
  readonly data: MethodResult<M> | null;
  /** The refusal whole, as the envelope carried it (code, sentence, and whatever else it carries), or null after a success. */
  readonly error: ContractError | null;
}

/** How long after an event the query asks again: the events of one burst (a batch of observations) share one call. */
export const COALESCE_MS = 50;

const IDLE = { status: 'idle', data: null, error: null } as const;

export class ContractQuery<M extends MethodName> {
  #state: QueryState<M> = IDLE;
  readonly #watchers = new Set<() => void>();
  #args: MethodArgs<M> | null = null;
  /** The arguments' JSON, or undefined when nothing is to be asked. */
  #key: string | undefined;
  /** Bumped by every call, every change of arguments and stop(): an answer is kept only if nothing came after its call. */
  #generation = 0;
  #pendingRefresh: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Resolves the bridge at call time, so a console opened without one reports it as a refusal. */
    private readonly connect: () => EntenteBridge,
    readonly method: M,
  ) {}

  /** The current state; a new object on every change (what `useSyncExternalStore` compares). */
  readonly getState = (): QueryState<M> => this.#state;

  /** Calls `watcher` after every change of state; returns the function that stops it. */
  readonly subscribe = (watcher: () => void): (() => void) => {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  };

  /**
   * Sets the arguments to ask with (null: nothing to ask). Returns whether they differ from the
   * current ones, compared as JSON; the caller decides whether to ask now. An answer still under
   * way for the arguments replaced is ignored when it comes.
   */
  setArgs(args: MethodArgs<M> | null): boolean {
    const key = args === null ? undefined : JSON.stringify(args);
    if (key === this.#key) return false;
    this.#args = args;
    this.#key = key;
    this.#generation++;
    if (key === undefined && this.#state.status === 'loading') this.#set({ ...this.#state, status: 'idle' });
    return true;
  }

  /** Asks with the current arguments now; resolves when the answer is in (or was overtaken). */
  readonly reload = async (): Promise<void> => {
    if (this.#key === undefined) return;
    const generation = ++this.#generation;
    this.#set({ ...this.#state, status: 'loading' });
    const answer = await this.#call(this.#args!);
    if (generation !== this.#generation) return;
    this.#set(answer.ok ? { status: 'ready', data: answer.value, error: null } : { status: 'failed', data: this.#state.data, error: answer.error });
  };

  /** Asks again after each burst of these events; returns the function that stops listening. */
  follow(events: readonly EventName[]): () => void {
    if (events.length === 0) return () => undefined;
    const schedule = () => {
      this.#pendingRefresh ??= setTimeout(() => {
        this.#pendingRefresh = undefined;
        void this.reload();
      }, COALESCE_MS);
    };
    let bridge: EntenteBridge;
    try {
      bridge = this.connect();
    } catch {
      return () => undefined; // No bridge: the call itself reports that, as a refusal the view shows.
    }
    const unsubscribes = events.map((event) => bridge.on(event, schedule));
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
  }

  /**
   * Stops for now: a refresh waiting is dropped, an answer under way is ignored, and the
   * arguments are forgotten, so the next setArgs counts as a change and asks afresh. What was
   * loaded stays, for a component that comes back (React's StrictMode mounts twice).
   */
  stop(): void {
    clearTimeout(this.#pendingRefresh);
    this.#pendingRefresh = undefined;
    this.#generation++;
    this.#key = undefined;
    this.#args = null;
  }

  async #call(args: MethodArgs<M>): Promise<Envelope<MethodResult<M>>> {
    try {
      const bridge = this.connect();
      // TypeScript cannot tie a generic M to one member of the bridge's mapped type; the bridge's type says this is that member.
      const method = bridge[this.method] as unknown as (args: MethodArgs<M>) => Promise<Envelope<MethodResult<M>>>;
      return await method.call(bridge, args);
    } catch (failure) {
      // No bridge, or a transport that threw instead of answering: the core cannot be reached.
      return { ok: false, error: { code: 'unavailable', message: failure instanceof Error ? failure.message : String(failure) } };
    }
  }

  #set(state: QueryState<M>): void {
    this.#state = state;
    for (const watcher of this.#watchers) watcher();
  }
}

/** The sentence a view shows for a refusal: the core's own words, then its reason code (or the envelope's code). */
export function describeRefusal(error: ContractError): string {
  return `${error.message} (${error.reason ?? error.code})`;
}
