/**
 * Two federated homes for the live-link bench (issue 14, Speed), on bench/crossing-fixture.ts's
 * pair: DEU and NLD each with a device of its own, and observations stored fast through the
 * store paths in big transactions — real signed records, batch-attested (core/observation/
 * batch.ts), so minting a million takes seconds, not the hours one signature each would.
 *
 * "Shared" observations are DEU's, stored in DEU as its own and in NLD as admitted from DEU
 * under the federation (a `crossings` row each, as the admission pipeline writes), so both sides
 * hold them as a sync would have left them. "Unique" ones are each side's own, published while
 * the two were apart. The sync index is then rebuilt from the store through the app's real
 * membership judge (core/app/sync-index/), so the link reconciles the index a home would hold.
 */
import { createHash } from 'node:crypto';
import { observationRow } from '../core/app/observations/observation-service.js';
import { observationId, signBatch, type GovernedObservation, type UnsignedObservation } from '../core/observation/index.js';
import { insertCrossing } from '../core/store/crossing-store.js';
import { readMesh, readPrincipal } from '../core/store/mesh-store.js';
import { appendObservations } from '../core/store/observation-store.js';
import { AGENT, federatedPair, type BenchHome, type CrossingHomes } from './crossing-fixture.js';

/** DEU's device is crossing-fixture's; NLD gets one of the same name. */
const DEVICE = 'uav-7';
/** Records minted, signed and stored per step, so a million never sit in memory at once. */
export const STORE_CHUNK = 10_000;
const BATCH = 1_000;

const LABELS = { DEU: { policy: 'DEU', classification: 'GEHEIM' }, NLD: { policy: 'NLD', classification: 'Stg. GEHEIM' } } as const;
export type BenchMesh = keyof typeof LABELS;

export interface LinkHomes extends CrossingHomes {
  /** Mints records of `mesh` at the given mesh times (ms), in batches of 1,000; `tag` keeps ids apart between calls. */
  mint(mesh: BenchMesh, times: readonly number[], tag: string): Promise<GovernedObservation[]>;
  /** The homes' clock now: `historyMs` behind the wall clock until `present()`. */
  now(): number;
  /** Puts the homes' clock back on the wall clock (a forward step far inside the trusted clock's jump bound): the sync runs in the present. */
  present(): void;
}

/**
 * The pair built `historyMs` in the past (mesh roots, certificates, the federation and the
 * labels all dated then), so the records can carry a history of that length before the sync
 * runs in the present, as a home that has lived that long would hold them.
 */
export async function linkHomes(deuPath: string, nldPath: string, historyMs = 0): Promise<LinkHomes> {
  let behind = historyMs;
  const clock = () => new Date(Date.now() - behind);
  const pair = await federatedPair(deuPath, nldPath, clock);
  await pair.nld.services.credentials.enrol({ role: 'device', id: DEVICE, algorithm: 'Ed25519' });
  const minters = { DEU: await minterOf(pair.deu, 'DEU', clock()), NLD: await minterOf(pair.nld, 'NLD', clock()) };
  return { ...pair, mint: async (mesh, times, tag) => minters[mesh](times, tag), now: () => clock().getTime(), present: () => void (behind = 0) };
}

async function minterOf(home: BenchHome, mesh: BenchMesh, labelledAt: Date): Promise<(times: readonly number[], tag: string) => GovernedObservation[]> {
  const certificate = readPrincipal(home.db, 'device', DEVICE)!.certificateSha256;
  const key = await home.services.context.writing().keyring.key(certificate);
  const { anchorSha256, issuerSha256 } = readMesh(home.db)!;
  // Labelled before any record's time, after the device's certificate starts.
  const createdAt = labelledAt.toISOString();
  return (times, tag) => {
    const unsigned = times.map((wall, n): UnsignedObservation => ({
      v: 1,
      mesh,
      subject: `track:${n % 500}`,
      class: 'track',
      payload: { lat: 52.1 + n / 1e7, lon: 5.2, alt: 1200, speed: 41.5, heading: 270, sidc: 'SHAPMFQ--------', n, tag },
      label: { kind: 'originator', policy: { id: LABELS[mesh].policy }, classification: LABELS[mesh].classification, categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU', 'NLD'] }], createdAt },
      time: { reference: 'local', wall: new Date(wall).toISOString(), hlc: { l: wall, c: 0 } },
      authority: { anchor: anchorSha256, issuer: issuerSha256 },
      device: { id: DEVICE, certificate },
      lineage: { device: DEVICE, sources: [], derivation: null },
    }) as UnsignedObservation);
    const signed: GovernedObservation[] = [];
    for (let i = 0; i < unsigned.length; i += BATCH) signed.push(...signBatch(unsigned.slice(i, i + BATCH), key));
    return signed;
  };
}

/** Stores records as the home's own, in one transaction. */
export function storeOwn(home: BenchHome, records: readonly GovernedObservation[], storedAt: Date): void {
  home.db.transaction(() => appendObservations(home.db, records.map((record) => observationRow(record, observationId(record), storedAt))))();
}

/** Stores records as admitted from `partner` under `federation` (observation and crossing rows), in one transaction. */
export function storeAdmitted(home: BenchHome, from: BenchHome, partner: BenchMesh, federation: string, records: readonly GovernedObservation[], storedAt: Date): void {
  const agentCertificate = readPrincipal(from.db, 'boundary-agent', AGENT)!.certificateSha256;
  const bundle = createHash('sha256').update(`bench-link-shared:${federation}`).digest('hex');
  const at = storedAt.toISOString();
  home.db.transaction(() => {
    const rows = records.map((record) => observationRow(record, observationId(record), storedAt));
    appendObservations(home.db, rows);
    rows.forEach((row, line) =>
      insertCrossing(home.db, {
        observationId: row.id, federation, version: 1, origin: partner, partner, agent: `${partner}:${AGENT}`, agentCertificate, bundle, line,
        releaseAuthority: `${partner} national release authority`, alternativeLabel: null, translations: '[]', attestations: '[]', caveats: '["EXERCISE ONLY"]',
        onwardRelease: 'permitted', outcome: 'admitted', admittedAt: at,
      }),
    );
  })();
}
