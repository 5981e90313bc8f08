/**
 * What the officer has chosen in the picture view: the filter, the row the keyboard is on and
 * the subject opened beside the table. UI state only; the rows are loaded by PicturePages. The
 * subject stays out of the URL: subjects are the originators' free text, not the core's ids.
 */
import { create } from 'zustand';
import type { PictureQuery } from './picture-pages.js';

export type PictureFilter = PictureQuery;

interface PictureChoice {
  filter: PictureFilter;
  cursor: number;
  selected: string | null;
  setFilter: (filter: PictureFilter) => void;
  setCursor: (cursor: number) => void;
  select: (subject: string | null) => void;
}

export const usePictureStore = create<PictureChoice>((set) => ({
  filter: {},
  cursor: 0,
  selected: null,
  setFilter: (filter) => set({ filter, cursor: 0 }),
  setCursor: (cursor) => set({ cursor }),
  select: (selected) => set({ selected }),
}));

/** The arguments for the core: an empty or blank prefix asks for everything. */
export function queryOf(filter: PictureFilter): PictureQuery {
  const prefix = filter.subjectPrefix?.trim();
  return { ...(prefix ? { subjectPrefix: prefix } : {}), ...(filter.state ? { state: filter.state } : {}) };
}
