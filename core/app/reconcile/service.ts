/** The reconciliation part as the shells see it (docs/decisions/0007): the picture, the queue, decisions, what-if. */
import type { PassphraseSource } from '../context/keyring.js';
import type { AppContext } from '../context/operation.js';
import { decide, type DecideRequest } from './decide.js';
import { rebuildPicture } from './keep.js';
import { replay, type ReplayReport, type ReplayRequest } from './replay.js';
import { pictureView, queueItemView, queueViews, type PictureView, type QueueItemView, type QueueListOptions, type QueuePage } from './views.js';

export interface ReconcileService {
  picture(options?: { subject?: string; limit?: number; offset?: number }): PictureView;
  queue(options?: QueueListOptions): QueuePage;
  item(id: string): QueueItemView;
  /** Signs and stores the operator's decision; the item's view afterwards. `passphrase`: for this call only (the console asks for it in its dialog). */
  decide(request: DecideRequest, passphrase?: PassphraseSource): Promise<{ id: string; item: QueueItemView }>;
  replay(request: ReplayRequest): ReplayReport;
  /** Recomputes the whole picture from the store. */
  rebuild(): { digest: string; subjects: number };
}

export function createReconcileService(context: AppContext): ReconcileService {
  return {
    picture: (options) => pictureView(context.reading(), options),
    queue: (options) => queueViews(context.reading(), options),
    item: (id) => queueItemView(context.reading(), id),
    decide: async (request, passphrase) => {
      const { id } = await decide(context.writing(passphrase), request);
      return { id, item: queueItemView(context.reading(), request.item) };
    },
    replay: (request) => replay(context.reading(), request),
    rebuild: () => {
      const op = context.writing();
      return rebuildPicture(op, op.clock.advance(op.write));
    },
  };
}
