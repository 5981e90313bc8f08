/**
 * The picture table's rows, loaded a page at a time as the officer scrolls (PagedRows, as the
 * queue and the observations table), bound to getPicture: the core filters by subject prefix and
 * state, and each answer also carries the whole picture's digest and counts.
 */
import type { Envelope, EventName, MethodArgs, MethodResult } from '../../../../core/api/index.js';
import { PagedRows, type PagedState } from '../../shared/virtual-table/paged-rows.js';

/** The picture changes with every admission and decision; the core says so once per storing transaction. */
export const PICTURE_EVENTS = ['pictureChanged'] as const satisfies readonly EventName[];

export type PictureQuery = Pick<MethodArgs<'getPicture'>, 'subjectPrefix' | 'state'>;
export type PicturePage = MethodResult<'getPicture'>;
export type PictureRow = PicturePage['items'][number];

/** getPicture answers at most 500 subjects, each with its fields: pages of 100 keep an answer small. */
export const PAGE_ROWS = 100;

/** What every page says of the whole picture, whatever the filter. */
export interface PictureTotals {
  readonly digest: string | null;
  readonly subjects: number;
  readonly held: number;
  readonly queueOpen: number;
  readonly pending: number;
}

export type PicturePagesState = PagedState<PictureTotals>;

export class PicturePages extends PagedRows<PictureRow, PictureTotals> {
  constructor(
    list: (args: MethodArgs<'getPicture'>) => Promise<Envelope<PicturePage>>,
    readonly query: PictureQuery,
    pageRows = PAGE_ROWS,
  ) {
    super(
      async (limit, offset) => {
        const answer = await list({ ...query, limit, offset });
        if (!answer.ok) return answer;
        const { items, matching, digest, subjects, held, queueOpen, pending } = answer.value;
        return { ok: true, value: { rows: items, total: matching, extra: { digest, subjects, held, queueOpen, pending } } };
      },
      pageRows,
      { digest: null, subjects: 0, held: 0, queueOpen: 0, pending: 0 },
    );
  }
}

/** The meshes that supplied a subject's fields, sorted: who the prevailing state came from. */
export const suppliersOf = (row: PictureRow): string[] => [...new Set(row.fields.map((f) => f.mesh))].sort();

/** The markings of what a row shows (the subject's name and its values), for the banner. */
export const markingsOf = (row: PictureRow): readonly string[] => row.markings;
