/**
 * The evidence the store keeps as observations arrive (migration 19's claims, the origin kept by
 * core/app/reconcile/evidence.ts, lineage walked through the store) must be what
 * core/reconcile/claims.ts's `evidenceOf` computes from the whole history, in any delivery
 * order, in any batches, delivered twice, and after an exit's purge. The picture the upkeep
 * keeps must then equal the picture computed from everything at once, down to the arbitrations
 * it records as provenance.
 */
import { copyFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GovernedObservation } from '../../observation/index.js';
import { evidenceOf, type SubjectEvidence } from '../../reconcile/claims.js';
import { computePicture, stateOfEvidence, subjectDigest, subjectState, type PictureRules } from '../../reconcile/picture.js';
import { openDatabase, type WriteDb } from '../../store/database.js';
import { purgeObservations } from '../../store/federation-store.js';
import { appendObservations } from '../../store/observation-store.js';
import { arbitrationsOf, readKeptSubject, readPictureSum } from '../../store/reconcile-store.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { observationRow } from '../observations/observation-service.js';
import { createServices } from '../services.js';
import { subjectCandidates } from './candidates.js';
import { storedEvidence } from './evidence.js';
import { keepPicture, keepPictureOfSubjects } from './keep.js';

const MESHES = ['DEU', 'NLD', 'POL'] as const;
const SUBJECTS = ['track:1', 'track:2'] as const;
const CERTIFICATE = 'c'.repeat(64);
const T0 = Date.parse('2026-11-30T08:00:00.000Z');

interface Spec {
  readonly mesh: (typeof MESHES)[number];
  readonly subject: (typeof SUBJECTS)[number];
  readonly decision: boolean;
  /** HLC l (a mesh may repeat one: the id then orders its claims) and c. */
  readonly l: number;
  readonly c: number;
  /** Seconds after T0 the observation states (independent of the HLC: clocks skew). */
  readonly stated: number;
  /** Written with an offset, as a record may state it. */
  readonly offset: boolean;
  readonly payload: unknown;
  /** Indices of earlier specs it derives from. */
  readonly sources: readonly number[];
}

const payload = fc.oneof(
  { weight: 6, arbitrary: fc.record({ lat: fc.integer({ min: 0, max: 2 }), kind: fc.constantFrom('tank', 'truck'), speed: fc.constantFrom(1, 2.5) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('bare', 7, null, [1, 2]) },
);
const spec: fc.Arbitrary<Spec> = fc.record({
  mesh: fc.constantFrom(...MESHES),
  subject: fc.constantFrom(...SUBJECTS),
  decision: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  l: fc.integer({ min: 0, max: 6 }),
  c: fc.integer({ min: 0, max: 1 }),
  stated: fc.integer({ min: 0, max: 40 }),
  offset: fc.boolean(),
  payload,
  sources: fc.array(fc.nat(17), { maxLength: 2 }),
});

/** A record as the store files it (the store checks no signature; the picture reads only these fields). */
function recordOf(s: Spec, index: number, ids: readonly string[]): { id: string; record: GovernedObservation } {
  const id = index.toString(16).padStart(64, '0');
  const at = new Date(T0 + s.stated * 1000);
  // The same moment with and without an offset: stated times are compared as moments, not text.
  const wall = s.offset ? `${new Date(at.getTime() + 3_600_000).toISOString().slice(0, 19)}+01:00` : at.toISOString();
  const sources = [...new Set(s.sources.filter((i) => i < index).map((i) => ids[i]!))].sort();
  const record = {
    v: 1,
    mesh: s.mesh,
    subject: s.subject,
    class: s.decision ? 'decision' : 'track',
    payload: s.decision ? { item: 'x'.repeat(64), action: 'reject', reason: 'r' } : s.payload,
    time: { reference: 'local', wall, hlc: { l: T0 + s.l, c: s.c } },
    authority: { anchor: 'a'.repeat(64), issuer: `issuer-${s.mesh}` },
    device: { id: `device-${s.mesh}`, certificate: CERTIFICATE },
    lineage: { sources },
  } as unknown as GovernedObservation;
  return { id, record };
}

/** What two evidences say, in a form `toEqual` compares: claims, decisions, originator, lineage over every pair. */
function comparable(evidence: SubjectEvidence, ids: readonly string[]) {
  const claims = [...evidence.claims].map(([field, list]) => [field, list.map((c) => ({ id: c.id, mesh: c.mesh, value: c.value }))]);
  const related = ids.flatMap((a) => ids.filter((b) => a < b && evidence.related(a, b)).map((b) => `${a.slice(-3)}~${b.slice(-3)}`));
  return { claims, decisions: evidence.decisions.map((d) => d.id).sort(), originator: evidence.originator, related };
}

describe('the evidence kept in the store (fast-check)', () => {
  let dir: TempDir;
  let template: string;
  let runs = 0;
  beforeAll(async () => {
    dir = makeTempDir('entente-evidence-');
    template = dir.file('template.db');
    const db = openDatabase(template);
    await createServices(db).mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: false });
    db.close();
  });
  afterAll(() => dir.remove());

  const world = fc.record({
    specs: fc.array(spec, { minLength: 1, maxLength: 18 }),
    order: fc.array(fc.nat(), { minLength: 18, maxLength: 18 }),
    batch: fc.integer({ min: 1, max: 5 }),
    again: fc.nat(17),
    purge: fc.array(fc.nat(17), { maxLength: 3 }),
  });

  it('equals the evidence of the whole history, in any order and batches, twice over, and after a purge', async () => {
    await fc.assert(
      fc.property(world, ({ specs, order, batch, again, purge }) => {
        const file = dir.file(`run-${(runs += 1)}.db`);
        copyFileSync(template, file);
        const db = openDatabase(file);
        try {
          const ids: string[] = [];
          const records = specs.map((s, i) => {
            const made = recordOf(s, i, ids);
            ids.push(made.id);
            return made;
          });
          // A delivery order: the specs sorted by a random key each.
          const delivery = records.map((r, i) => ({ r, key: order[i]! })).sort((a, b) => a.key - b.key).map((x) => x.r);
          const now = new Date(T0 + 100_000);
          const op = createServices(db).context.writing();
          const deliver = (list: typeof records) =>
            db.transaction(() => {
              appendObservations(db, list.map(({ id, record }) => observationRow(record, id, now)));
              keepPicture(op, null, list.map((r) => r.id), now);
            })();
          for (let i = 0; i < delivery.length; i += batch) deliver(delivery.slice(i, i + batch));
          deliver([records[again % records.length]!]);
          check(db, ids);

          const gone = [...new Set(purge.map((i) => ids[i % ids.length]!))];
          db.transaction(() => {
            const subjects = [...new Set(gone.map((id) => records.find((r) => r.id === id)!.record.subject))];
            purgeObservations(db, gone);
            keepPictureOfSubjects(op, null, subjects, now);
          })();
          check(db, ids.filter((id) => !gone.includes(id)));
        } finally {
          db.close();
        }
      }),
      { numRuns: 120 },
    );
  });
});

const RULES: PictureRules[] = [
  { policy: 'originator-wins', divergenceThreshold: 1 },
  { policy: 'originator-wins', divergenceThreshold: 0.2, concurrencyWindowSeconds: 15 },
  { policy: 'most-recent', divergenceThreshold: 0.5, concurrencyWindowSeconds: 30 },
];

function check(db: WriteDb, held: readonly string[]): void {
  const all = SUBJECTS.map((subject) => ({ subject, history: subjectCandidates(db, subject).map((h) => h.candidate) }));
  for (const { subject, history } of all) {
    // Lineage is asked of data only (claims are never decisions).
    const ids = history.filter((c) => c.class !== 'decision').map((c) => c.id);
    const whole = evidenceOf(history);
    const known = readKeptSubject(db, subject)?.origin ?? null;
    expect(known?.mesh).toBe(whole.originator);
    // A read with nothing added: the origin as the upkeep left it.
    const kept = storedEvidence(db, subject, [], known);
    if (history.length === 0) {
      expect(kept).toBeNull();
      continue;
    }
    expect(ids.every((id) => held.includes(id))).toBe(true);
    expect(comparable(kept!, ids)).toEqual(comparable(whole, ids));
    for (const rules of RULES) {
      expect(subjectDigest(stateOfEvidence(rules, subject, kept!))).toBe(subjectDigest(subjectState(rules, subject, history)));
    }
  }
  // The picture the upkeep kept (the default rules: no federation here) is the one computed at once.
  const expected = computePicture(RULES[0]!, all.flatMap(({ subject, history }) => history.map((candidate) => ({ subject, candidate }))));
  expect(readPictureSum(db)?.digest ?? expected.digest).toBe(expected.digest);
  const stored = db.prepare('SELECT subject, digest FROM picture_subjects ORDER BY subject').all() as { subject: string; digest: string }[];
  expect(stored).toEqual([...expected.subjects].sort(([a], [b]) => (a < b ? -1 : 1)).map(([subject, state]) => ({ subject, digest: subjectDigest(state) })));
  // The arbitrations recorded, which `entente picture` shows as provenance, are the picture's too: not what an earlier arrival once had in conflict.
  for (const subject of SUBJECTS) {
    const recorded = arbitrationsOf(db, subject).map(({ field, winner, why }) => ({ field, winner, why }));
    const current = (expected.subjects.get(subject)?.arbitrated ?? []).map(({ field, winner, why }) => ({ field, winner, why }));
    expect(recorded).toEqual(current);
  }
}
