/**
 * Meshes joined for a crossing, on real homes: an active federation every partner signed (every
 * ordered pair may exchange tracks and incidents up to NATO SECRET unless the test says
 * otherwise), a boundary agent per mesh cross-certified by every partner through PKCS#10
 * requests, and each mesh's demo marking equivalences attested for the federation. What the
 * crossing tests start from, built only through the services a user's commands call.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import type { ExportReport } from '../app/crossing/export.js';
import type { ImportReport } from '../app/crossing/import.js';
import { observationRow } from '../app/observations/observation-service.js';
import { canonicalize } from '../canonical/jcs.js';
import { readStrictJson } from '../canonical/strict-json.js';
import type { Declaration, ScopeRule } from '../federation/declaration.js';
import { declarationFor, FEDERATION_START, type TestMesh } from '../federation/test-fixtures.js';
import { observationId, signBatch, type GovernedObservation, type UnsignedObservation } from '../observation/index.js';
import { readPrincipal } from '../store/mesh-store.js';
import { appendObservations } from '../store/observation-store.js';
import { demoMarkingStatements } from '../taxonomy/demo-markings.js';
import { makeTempDir } from './temp-dir.js';
import type { TestHome, TestHomeOptions } from './test-homes.js';

export const AGENT = 'gw-1';

export interface Federated {
  readonly id: string;
  readonly homes: readonly TestHome[];
}

export interface FederateOptions {
  readonly scope?: (from: string, to: string) => Omit<ScopeRule, 'from' | 'to'> | null;
  readonly overrides?: Partial<Declaration>;
  /** Leave out the agents' cross-certification (tests of the agents' own refusals). */
  readonly agents?: boolean;
  /** Leave out the marking attestations (tests of translation loss). */
  readonly attest?: boolean;
  /** Leave out these terms' attestations only, `MESH:term` (a mesh that cannot place a partner's level). */
  readonly unattested?: readonly string[];
}

export const DEFAULT_RULE: Omit<ScopeRule, 'from' | 'to'> = { classes: ['track', 'incident'], ceiling: { policy: 'NATO', classification: 'SECRET' }, caveats: ['EXERCISE ONLY'], onwardRelease: 'permitted' };

export async function federate(open: (code: string, options?: TestHomeOptions) => Promise<TestHome>, codes: readonly string[], options: FederateOptions = {}): Promise<Federated> {
  const homes: TestHome[] = [];
  for (const code of codes) homes.push(await open(code));
  return joinFederation(homes, options);
}

/**
 * As `federate`, on homes that exist already (a second federation, or a new version of one):
 * the agent gw-1 is enrolled only where it is not yet, and certified afresh for this federation.
 */
export async function joinFederation(homes: readonly TestHome[], options: FederateOptions = {}): Promise<Federated> {
  const codes = homes.map((h) => h.code);
  const meshes = homes.map((h) => ({ code: h.code, card: h.mesh.card() }) as unknown as TestMesh);
  const scope: ScopeRule[] = [];
  for (const from of codes) for (const to of codes) {
    if (from === to) continue;
    const rule = options.scope ? options.scope(from, to) : DEFAULT_RULE;
    if (rule) scope.push({ from, to, ...rule });
  }
  const declaration = declarationFor(meshes, { scope, ...options.overrides }, FEDERATION_START);
  const { id } = await homes[0]!.federations.propose(declaration);
  const carry = (from: TestHome, to: TestHome) => to.federations.import(JSON.stringify(from.federations.export(id)));
  for (const h of homes.slice(1)) {
    await carry(homes[0]!, h);
    await h.federations.sign(id);
    await carry(h, homes[0]!);
  }
  for (const h of homes.slice(1)) await carry(homes[0]!, h);

  await readyToCross(homes, id, options);
  return { id, homes: [...homes] };
}

/**
 * Makes homes already in an active federation ready to cross under it: the agent gw-1 enrolled
 * where it is not yet and certified by every partner for this federation, and each mesh's demo
 * marking equivalences attested.
 */
export async function readyToCross(homes: readonly TestHome[], id: string, options: Pick<FederateOptions, 'agents' | 'attest' | 'unattested'> = {}): Promise<void> {
  if (options.agents ?? true) {
    for (const h of homes) {
      if (!h.credentials.principals(['boundary-agent']).some((p) => p.id === AGENT)) await h.credentials.enrol({ role: 'boundary-agent', id: AGENT, algorithm: 'Ed25519' });
    }
    for (const h of homes) {
      for (const partner of homes) {
        if (partner === h) continue;
        const { pem } = await h.agents.request({ agent: AGENT, federation: id });
        const issued = await partner.agents.certify({ requestPem: pem, federation: id });
        await h.agents.install({ certificatePem: issued.pem });
      }
    }
  }
  if (options.attest ?? true) {
    for (const h of homes) {
      for (const statement of demoMarkingStatements(h.code)) {
        if (options.unattested?.includes(`${h.code}:${statement.term}`)) continue;
        await h.taxonomy.attest({ federation: id, vocabulary: 'markings', term: statement.term, relation: statement.relation, pivotTerm: statement.pivot });
      }
    }
  }
}

/** Writes the bundle `entente bundle export` would: what the federation lets `from` send `to`. */
export async function exportTo(from: TestHome, to: string, file: string, federation?: string): Promise<ExportReport> {
  const sink = createWriteStream(file);
  const report = await from.crossing.exportBundle({ to, ...(federation ? { federation } : {}) }, sink);
  sink.end();
  await once(sink, 'finish');
  return report;
}

/** Imports a bundle file as `entente bundle import` does. */
export function importFile(to: TestHome, file: string): Promise<ImportReport> {
  return to.crossing.importBundle({ name: file, open: () => createReadStream(file) });
}

/** Carries what `from` may send `to` across in a bundle, through a file in a temporary folder: the export's and the import's reports. */
export async function crossBundle(from: TestHome, to: TestHome): Promise<{ exported: ExportReport; imported: ImportReport }> {
  const dir = makeTempDir('entente-cross-');
  try {
    const file = dir.file(`${from.code}-${to.code}.bundle`);
    const exported = await exportTo(from, to.code, file);
    return { exported, imported: await importFile(to, file) };
  } finally {
    dir.remove();
  }
}

/** A label in the mesh's own national policy (the demo policies: DEU, NLD, FRA, GBR, USA, POL). */
export function nationalLabel(policy: string, classification: string, releasableTo?: readonly string[]): string {
  return canonicalize({
    kind: 'originator',
    policy: { id: policy },
    classification,
    categories: releasableTo ? [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: [...releasableTo].sort() }] : [],
    createdAt: FEDERATION_START.toISOString(),
  });
}

/** Records one batch attestation covers here: well under the format's bound, so the proofs stay short. */
const PUBLISH_BATCH = 1_000;

/**
 * `count` tracks of `h`'s sensor-1 under `label`, fast enough for tests that need thousands (a
 * sync of more than one `items` frame): one observed through the service, the rest copies of it
 * under subjects `track:<tag>-<n>`, batch-attested (core/observation/batch.ts: real signed
 * records, one signature per thousand) and stored in one transaction; any sync scope already
 * built is rebuilt, as the store paths would have kept it. Their ids, the observed one first.
 */
export async function publishMany(h: TestHome, count: number, tag: string, label: string): Promise<string[]> {
  const first = await h.observations.observe({ device: 'sensor-1', class: 'track', subject: `track:${tag}-0`, labelText: label, payloadText: '{"lat":54.1,"lon":12.2}', derivedFrom: [], derivation: null });
  const stored = readStrictJson(h.db.prepare('SELECT record FROM observations WHERE id = ?').pluck().get(first.id) as string) as unknown as GovernedObservation;
  const { integrity: _signature, ...lineage } = stored.lineage;
  const key = await h.context.writing().keyring.key(readPrincipal(h.db, 'device', 'sensor-1')!.certificateSha256);
  const copies = Array.from({ length: count - 1 }, (_, i) => ({ ...stored, subject: `track:${tag}-${i + 1}`, lineage }) as UnsignedObservation);
  const records: GovernedObservation[] = [];
  for (let i = 0; i < copies.length; i += PUBLISH_BATCH) records.push(...signBatch(copies.slice(i, i + PUBLISH_BATCH), key));
  const now = new Date();
  h.db.transaction(() => appendObservations(h.db, records.map((r) => observationRow(r, observationId(r), now))))();
  for (const scope of h.syncIndex.scopes()) {
    const at = scope.lastIndexOf(':');
    h.syncIndex.rebuild(scope.slice(0, at), scope.slice(at + 1));
  }
  return [first.id, ...records.map((r) => observationId(r))];
}
