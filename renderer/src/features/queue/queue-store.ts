/**
 * What the officer has chosen in the queue view: the filter, the order, the row the keyboard is
 * on. UI state only; the rows are loaded by QueuePages, the selected item is in the URL.
 */
import { create } from 'zustand';
import type { QueueQuery } from './queue-pages.js';

export type QueueFilter = Pick<QueueQuery, 'status' | 'cause' | 'mesh' | 'subjectPrefix' | 'search'> & { readonly all?: boolean };
export type QueueOrder = { sort: NonNullable<QueueQuery['sort']>; descending: boolean };

export const DEFAULT_QUEUE_ORDER: QueueOrder = { sort: 'opened', descending: false };

interface QueueChoice {
  filter: QueueFilter;
  order: QueueOrder;
  /** The row index the keyboard is on (roving focus). */
  cursor: number;
  setFilter: (filter: QueueFilter) => void;
  setOrder: (order: QueueOrder) => void;
  setCursor: (cursor: number) => void;
}

export const useQueueStore = create<QueueChoice>((set) => ({
  filter: {},
  order: DEFAULT_QUEUE_ORDER,
  cursor: 0,
  setFilter: (filter) => set({ filter, cursor: 0 }),
  setOrder: (order) => set({ order, cursor: 0 }),
  setCursor: (cursor) => set({ cursor }),
}));

/** The arguments for the core: a mesh code half typed ("D") is not asked yet, it would be refused. */
export function queryOf(filter: QueueFilter, order: QueueOrder): QueueQuery {
  const mesh = filter.mesh !== undefined && /^[A-Z0-9]{2,16}$/.test(filter.mesh) ? filter.mesh : undefined;
  const text = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
  return {
    all: filter.all ?? filter.status !== undefined,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.cause ? { cause: filter.cause } : {}),
    ...(mesh ? { mesh } : {}),
    ...(text(filter.subjectPrefix) ? { subjectPrefix: text(filter.subjectPrefix) } : {}),
    ...(text(filter.search) ? { search: text(filter.search) } : {}),
    sort: order.sort,
    descending: order.descending,
  };
}

export const CAUSE_WORDS: Record<NonNullable<QueueQuery['cause']>, string> = {
  'translation-seam': 'translation seam',
  'genuine-disagreement': 'genuine disagreement',
  'suspected-injection': 'suspected injection',
  'decision-clash': 'decision clash',
};

/** What each cause estimate means, for the detail pane (0007, "divergence"). */
export const CAUSE_SENTENCES: Record<NonNullable<QueueQuery['cause']>, string> = {
  'translation-seam': 'The disagreement sits on a translated term or an approximate attestation: the meshes may mean the same thing in different words.',
  'genuine-disagreement': 'The meshes observed the same subject at the same time and report different things: a person must judge which is right.',
  'suspected-injection': 'One side looks suspect — a new or recently certified device, a burst of reports, or a credential near revocation: check before trusting it.',
  'decision-clash': 'Two partners decided this subject differently; the declared precedence settles it, the clash is recorded for review.',
};

export const STATUS_WORDS: Record<NonNullable<QueueQuery['status']>, string> = { open: 'open', escalated: 'escalated', decided: 'decided', superseded: 'superseded' };
