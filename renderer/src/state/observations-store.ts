/** The observations table and the one the officer is looking at, loaded through the contract. */
import { create } from 'zustand';
import type { MethodArgs, MethodResult } from '../../../core/api/index.js';
import { bridge, unwrap } from '../entente.js';

type Summary = MethodResult<'listObservations'>['observations'][number];
type Detail = MethodResult<'getObservation'>;
export type ObservationFilter = Pick<MethodArgs<'listObservations'>, 'subject' | 'class' | 'mesh'>;

export const PAGE_SIZE = 50;

interface ObservationsState {
  filter: ObservationFilter;
  page: number;
  total: number;
  rows: Summary[];
  status: 'idle' | 'loading' | 'ready' | 'failed';
  error: string | null;
  selectedId: string | null;
  detail: Detail | null;
  detailError: string | null;
  load: () => Promise<void>;
  setFilter: (filter: ObservationFilter) => void;
  setPage: (page: number) => void;
  select: (id: string | null) => Promise<void>;
}

export const useObservationsStore = create<ObservationsState>((set, get) => ({
  filter: {},
  page: 0,
  total: 0,
  rows: [],
  status: 'idle',
  error: null,
  selectedId: null,
  detail: null,
  detailError: null,
  load: async () => {
    set({ status: 'loading' });
    const { filter, page } = get();
    try {
      const result = await unwrap(bridge().listObservations({ ...filter, limit: PAGE_SIZE, offset: page * PAGE_SIZE }));
      set({ status: 'ready', rows: result.observations, total: result.total, error: null });
    } catch (error) {
      set({ status: 'failed', error: (error as Error).message });
    }
  },
  setFilter: (filter) => {
    set({ filter, page: 0 });
    void get().load();
  },
  setPage: (page) => {
    set({ page });
    void get().load();
  },
  select: async (id) => {
    set({ selectedId: id, detail: null, detailError: null });
    if (id === null) return;
    try {
      const detail = await unwrap(bridge().getObservation({ id }));
      // A slower answer for an earlier click must not replace the current selection.
      if (get().selectedId === id) set({ detail });
    } catch (error) {
      if (get().selectedId === id) set({ detailError: (error as Error).message });
    }
  },
}));
