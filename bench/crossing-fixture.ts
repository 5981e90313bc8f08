/**
 * Two real homes for the crossing benches (issue 13, Speed), built through the services a user's
 * commands call — what core/test-support/federated-homes.ts does for the tests, which production
 * code may not import (docs/decisions/0004-layers.md): DEU and NLD, an active federation both
 * authorities signed (DEU → NLD tracks up to NATO SECRET), a boundary agent per mesh
 * cross-certified by the other through a PKCS#10 request, and each mesh's demo marking
 * equivalences attested, so DEU's GEHEIM crosses as NLD's Stg. GEHEIM.
 *
 * DEU's observations are minted by a device of its own (one signature each, or batch-attested,
 * core/observation/batch.ts) and stored directly, as the verification benches store theirs: the
 * bench measures the crossing, not `observe`.
 */
import { copyFileSync } from 'node:fs';
import type { WallClock } from '../core/app/context/clock.js';
import { createServices, type Services } from '../core/app/services.js';
import type { Declaration } from '../core/federation/declaration.js';
import { observationRow } from '../core/app/observations/observation-service.js';
import { observationId, signBatch, signObservation, type GovernedObservation, type UnsignedObservation } from '../core/observation/index.js';
import { openDatabase, type WriteDb } from '../core/store/database.js';
import { readMesh, readPrincipal } from '../core/store/mesh-store.js';
import { appendObservations } from '../core/store/observation-store.js';
import { demoMarkingStatements } from '../core/taxonomy/demo-markings.js';

export const AGENT = 'gw-1';
const DEVICE = 'uav-7';
/** Records minted and stored per step, so a million never sit in memory at once. */
const STORE_CHUNK = 10_000;

export interface BenchHome {
  readonly path: string;
  readonly db: WriteDb;
  readonly services: Services;
  close(): void;
}

export interface CrossingHomes {
  readonly federation: string;
  readonly deu: BenchHome;
  readonly nld: BenchHome;
}

/** A home's services; `clock` stands in for the wall clock (a fixture built as if hours ago). */
export function openBenchHome(path: string, clock?: WallClock): BenchHome {
  const db = openDatabase(path);
  const services = createServices(db, { passphrase: null, ...(clock ? { clock } : {}) });
  return { path, db, services, close: () => db.close() };
}

/** The two homes at `deuPath` and `nldPath`, federated and cross-certified, with no observations yet (as of `clock`, the wall clock without it). */
export async function federatedPair(deuPath: string, nldPath: string, clock?: WallClock): Promise<CrossingHomes> {
  const deu = openBenchHome(deuPath, clock);
  const nld = openBenchHome(nldPath, clock);
  for (const [home, code] of [[deu, 'DEU'], [nld, 'NLD']] as const) await home.services.mesh.init({ mesh: code, algorithm: 'Ed25519', encryptKeys: false });
  await deu.services.credentials.enrol({ role: 'device', id: DEVICE, algorithm: 'Ed25519' });

  const declaration = declarationOf(deu.services, nld.services);
  const { id } = await deu.services.federations.propose(declaration);
  await nld.services.federations.import(JSON.stringify(deu.services.federations.export(id)));
  await nld.services.federations.sign(id);
  await deu.services.federations.import(JSON.stringify(nld.services.federations.export(id)));
  await nld.services.federations.import(JSON.stringify(deu.services.federations.export(id)));

  for (const home of [deu, nld]) await home.services.credentials.enrol({ role: 'boundary-agent', id: AGENT, algorithm: 'Ed25519' });
  for (const [home, partner] of [[deu, nld], [nld, deu]] as const) {
    const { pem } = await home.services.agents.request({ agent: AGENT, federation: id });
    const issued = await partner.services.agents.certify({ requestPem: pem, federation: id });
    await home.services.agents.install({ certificatePem: issued.pem });
  }
  for (const [home, code] of [[deu, 'DEU'], [nld, 'NLD']] as const) {
    for (const statement of demoMarkingStatements(code)) {
      await home.services.taxonomy.attest({ federation: id, vocabulary: 'markings', term: statement.term, relation: statement.relation, pivotTerm: statement.pivot });
    }
  }
  return { federation: id, deu, nld };
}

/**
 * Mints `count` observations by DEU's device and stores them in DEU; `onRecords` sees each
 * chunk (the PouchDB baseline carries the same records). Returns the signed bytes stored.
 */
export async function storeObservations(deu: BenchHome, count: number, attestation: 'signature' | 'batch', onRecords?: (records: readonly GovernedObservation[]) => void): Promise<void> {
  const certificate = readPrincipal(deu.db, 'device', DEVICE)!.certificateSha256;
  const key = await deu.services.context.writing().keyring.key(certificate);
  const mesh = readMesh(deu.db)!;
  // Made after the device's certificate starts, a millisecond apart within each thousand.
  const t0 = Date.now() + 1_000;
  for (let from = 0; from < count; from += STORE_CHUNK) {
    const unsigned = Array.from({ length: Math.min(STORE_CHUNK, count - from) }, (_, i) => recordFor(mesh.anchorSha256, mesh.issuerSha256, certificate, from + i, t0));
    const signed: GovernedObservation[] = [];
    if (attestation === 'signature') for (const record of unsigned) signed.push(signObservation(record, key));
    else for (let i = 0; i < unsigned.length; i += 1000) signed.push(...signBatch(unsigned.slice(i, i + 1000), key));
    onRecords?.(signed);
    const storedAt = new Date(t0 + 1_000);
    deu.db.transaction(() => appendObservations(deu.db, signed.map((record) => observationRow(record, observationId(record), storedAt))))();
  }
  // The records' times must be past before a receiver admits them.
  const wait = t0 + 1_000 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** A copy of a closed home's file (WAL folded in first), for one import from a fresh state. */
export function copyHome(home: BenchHome, to: string): void {
  home.db.pragma('wal_checkpoint(TRUNCATE)');
  copyFileSync(home.path, to);
}

function declarationOf(deu: Services, nld: Services): Declaration {
  // Valid from the start of yesterday (records made now fall inside), for thirty days.
  const start = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000);
  return {
    type: 'entente.federation/v1',
    id: 'bench-crossing',
    version: 1,
    purpose: 'Bench: the crossing by bundle',
    partners: [
      { mesh: 'DEU', card: deu.mesh.card(), releaseAuthority: 'DEU national release authority' },
      { mesh: 'NLD', card: nld.mesh.card(), releaseAuthority: 'NLD national release authority' },
    ],
    scope: [
      { from: 'DEU', to: 'NLD', classes: ['track', 'incident'], ceiling: { policy: 'NATO', classification: 'SECRET' }, caveats: ['EXERCISE ONLY'], onwardRelease: 'permitted' },
      { from: 'NLD', to: 'DEU', classes: ['track', 'incident'], ceiling: { policy: 'NATO', classification: 'SECRET' }, caveats: ['EXERCISE ONLY'], onwardRelease: 'permitted' },
    ],
    validity: { start: start.toISOString(), expires: new Date(start.getTime() + 30 * 86_400_000).toISOString() },
    arbitration: { policy: 'originator-wins', divergenceThreshold: 0.2 },
    resynchronisation: { priority: ['incident', 'track'], backlogLimit: 10_000, maxAgeSeconds: 21_600 },
    silenceToleranceSeconds: 300,
    disconnectionWindows: [],
    exit: [
      { class: 'track', action: 'purge', derived: 'purge' },
      { class: 'incident', action: 'retain', handling: 'national archive, NATO SECRET', derived: 'retain' },
    ],
  } as unknown as Declaration;
}

function recordFor(anchor: string, issuer: string, certificate: string, n: number, t0: number): UnsignedObservation {
  const wall = t0 + (n % 1000);
  return {
    v: 1,
    mesh: 'DEU',
    subject: `track:${n % 500}`,
    class: 'track',
    payload: { lat: 52.1 + n / 1e7, lon: 5.2, alt: 1200, speed: 41.5, heading: 270, sidc: 'SHAPMFQ--------', n },
    // DEU's own policy (the demo policy mesh init gives it): GEHEIM, releasable to DEU and NLD.
    label: { kind: 'originator', policy: { id: 'DEU' }, classification: 'GEHEIM', categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU', 'NLD'] }], createdAt: new Date(t0 - 1_000).toISOString() },
    time: { reference: 'local', wall: new Date(wall).toISOString(), hlc: { l: wall, c: 0 } },
    authority: { anchor, issuer },
    device: { id: DEVICE, certificate },
    lineage: { device: DEVICE, sources: [], derivation: null },
  } as UnsignedObservation;
}
