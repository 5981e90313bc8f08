/**
 * What the officer has chosen in the observations view: the filter, the order, the page, the
 * selected observation. UI state only; the data itself is loaded by useContract (observation-queries.ts).
 */
import { create } from 'zustand';
import type { MethodArgs } from '../../../../core/api/index.js';

export type ObservationFilter = Pick<MethodArgs<'listObservations'>, 'subjectPrefix' | 'class' | 'mesh' | 'observedFrom' | 'observedBefore'>;
export type ObservationOrder = { sort: NonNullable<MethodArgs<'listObservations'>['sort']>; descending: boolean };

export const PAGE_SIZE = 50;
export const DEFAULT_ORDER: ObservationOrder = { sort: 'hlc', descending: true };

interface ObservationsChoice {
  filter: ObservationFilter;
  order: ObservationOrder;
  page: number;
  selectedId: string | null;
  setFilter: (filter: ObservationFilter) => void;
  setOrder: (order: ObservationOrder) => void;
  setPage: (page: number) => void;
  select: (id: string | null) => void;
}

export const useObservationsStore = create<ObservationsChoice>((set) => ({
  filter: {},
  order: DEFAULT_ORDER,
  page: 0,
  selectedId: null,
  setFilter: (filter) => set({ filter, page: 0 }),
  setOrder: (order) => set({ order, page: 0 }),
  setPage: (page) => set({ page }),
  select: (selectedId) => set({ selectedId }),
}));
