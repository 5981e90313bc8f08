/**
 * The coalition exercise, run once into a temporary folder and then read back through each
 * home's own services, as the console would: three meshes in two federations (the mission one
 * exited), a queue with an open divergence and a decided one whose decision is on both sides, DEU
 * terms in quarantine, FRA's compromised USV tainted at GBR, the TOP SECRET assessment kept home,
 * lineage three meshes deep, a live link's convergence record, DEU's fast clock measured; every
 * log still verifies. Then the refusals: a folder that holds data, and a killed run's leftovers.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../app/services.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { refusal } from '../test-support/test-homes.js';
import { DEMO_PASSPHRASE, runDemo, type DemoSummary } from './demo.js';
import { DEMO_MARKER, MARKER_TYPE, prepareDemoFolder } from './demo-folder.js';
import { MAIN_FEDERATION, MISSION_FEDERATION } from './coalition.js';

let dir: TempDir;
let summary: DemoSummary;
const lines: string[] = [];
const open: Workspace[] = [];
const homes: Record<'GBR' | 'FRA' | 'DEU', Services> = {} as never;

beforeAll(async () => {
  dir = makeTempDir('entente-demo-');
  summary = await runDemo(dir.file('exercise'), { onStep: (line) => lines.push(line) });
  for (const [code, folder] of [['GBR', ''], ['FRA', 'partners/fra'], ['DEU', 'partners/deu']] as const) {
    const workspace = openWorkspace(join(dir.file('exercise'), folder));
    open.push(workspace);
    homes[code] = createServices(workspace, { passphrase: DEMO_PASSPHRASE });
  }
}, 240_000);

afterAll(() => {
  for (const w of open.splice(0)) w.close();
  dir?.remove();
});

describe('the coalition exercise', () => {
  it('builds three meshes, each its own PKI, in two federations, the mission one exited', async () => {
    expect(Object.values(homes).map((h) => h.mesh.require().mesh.code)).toEqual(['GBR', 'FRA', 'DEU']);
    const anchors = new Set(Object.values(homes).map((h) => h.mesh.identity().mesh!.trustAnchorSha256));
    expect(anchors.size).toBe(3);
    const states = (h: Services) => Object.fromEntries(h.federations.summaries().map((f) => [f.id, f.state]));
    expect(states(homes.GBR)).toEqual({ [MAIN_FEDERATION]: 'active', [MISSION_FEDERATION]: 'exited' });
    expect(states(homes.FRA)).toEqual({ [MAIN_FEDERATION]: 'active', [MISSION_FEDERATION]: 'exited' });
    expect(states(homes.DEU)).toEqual({ [MAIN_FEDERATION]: 'active' });
    // Cross-certified agents: each home holds a certificate from each partner for the standing federation.
    expect(homes.GBR.boundary.credentials().filter((c) => c.holder === 'ours' && c.federation === MAIN_FEDERATION).map((c) => c.partner).sort()).toEqual(['DEU', 'FRA']);
    // The exit purged the incidents that had crossed: each side keeps its own only, a tombstone for the other's.
    const fraIncident = (await homes.FRA.observations.page({ subject: 'incident:harbour-sweep:2', limit: 1 })).observations[0]!.id;
    expect(homes.GBR.integrity.isPurged(fraIncident)).toBe(true);
    expect(await homes.GBR.observations.detail(fraIncident)).toBeUndefined();
    const gbrIncident = (await homes.GBR.observations.page({ subject: 'incident:harbour-sweep:1', limit: 1 })).observations[0]!.id;
    expect(homes.FRA.integrity.isPurged(gbrIncident)).toBe(true);
    expect(summary.homes.map((h) => h.mesh)).toEqual(['GBR', 'FRA', 'DEU']);
    expect(summary.console).toBe(dir.file('exercise'));
    expect(lines.length).toBeGreaterThan(15);
  });

  it('leaves a queue with an open divergence, and a decided one whose decision crossed to FRA and converged', async () => {
    const queue = homes.GBR.reconcile.queue();
    expect(queue.open).toBeGreaterThanOrEqual(1);
    expect(queue.items.some((i) => i.kind === 'divergence' && i.status === 'open')).toBe(true);
    const decided = homes.GBR.reconcile.queue({ all: true }).items.find((i) => i.status === 'decided')!;
    expect(decided).toBeDefined();
    const atFra = homes.FRA.reconcile.item(decided.id);
    expect(atFra).toMatchObject({ status: 'decided', decision: decided.decision });
    const k17 = (h: Services) => h.reconcile.picture({ subject: 'contact:K-17' }).items[0]!;
    expect(k17(homes.GBR)).toMatchObject({ state: 'merged', fields: expect.arrayContaining([expect.objectContaining({ field: 'identity', value: 'neutral', mesh: 'FRA' })]) });
    expect(k17(homes.FRA).digest).toBe(k17(homes.GBR).digest);
    // The decision is an observation of class decision, held on both sides under the same id.
    expect(await homes.FRA.observations.detail(decided.decision!)).toBeDefined();
  });

  it('holds DEU’s unmapped term and NATO CONFIDENTIAL in quarantine, records translation loss and taint', () => {
    const quarantined = homes.GBR.crossing.quarantine();
    expect(quarantined.length).toBeGreaterThanOrEqual(1);
    const missing = quarantined.flatMap((q) => q.missing.map((m) => `${m.vocabulary}:${m.term}`));
    expect(missing).toEqual(expect.arrayContaining(['unit-types:Seefernaufklärer', 'markings:VS-VERTRAULICH']));
    expect(homes.GBR.integrity.list({ kind: 'translation-loss', limit: 10 }).total).toBeGreaterThanOrEqual(1);
    const taint = homes.GBR.integrity.list({ kind: 'taint', limit: 10 });
    expect(taint.total).toBeGreaterThanOrEqual(1);
    expect(taint.events[0]).toMatchObject({ partner: 'FRA' });
  });

  it('keeps the TOP SECRET assessment at GBR: above the ceiling, never crossed', async () => {
    const page = await homes.GBR.observations.page({ subject: 'assessment:GBR:K-17:source', limit: 5 });
    expect(page.observations).toHaveLength(1);
    const id = page.observations[0]!.id;
    expect(await homes.FRA.observations.detail(id)).toBeUndefined();
    expect(await homes.DEU.observations.detail(id)).toBeUndefined();
  });

  it('carries lineage three meshes deep: DEU on FRA on GBR', async () => {
    const page = await homes.GBR.observations.page({ subject: 'assessment:coalition:K-21:deu', limit: 5 });
    expect(page.observations).toHaveLength(1);
    const lineage = homes.GBR.provenance.lineage(page.observations[0]!.id);
    const held = lineage.nodes.filter((n) => n.found === 'held');
    expect(new Set(held.map((n) => n.mesh))).toEqual(new Set(['DEU', 'FRA', 'GBR']));
    // Depth: the DEU confirmation → FRA fusion → GBR assessment → GBR detections.
    const byId = new Map(lineage.nodes.map((n) => [n.id, n]));
    const depth = (id: string): number => 1 + Math.max(0, ...(byId.get(id)?.sources ?? []).map(depth));
    expect(depth(page.observations[0]!.id)).toBeGreaterThanOrEqual(3);
  });

  it('keeps the live link’s convergence record, and measures DEU’s clock about four minutes fast', () => {
    expect(homes.GBR.links.latestConvergence('FRA', MAIN_FEDERATION)).toMatchObject({ converged: true });
    expect(homes.FRA.links.latestConvergence('GBR', MAIN_FEDERATION)).toMatchObject({ converged: true });
    // GBR bounds DEU from below by its bundles (one-way: written, then admitted); DEU, the link's
    // client, bounds GBR on both sides by the round trips: four minutes, give or take the loopback.
    const [deu] = homes.GBR.time.offsets('DEU');
    expect(deu!.interval.lo).toBeGreaterThan(3.9 * 60_000);
    const [gbr] = homes.DEU.time.offsets('GBR');
    // The sample from before EMCON (clocks agreeing) and the link's now do not meet: DEU's clock
    // moved more than the declared drift bound while it was dark, and the interval is the newest.
    expect(Object.values(gbr!.contradiction!).some((key) => key.startsWith('link:'))).toBe(true);
    expect(gbr!.interval.hi).toBeLessThan(-3.9 * 60_000);
    expect(gbr!.interval.lo).toBeGreaterThan(-4.1 * 60_000);
  });

  it('leaves every log verifying, and every observation but the compromised USV’s', async () => {
    for (const h of Object.values(homes)) expect(h.audit.verify().failures).toEqual([]);
    const report = await homes.GBR.observations.verifyAll();
    // What fra-usv-1 signed after its stated compromise no longer verifies: exactly what was tainted.
    const tainted = homes.GBR.integrity.list({ kind: 'taint', limit: 10 }).events[0]!.evidence as { tainted: number };
    expect(report.failures.length).toBe(tainted.tainted);
    for (const failure of report.failures) {
      expect(failure.reason).toBe('revoked');
      expect((await homes.GBR.observations.show(failure.id!)).standing).toMatchObject({ standing: 'tainted', cause: 'compromised-credential' });
    }
    expect((await homes.FRA.observations.verifyAll()).failures.every((f) => f.reason === 'revoked')).toBe(true);
  });

  it('refuses a folder that already holds data, changing nothing', async () => {
    const target = dir.file('exercise');
    const before = readdirSync(target).map((f) => `${f}:${statSync(join(target, f)).mtimeMs}`).sort();
    expect(await refusal(() => runDemo(target))).toBe('home-not-empty');
    expect(readdirSync(target).map((f) => `${f}:${statSync(join(target, f)).mtimeMs}`).sort()).toEqual(before);
    expect(existsSync(`${target}.demo-partial`)).toBe(false);
  });
});

describe('the demo folder', () => {
  it('recovers a killed run’s marked staging folder, and refuses one it did not make', () => {
    const tmp = makeTempDir('entente-demo-folder-');
    try {
      const target = tmp.file('home');
      mkdirSync(`${target}.demo-partial/partners/fra`, { recursive: true });
      writeFileSync(`${target}.demo-partial/${DEMO_MARKER}`, JSON.stringify({ type: MARKER_TYPE, state: 'building' }));
      writeFileSync(`${target}.demo-partial/entente.db`, 'half-written');
      const folder = prepareDemoFolder(target);
      expect(folder.recovered).toBe(true);
      expect(readdirSync(folder.staging)).toEqual([DEMO_MARKER]);
      folder.finish({ ok: true });
      expect(readdirSync(target)).toEqual([DEMO_MARKER]);
      expect(existsSync(folder.staging)).toBe(false);

      const other = tmp.file('other');
      mkdirSync(`${other}.demo-partial`);
      writeFileSync(`${other}.demo-partial/notes.txt`, 'mine');
      expect(() => prepareDemoFolder(other)).toThrow(expect.objectContaining({ reason: 'staging-in-use' }));
      // An empty target folder is fine (npm start's data directory may exist already).
      mkdirSync(tmp.file('empty'));
      expect(prepareDemoFolder(tmp.file('empty')).recovered).toBe(false);
    } finally {
      tmp.remove();
    }
  });
});
