/** The time part as the shells see it: each partner's clock offset interval, and mesh-derived time and order of observations. */
import { Refused } from '../../common/refused.js';
import { orderWithBasis, type OrderBasis, type Orderable, type Relation } from '../../reconcile/order.js';
import type { ReadDb } from '../../store/database.js';
import { readObservation } from '../../store/observation-store.js';
import { sampledPartners } from '../../store/time-store.js';
import type { Interval } from '../../time/offsets.js';
import type { AppContext } from '../context/operation.js';
import { federationRecords } from '../federations/federation-records.js';
import { derivedTime, partnerOffset, type PartnerOffset } from './offsets.js';

export interface TimeService {
  /** Each partner's interval (every partner of a federation held here, and any with samples), sorted by mesh; or one partner's. */
  offsets(partner?: string): PartnerOffset[];
  /** A stored observation's mesh-derived time in our clock: a point for our own, an interval for a foreign one; null when unbounded or unknown. */
  derivedTime(observationId: string): Interval | null;
  /** `a` relative to `b`: lineage, then one mesh's HLC, then intervals (0007 "Ordering"). */
  order(a: string, b: string): { relation: Relation; by: OrderBasis };
}

export function createTimeService(context: AppContext): TimeService {
  return {
    offsets: (partner) => {
      const op = context.reading();
      const now = op.clock.now();
      const own = op.hasMesh() ? op.mesh().mesh.code : undefined;
      const partners = partner !== undefined ? [partner] : knownPartners(op.read).filter((p) => p !== own);
      return partners.map((p) => partnerOffset(op.read, p, now));
    },
    derivedTime: (id) => {
      const op = context.reading();
      const row = readObservation(op.read, id);
      if (!row) throw new Refused('unknown-observation', `No observation ${id.slice(0, 64)} is stored here.`);
      return derivedTime(op.read, op.mesh().mesh.code, row, op.clock.now());
    },
    order: (a, b) => {
      const op = context.reading();
      const now = op.clock.now();
      const own = op.mesh().mesh.code;
      const orderable = (id: string): Orderable => {
        const row = readObservation(op.read, id);
        if (!row) throw new Refused('unknown-observation', `No observation ${id.slice(0, 64)} is stored here.`);
        const interval = derivedTime(op.read, own, row, now) ?? { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY };
        return { id, mesh: row.mesh, hlc: { l: row.hlcL, c: row.hlcC }, interval };
      };
      return orderWithBasis(orderable(a), orderable(b), (id) => readObservation(op.read, id)?.sources);
    },
  };
}

function knownPartners(db: ReadDb): string[] {
  const meshes = new Set(sampledPartners(db));
  for (const record of federationRecords(db)) for (const p of record.versions.at(-1)!.declaration.partners) meshes.add(p.mesh);
  return [...meshes].sort();
}
