/** The reconciliation part as the shells see it (docs/decisions/0007): the picture, the queue, decisions, what-if. */
import { evaluate } from '../../federation/lifecycle.js';
import { DECISION_CLASS } from '../../reconcile/decision.js';
import type { PassphraseSource } from '../context/keyring.js';
import type { AppContext, ReadOperation } from '../context/operation.js';
import { mayCrossNow } from '../federations/federation-service.js';
import { federationRecords } from '../federations/federation-records.js';
import { decide, type DecideRequest } from './decide.js';
import { rebuildPicture } from './keep.js';
import { replay, type ReplayReport, type ReplayRequest } from './replay.js';
import { pictureView, queueItemView, queueViews, type PictureOptions, type PictureView, type QueueItemView, type QueueListOptions, type QueuePage } from './views.js';

export interface ReconcileService {
  picture(options?: PictureOptions): PictureView;
  queue(options?: QueueListOptions): QueuePage;
  item(id: string): QueueItemView;
  /**
   * Signs and stores the operator's decision; the item's view afterwards, and the partners the
   * decision will not reach because no federation in force lets class `decision` cross to them
   * (their pictures cannot converge on it until a declaration version does). `passphrase`: for
   * this call only (the console asks for it in its dialog).
   */
  decide(request: DecideRequest, passphrase?: PassphraseSource): Promise<{ id: string; item: QueueItemView; staysHere: string[] }>;
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
      const op = context.reading();
      return { id, item: queueItemView(op, request.item), staysHere: partnersBeyondReach(op, DECISION_CLASS) };
    },
    replay: (request) => replay(context.reading(), request),
    rebuild: () => {
      const op = context.writing();
      return rebuildPicture(op, op.clock.advance(op.write));
    },
  };
}

/** Partners in an active federation with this mesh to which nothing of class `cls` may cross now. */
function partnersBeyondReach(op: ReadOperation, cls: string): string[] {
  const own = op.mesh().mesh.code;
  const now = op.clock.now();
  const partners = new Set<string>();
  for (const record of federationRecords(op.read)) {
    const evaluation = evaluate(record, now);
    if (evaluation.state !== 'active' || !evaluation.inForce) continue;
    const members = evaluation.inForce.declaration.partners.map((p) => p.mesh);
    if (members.includes(own)) for (const mesh of members) if (mesh !== own) partners.add(mesh);
  }
  return [...partners].filter((partner) => !mayCrossNow(op, own, partner, cls, now).allowed).sort();
}
