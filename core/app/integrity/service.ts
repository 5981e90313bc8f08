/** The integrity part as the shells see it: integrity events, partners' CRLs and taint notices, standing, tombstones. */
import type { TaintNotice } from '../../boundary/taint-notice.js';
import { isPurged } from '../../store/integrity-store.js';
import type { AppContext } from '../context/operation.js';
import { storedVerifier } from '../observations/observation-service.js';
import { integrityEvents, recordIntegrityEvent, type IntegrityEventInput, type IntegrityEventPage } from './events.js';
import { standingOf, type StandingView } from './standing.js';
import { applyPartnerCrl, applyTaintNotice, taintNoticesFor } from './taint.js';

export interface IntegrityService {
  /** Records an integrity event and its `integrity` log entry in one transaction; returns the event's id. */
  record(event: IntegrityEventInput): Promise<string>;
  /** Integrity events, newest first. */
  list(filter: { kind?: string; partner?: string; limit: number; offset?: number }): IntegrityEventPage;
  /** Verifies a partner's CRL against its card, stores it, and taints what it shows compromised; returns the ids newly tainted. */
  applyPartnerCrl(partnerMesh: string, crlPem: string): Promise<string[]>;
  /** Applies a partner's taint notice; returns the ids newly tainted. */
  applyTaintNotice(notice: unknown): Promise<string[]>;
  /** The taint notices to send `partner`: taints marked here at or after `since` (ISO time). */
  taintNoticesFor(partner: string, since: string): TaintNotice[];
  /** The full standing of a stored observation (its lineage walked, every source verified). */
  standing(id: string): Promise<StandingView>;
  /** Whether an exit purged `id` here. */
  isPurged(id: string): boolean;
}

export function createIntegrityService(context: AppContext): IntegrityService {
  return {
    record: (event) => {
      const op = context.writing();
      return recordIntegrityEvent(op, event, op.clock.advance(op.write));
    },
    list: (filter) => integrityEvents(context.reading().read, filter),
    applyPartnerCrl: (partnerMesh, crlPem) => {
      const op = context.writing();
      return applyPartnerCrl(op, partnerMesh, crlPem, op.clock.advance(op.write));
    },
    applyTaintNotice: (notice) => {
      const op = context.writing();
      return applyTaintNotice(op, notice, op.clock.advance(op.write));
    },
    taintNoticesFor: (partner, since) => taintNoticesFor(context.reading(), partner, since),
    standing: async (id) => {
      const op = context.reading();
      return standingOf(op.read, id, await storedVerifier(op));
    },
    isPurged: (id) => isPurged(context.reading().read, id),
  };
}
