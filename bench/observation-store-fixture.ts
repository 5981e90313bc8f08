/**
 * A real store for the verification benches: a mesh, a device that signs, a revoked device (so
 * every check consults a CRL), and N observations of 300-odd bytes of payload and label.
 */
import { observationRow } from '../core/app/observations/observation-service.js';
import { createServices } from '../core/app/services.js';
import { observationId, signBatch, signObservation, type GovernedObservation, type UnsignedObservation } from '../core/observation/index.js';
import { openDatabase, type ReadDb, type WriteDb } from '../core/store/database.js';
import { readPrincipal, readMesh } from '../core/store/mesh-store.js';
import { appendObservations } from '../core/store/observation-store.js';

export async function buildObservationStore(path: string, count: number, attestation: 'signature' | 'batch'): Promise<void> {
  const db = openDatabase(path);
  try {
    appendObservations(db, (await mintObservations(db, count, attestation)).map(rowOf));
  } finally {
    db.close();
  }
}

/**
 * Gives the empty store at `db` its mesh and devices, and returns N observations signed by the
 * device, not yet stored: the records other benches carry (a bundle, a PouchDB baseline).
 */
export async function mintObservations(db: WriteDb, count: number, attestation: 'signature' | 'batch'): Promise<GovernedObservation[]> {
  const { mesh, credentials, context } = createServices(db);
  await mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: false });
  await credentials.enrol({ role: 'device', id: 'uav-7', algorithm: 'Ed25519' });
  await credentials.enrol({ role: 'device', id: 'lost-1', algorithm: 'Ed25519' });
  await credentials.revoke({ role: 'device', id: 'lost-1' });
  const certificate = readPrincipal(db, 'device', 'uav-7')!.certificateSha256;
  const key = await context.writing().keyring.key(certificate);
  const unsigned = Array.from({ length: count }, (_, n) => recordFor(db, certificate, n));
  return attestation === 'signature'
    ? unsigned.map((r) => signObservation(r, key))
    : chunks(unsigned, 1000).flatMap((batch) => signBatch(batch, key));
}

function recordFor(db: ReadDb, certificate: string, n: number): UnsignedObservation {
  const mesh = readMesh(db)!;
  // After the device was enrolled (its certificate starts now), one millisecond apart.
  const wall = Date.now() + n;
  return {
    v: 1,
    mesh: mesh.code,
    subject: `track:${n % 500}`,
    class: 'track',
    payload: { lat: 52.1 + n / 1e6, lon: 5.2, alt: 1200, speed: 41.5, heading: 270, sidc: 'SHAPMFQ--------' },
    label: { kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU', 'NLD'] }], createdAt: '2026-11-23T08:00:00Z' },
    time: { reference: 'local', wall: new Date(wall).toISOString(), hlc: { l: wall, c: 0 } },
    authority: { anchor: mesh.anchorSha256, issuer: mesh.issuerSha256 },
    device: { id: 'uav-7', certificate },
    lineage: { device: 'uav-7', sources: [], derivation: null },
  };
}

/** Admitted a second after it was made, so the device's certificate was valid at both moments. */
export function rowOf(record: GovernedObservation) {
  return observationRow(record, observationId(record), new Date(Date.parse(record.time.wall) + 1_000));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
