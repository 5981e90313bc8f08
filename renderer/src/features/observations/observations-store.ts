/**
 * What the officer has chosen in the observations view: the filter, the page, the selected
 * observation. UI state only; the data itself is loaded by useContract (observation-queries.ts).
 */
import { create } from 'zustand';
import type { MethodArgs } from '../../../../core/api/index.js';

export type ObservationFilter = Pick<MethodArgs<'listObservations'>, 'subject' | 'class' | 'mesh'>;

export const PAGE_SIZE = 50;

interface ObservationsChoice {
  filter: ObservationFilter;
  page: number;
  selectedId: string | null;
  setFilter: (filter: ObservationFilter) => void;
  setPage: (page: number) => void;
  select: (id: string | null) => void;
}

export const useObservationsStore = create<ObservationsChoice>((set) => ({
  filter: {},
  page: 0,
  selectedId: null,
  setFilter: (filter) => set({ filter, page: 0 }),
  setPage: (page) => set({ page }),
  select: (selectedId) => set({ selectedId }),
}));
