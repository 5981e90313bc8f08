/**
 * What the officer has chosen in the observations view: the filter, the order, the row the
 * keyboard is on, the selected observation. UI state only; the rows are loaded by
 * ObservationPages (observation-pages.ts), the detail by useContract (observation-queries.ts).
 */
import { create } from 'zustand';
import type { MethodArgs } from '../../../../core/api/index.js';

export type ObservationFilter = Pick<MethodArgs<'listObservations'>, 'subjectPrefix' | 'class' | 'mesh' | 'observedFrom' | 'observedBefore'>;
export type ObservationOrder = { sort: NonNullable<MethodArgs<'listObservations'>['sort']>; descending: boolean };

export const DEFAULT_ORDER: ObservationOrder = { sort: 'hlc', descending: true };

interface ObservationsChoice {
  filter: ObservationFilter;
  order: ObservationOrder;
  /** The row the keyboard is on. */
  cursor: number;
  selectedId: string | null;
  setFilter: (filter: ObservationFilter) => void;
  setOrder: (order: ObservationOrder) => void;
  setCursor: (cursor: number) => void;
  select: (id: string | null) => void;
}

export const useObservationsStore = create<ObservationsChoice>((set) => ({
  filter: {},
  order: DEFAULT_ORDER,
  cursor: 0,
  selectedId: null,
  setFilter: (filter) => set({ filter, cursor: 0 }),
  setOrder: (order) => set({ order, cursor: 0 }),
  setCursor: (cursor) => set({ cursor }),
  select: (selectedId) => set({ selectedId }),
}));
