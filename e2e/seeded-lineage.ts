/**
 * A deep lineage for the graph's size test: one root observation and 99 layers of 50, each
 * derived from two of the layer above (4,951 signed observations), written through the core's
 * own signing and store functions in this process — the CLI records one per process, which
 * would take minutes here. The records are real: signed by an enrolled device, ids their hashes.
 */
import { observationRow } from '../core/app/observations/observation-service.js';
import { createServices } from '../core/app/services.js';
import { observationId, signObservation, type GovernedObservation, type UnsignedObservation } from '../core/observation/index.js';
import { readMesh, readPrincipal } from '../core/store/mesh-store.js';
import { appendObservations } from '../core/store/observation-store.js';
import { openWorkspace } from '../core/workspace/workspace.js';

export const LAYERS = 99;
export const WIDTH = 50;

export interface SeededLineage {
  readonly root: string;
  /** The last layer's first observation. */
  readonly deepest: string;
  readonly count: number;
}

export async function seedDeepLineage(home: string): Promise<SeededLineage> {
  const workspace = openWorkspace(home);
  try {
    const { mesh, credentials, context } = createServices(workspace);
    await mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: false });
    await credentials.enrol({ role: 'device', id: 'fusion-1', algorithm: 'Ed25519' });
    const db = workspace.db;
    const certificate = readPrincipal(db, 'device', 'fusion-1')!.certificateSha256;
    const key = await context.writing().keyring.key(certificate);
    const own = readMesh(db)!;
    const start = Date.now();
    let n = 0;
    const make = (subject: string, sources: string[]): GovernedObservation => {
      const wall = start + n++;
      const unsigned: UnsignedObservation = {
        v: 1,
        mesh: own.code,
        subject,
        class: 'track',
        payload: { lat: 54 + n / 1e5, lon: 12.2 },
        label: { kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [], createdAt: '2026-11-23T08:00:00Z' },
        time: { reference: 'local', wall: new Date(wall).toISOString(), hlc: { l: wall, c: 0 } },
        authority: { anchor: own.anchorSha256, issuer: own.issuerSha256 },
        device: { id: 'fusion-1', certificate },
        lineage: { device: 'fusion-1', sources: [...sources].sort(), derivation: sources.length > 0 ? { name: 'fuse-tracks', version: '1.0' } : null },
      };
      return signObservation(unsigned, key);
    };
    const root = make('track:root', []);
    const records = [root];
    let above = [observationId(root)];
    for (let layer = 1; layer <= LAYERS; layer++) {
      const here: string[] = [];
      for (let i = 0; i < WIDTH; i++) {
        const sources = above.length === 1 ? [above[0]!] : [above[i]!, above[(i + 1) % WIDTH]!];
        const record = make(`track:${layer}-${i}`, sources);
        records.push(record);
        here.push(observationId(record));
      }
      above = here;
    }
    const rows = records.map((r) => observationRow(r, observationId(r), new Date(Date.parse(r.time.wall) + 1_000)));
    db.transaction(() => appendObservations(db, rows))();
    return { root: observationId(root), deepest: above[0]!, count: records.length };
  } finally {
    workspace.close();
  }
}
