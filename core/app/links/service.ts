/**
 * Live links as the shells see them (docs/decisions/0006-live-links.md): serve, sync, the
 * links' state, and an operator's disconnection. Every writer advances the trusted clock.
 */
import { Refused } from '../../common/refused.js';
import { listClockSamples, latestConvergence, type ClockSampleRow, type ConvergenceRow } from '../../store/link-store.js';
import type { AppContext } from '../context/operation.js';
import { activeFederationWith } from '../crossing/export.js';
import type { CrossingParts } from '../crossing/parts.js';
import { serve, sync, watch, type LinkServer, type LinkWatch, type ServeOptions, type SyncRequest, type WatchEvent, type WatchRequest } from './links.js';
import type { SyncReport } from './session.js';
import { judgeLinks, linkViews, setOperatorDisconnection, type LinkView } from './state.js';

export type { LinkServer, LinkWatch, ServeOptions, SyncRequest, SyncReport, LinkView, WatchEvent, WatchRequest };

export interface LinksService {
  /** Listens on 127.0.0.1:`port` (0 for any) and answers partners' syncs until closed. */
  serve(options: ServeOptions): Promise<LinkServer>;
  /** One sync with the partner agent at HOST:PORT, both directions, ending in signed convergence statements. */
  sync(request: SyncRequest): Promise<SyncReport>;
  /** Keeps one link to the partner agent open, a round on it as local observations arrive and on a timer; reconnects with backoff; ends on a refusal. */
  watch(request: WatchRequest): LinkWatch;
  /** Every link the active federations call for, judged now; an undeclared silence is recorded once as an integrity event. */
  status(): Promise<LinkView[]>;
  /** The same, reading only (the console's board). */
  list(): LinkView[];
  /** An operator ends (or resumes) the link with a partner: syncs are refused both ways meanwhile. */
  disconnect(request: { partner: string; federation?: string; by?: string }): { partner: string; federation: string };
  connect(request: { partner: string; federation?: string }): { partner: string; federation: string };
  latestConvergence(partner: string, federation: string): ConvergenceRow | undefined;
  clockSamples(partner: string, limit?: number): ClockSampleRow[];
}

export function createLinksService(context: AppContext, parts: CrossingParts): LinksService {
  const operatorChange = (request: { partner: string; federation?: string; by?: string }, disconnected: boolean) => {
    const op = context.writing();
    const now = op.clock.advance(op.write);
    const own = op.mesh().mesh.code;
    if (request.partner === own) throw new Refused('not-a-partner', `${own} holds no link with itself.`);
    const { id } = activeFederationWith(op, own, request.partner, request.federation, now);
    setOperatorDisconnection(op, request.partner, id, disconnected, request.by ?? 'operator', now);
    return { partner: request.partner, federation: id };
  };
  return {
    serve: (options) => serve(context, parts, options),
    sync: (request) => sync(context, parts, request),
    watch: (request) => watch(context, parts, request),
    status: () => {
      const op = context.writing();
      return judgeLinks(op, op.clock.advance(op.write));
    },
    list: () => {
      const op = context.reading();
      return op.hasMesh() ? linkViews(op, op.clock.now()) : [];
    },
    disconnect: (request) => operatorChange(request, true),
    connect: (request) => operatorChange(request, false),
    latestConvergence: (partner, federation) => latestConvergence(context.reading().read, partner, federation),
    clockSamples: (partner, limit = 100) => listClockSamples(context.reading().read, partner, limit),
  };
}
