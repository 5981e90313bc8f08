/**
 * The queue table's rows, loaded a page at a time as the officer scrolls: the core filters and
 * sorts (listQueue), so a hundred thousand items never cross the bridge at once. Plain
 * TypeScript, no React, like ContractQuery: the table binds it; tests drive it.
 */
import type { ContractError, Envelope, EventName, MethodArgs, MethodResult } from '../../../../core/api/index.js';

/** Events after which the queue may have changed: the picture (items open and close with it) and new observations. */
export const QUEUE_EVENTS = ['pictureChanged', 'observationsAdmitted'] as const satisfies readonly EventName[];

/** One item as getQueueItem answers it: the competing observations in full. */
export type QueueItemDetail = MethodResult<'getQueueItem'>;

export type QueueQuery = Omit<MethodArgs<'listQueue'>, 'limit' | 'offset'>;
export type QueuePage = MethodResult<'listQueue'>;
export type QueueRow = QueuePage['items'][number];

export const PAGE_ROWS = 200;

export interface PagesState {
  /** null until the first page is in. */
  readonly total: number | null;
  readonly open: number;
  readonly threshold: number | null;
  readonly error: ContractError | null;
  /** Bumped on every page that arrives: what the table re-renders on. */
  readonly version: number;
}

export class QueuePages {
  readonly #pages = new Map<number, QueueRow[]>();
  readonly #asked = new Set<number>();
  readonly #watchers = new Set<() => void>();
  #state: PagesState = { total: null, open: 0, threshold: null, error: null, version: 0 };
  #generation = 0;

  constructor(
    private readonly list: (args: MethodArgs<'listQueue'>) => Promise<Envelope<QueuePage>>,
    readonly query: QueueQuery,
    readonly pageRows = PAGE_ROWS,
  ) {}

  readonly getState = () => this.#state;

  readonly subscribe = (watcher: () => void) => {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  };

  /** The row at `index` if its page is in. */
  row(index: number): QueueRow | undefined {
    return this.#pages.get(Math.floor(index / this.pageRows))?.[index % this.pageRows];
  }

  /** Asks for the pages covering rows [from, to] that are neither in nor under way. */
  ensure(from: number, to: number): void {
    const last = this.#state.total === null ? Math.floor(from / this.pageRows) : Math.min(Math.floor(Math.max(to, 0) / this.pageRows), Math.max(0, Math.ceil(this.#state.total / this.pageRows) - 1));
    for (let page = Math.max(0, Math.floor(from / this.pageRows)); page <= last; page++) {
      if (!this.#pages.has(page) && !this.#asked.has(page)) void this.#load(page, this.#generation);
    }
  }

  /**
   * The queue changed (an event): asks again for the pages shown, keeping them until the new
   * answers replace them, and forgets the rest.
   */
  refresh(from: number, to: number): void {
    const generation = ++this.#generation;
    const shown = new Set<number>();
    for (let page = Math.floor(Math.max(0, from) / this.pageRows); page <= Math.floor(Math.max(0, to) / this.pageRows); page++) shown.add(page);
    for (const page of [...this.#pages.keys()]) if (!shown.has(page)) this.#pages.delete(page);
    this.#asked.clear();
    for (const page of shown) void this.#load(page, generation);
  }

  async #load(page: number, generation: number): Promise<void> {
    this.#asked.add(page);
    const answer = await this.list({ ...this.query, limit: this.pageRows, offset: page * this.pageRows });
    if (generation !== this.#generation) return;
    this.#asked.delete(page);
    if (!answer.ok) return this.#set({ ...this.#state, error: answer.error, version: this.#state.version + 1 });
    this.#pages.set(page, answer.value.items);
    const { total, open, threshold } = answer.value;
    // The total moved (items opened or closed): pages past the new end are gone.
    if (this.#state.total !== null && total !== this.#state.total) for (const key of [...this.#pages.keys()]) if (key * this.pageRows >= total) this.#pages.delete(key);
    this.#set({ total, open, threshold, error: null, version: this.#state.version + 1 });
  }

  #set(state: PagesState): void {
    this.#state = state;
    for (const watcher of this.#watchers) watcher();
  }
}
