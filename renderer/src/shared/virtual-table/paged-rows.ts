/**
 * A long table's rows, loaded a page at a time as the officer scrolls: the core filters and sorts,
 * so a hundred thousand rows never cross the bridge at once. Plain TypeScript, no React, like
 * ContractQuery: VirtualTable shows what it holds; tests drive it. The queue and the observations
 * table each bind one to their list method (queue-pages.ts, observation-pages.ts).
 */
import type { ContractError, Envelope } from '../../../../core/api/index.js';

/** One page as a list method answers it, in this loader's terms. */
export interface RowsPage<Row, Extra> {
  readonly rows: readonly Row[];
  readonly total: number;
  /** What else the answer says about the whole list (the queue's open count and threshold). */
  readonly extra: Extra;
}

export type PagedState<Extra> = {
  /** null until the first page is in. */
  readonly total: number | null;
  readonly error: ContractError | null;
  /** Bumped on every page that arrives: what the table re-renders on. */
  readonly version: number;
} & Extra;

/**
 * Calls in flight at most: the core answers one at a time, so asking for every page a flick
 * passes over would queue calls for rows long scrolled past ahead of the rows now on screen.
 */
const IN_FLIGHT = 2;

export class PagedRows<Row, Extra extends object> {
  readonly #pages = new Map<number, readonly Row[]>();
  /** The rows drawn last asked for: what the next free call loads. */
  #wanted = { from: 0, to: 0 };
  readonly #asked = new Set<number>();
  readonly #watchers = new Set<() => void>();
  #state: PagedState<Extra>;
  #generation = 0;

  constructor(
    private readonly list: (limit: number, offset: number) => Promise<Envelope<RowsPage<Row, Extra>>>,
    readonly pageRows: number,
    before: Extra,
  ) {
    this.#state = { ...before, total: null, error: null, version: 0 };
  }

  readonly getState = () => this.#state;

  readonly subscribe = (watcher: () => void) => {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  };

  /** The row at `index` if its page is in. */
  readonly row = (index: number): Row | undefined => this.#pages.get(Math.floor(index / this.pageRows))?.[index % this.pageRows];

  /**
   * Asks for the pages covering rows [from, to] that are neither in nor under way, at most
   * IN_FLIGHT at a time; a page scrolled past before its turn is not asked at all.
   */
  ensure(from: number, to: number): void {
    this.#wanted = { from, to };
    this.#pump();
  }

  #pump(): void {
    const { from, to } = this.#wanted;
    const total = this.#state.total;
    const last = total === null ? Math.floor(from / this.pageRows) : Math.min(Math.floor(Math.max(to, 0) / this.pageRows), Math.max(0, Math.ceil(total / this.pageRows) - 1));
    for (let page = Math.max(0, Math.floor(from / this.pageRows)); page <= last && this.#asked.size < IN_FLIGHT; page++) {
      if (!this.#pages.has(page) && !this.#asked.has(page)) void this.#load(page, this.#generation);
    }
  }

  /**
   * The list changed (an event): asks again for the pages shown, keeping them until the new
   * answers replace them, and forgets the rest.
   */
  refresh(from: number, to: number): void {
    const generation = ++this.#generation;
    this.#wanted = { from, to };
    const shown = new Set<number>();
    for (let page = Math.floor(Math.max(0, from) / this.pageRows); page <= Math.floor(Math.max(0, to) / this.pageRows); page++) shown.add(page);
    for (const page of [...this.#pages.keys()]) if (!shown.has(page)) this.#pages.delete(page);
    this.#asked.clear();
    for (const page of shown) void this.#load(page, generation);
  }

  async #load(page: number, generation: number): Promise<void> {
    this.#asked.add(page);
    const answer = await this.list(this.pageRows, page * this.pageRows);
    if (generation !== this.#generation) return;
    this.#asked.delete(page);
    // A refusal is shown, not asked again at once (the next scroll or event asks again).
    if (!answer.ok) return this.#set({ ...this.#state, error: answer.error, version: this.#state.version + 1 });
    // The next page wanted may be asked now.
    queueMicrotask(() => this.#pump());
    this.#pages.set(page, answer.value.rows);
    const { total, extra } = answer.value;
    // The total moved (rows came or went): pages past the new end are gone.
    if (this.#state.total !== null && total !== this.#state.total) for (const key of [...this.#pages.keys()]) if (key * this.pageRows >= total) this.#pages.delete(key);
    this.#set({ ...extra, total, error: null, version: this.#state.version + 1 });
  }

  #set(state: PagedState<Extra>): void {
    this.#state = state;
    for (const watcher of this.#watchers) watcher();
  }
}
