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
import { canonicalize } from '../canonical/jcs.js';
import type { Declaration, ScopeRule } from '../federation/declaration.js';
import { declarationFor, FEDERATION_START, type TestMesh } from '../federation/test-fixtures.js';
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
export async function readyToCross(homes: readonly TestHome[], id: string, options: Pick<FederateOptions, 'agents' | 'attest'> = {}): Promise<void> {
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
