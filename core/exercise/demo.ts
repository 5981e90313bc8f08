/**
 * `entente demo`: the coalition exercise NORTHERN WATCH, built through the real pipeline — every
 * row is written by the app services a user's commands call, nothing around them. Three national
 * meshes, each with its own PKI, markings and vocabularies; cross-certified boundary agents; a
 * signed three-way federation; platforms publishing tracks, detections and assessments; DEU's
 * six-hour EMCON with its clock four minutes fast, its backlog then carried by bundle; a genuine
 * disagreement about contact K-17 queued and decided by a GBR operator, the decision crossing and
 * converging; an over-release attempt at the translation seam withheld; DEU terms with no mapping
 * in quarantine; a compromised FRA USV whose observations are tainted; lineage across all three
 * meshes; a mission federation that expires with its exit run. Bundles and a live link (TLS on
 * the loopback, in this process) carry it.
 *
 * Time: the exercise happens in the recent past — it starts about eight and a half hours ago and
 * ends a few minutes ago — on each home's injected workstation clock (the services' seam for it),
 * so the trusted clocks, HLCs and certificates are all the pipeline's own.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LinkServer } from '../app/links/service.js';
import { createServices, type Services } from '../app/services.js';
import { demoMarkingStatements } from '../taxonomy/demo-markings.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';
import { AGENT, AREA, CONTACTS, DEU_MPA_DEVICE, MAIN_FEDERATION, MESHES, MISSION_FEDERATION, SIDC, type CoalitionMesh } from './coalition.js';
import { mainDeclaration, missionDeclaration, type Partner } from './declarations.js';
import { prepareDemoFolder } from './demo-folder.js';
import { rounded } from './geo.js';
import { originatorLabel, publisher, type Publisher } from './publish.js';
import { createTrackGenerator, type Emission } from './tracks.js';

/**
 * The passphrase every key of the demo homes is encrypted under. Published on purpose: this is a
 * demo, and anyone with the folder may sign as its meshes. Never use it for real data.
 */
export const DEMO_PASSPHRASE = 'northern-watch-demo';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The exercise's length, from its first step to its last. */
const LENGTH = 8 * HOUR + 30 * MINUTE;
/** DEU's clock once its time source is lost in EMCON: four minutes fast. */
const DEU_SKEW = 4 * MINUTE;

export interface DemoOptions {
  /** One line per step, as it goes. */
  readonly onStep?: (line: string) => void;
  /** The real now the exercise ends just before (tests); the system clock otherwise. */
  readonly now?: Date;
}

export interface DemoHomeSummary {
  readonly mesh: string;
  readonly home: string;
  readonly observations: number;
  readonly queueOpen: number;
  readonly quarantined: number;
  readonly integrityEvents: number;
}

export interface DemoSummary {
  readonly exercise: string;
  /** The home the console opens (GBR's), and the partners' homes beside it. */
  readonly console: string;
  readonly homes: readonly DemoHomeSummary[];
  readonly federations: readonly { readonly id: string; readonly state: string }[];
  readonly passphrase: string;
  readonly start: string;
  readonly end: string;
  readonly recovered: boolean;
  readonly steps: number;
  readonly seconds: number;
}

interface Home {
  readonly mesh: CoalitionMesh;
  readonly dir: string;
  readonly workspace: Workspace;
  readonly services: Services;
  readonly out: Publisher;
  skewMs: number;
}

/** Builds the exercise into `dir` (new or empty), GBR's home there and the partners' under partners/. */
export async function runDemo(dir: string, options: DemoOptions = {}): Promise<DemoSummary> {
  const started = Date.now();
  const folder = prepareDemoFolder(dir);
  let steps = 0;
  const say = (line: string) => {
    steps += 1;
    options.onStep?.(line);
  };
  if (folder.recovered) say(`A previous demo stopped before it finished: its partial build ${folder.staging} was removed; building again.`);

  const realNow = (options.now ?? new Date()).getTime();
  const start = Math.floor((realNow - LENGTH - 5 * MINUTE) / MINUTE) * MINUTE;
  // The scenario's time runs on with the real one between the steps that move it forward.
  let scenario = start;
  let setAt = Date.now();
  const scenarioNow = () => scenario + (Date.now() - setAt);
  const at = (offset: number) => new Date(start + offset);
  const advanceTo = (offset: number) => {
    scenario = Math.max(scenarioNow(), start + offset);
    setAt = Date.now();
  };

  const homes: Home[] = [];
  const servers: LinkServer[] = [];
  try {
    for (const mesh of MESHES) {
      const home = join(folder.staging, mesh.folder);
      const workspace = openWorkspace(home);
      const entry: Partial<Home> & { skewMs: number } = { skewMs: 0 };
      const services = createServices(workspace, { passphrase: DEMO_PASSPHRASE, clock: () => new Date(scenarioNow() + entry.skewMs) });
      const level = mesh.level;
      const h = Object.assign(entry, { mesh, dir: home, workspace, services, out: publisher(services, (e: Emission) => originatorLabel(mesh.code, level, e.at)) }) as Home;
      homes.push(h);
    }
    const [gbr, fra, deu] = homes as [Home, Home, Home];

    // 1. Three meshes, each its own root CA, label policy, vocabularies and devices.
    for (const h of homes) {
      await h.services.mesh.init({ mesh: h.mesh.code, displayName: h.mesh.name, algorithm: 'Ed25519', encryptKeys: true });
      await h.services.taxonomy.define({ name: 'unit-types', pivot: 'APP-6', field: 'platform', terms: h.mesh.unitTypes.map((t) => ({ term: t.term, sidc: t.sidc })) });
      await h.services.taxonomy.define({ name: 'event-terms', pivot: 'coalition-incident', field: 'event', terms: h.mesh.events.map((e) => ({ term: e.term })) });
      for (const p of h.mesh.platforms) await h.services.credentials.enrol({ role: 'device', id: p.device, algorithm: 'Ed25519' });
      await h.services.credentials.enrol({ role: 'operator', id: h.mesh.operator, algorithm: 'Ed25519' });
    }
    await deu.services.credentials.enrol({ role: 'device', id: DEU_MPA_DEVICE, algorithm: 'Ed25519' });
    say(`Meshes: ${homes.map((h) => `${h.mesh.code} (${h.mesh.platforms.length} platforms, markings ${h.mesh.level}…)`).join(', ')} — each its own root CA, label policy and vocabularies.`);

    // 2. NORTHERN WATCH, signed by all three.
    advanceTo(5 * MINUTE);
    const emcon = { partner: 'DEU', start: at(1 * HOUR), end: at(7 * HOUR) };
    await federate(homes, mainDeclaration(partnersOf(homes), at(0), emcon));
    say(`Federation ${MAIN_FEDERATION} v1 signed by GBR, FRA and DEU (tracks, assessments, decisions up to NATO SECRET; DEU's EMCON ${emcon.start.toISOString()}–${emcon.end.toISOString()} declared).`);

    // 3. Boundary agents cross-certified, and each mesh's equivalences attested.
    advanceTo(8 * MINUTE);
    await crossCertify(homes, MAIN_FEDERATION);
    for (const h of homes) await attestAll(h, MAIN_FEDERATION);
    say(`Boundary agents cross-certified (${homes.length * (homes.length - 1)} certificates from PKCS#10 requests); markings, unit types (APP-6) and event terms attested by each authority.`);

    // 4. HARBOUR SWEEP, GBR and FRA, for six hours.
    advanceTo(12 * MINUTE);
    const mission = { start: at(20 * MINUTE), expires: at(6 * HOUR + 30 * MINUTE) };
    await federate([gbr, fra], missionDeclaration(partnersOf([gbr, fra]), mission.start, mission.expires));
    // Agents are certified for a federation once it is in force.
    advanceTo(21 * MINUTE);
    await crossCertify([gbr, fra], MISSION_FEDERATION);
    for (const h of [gbr, fra]) await attestAll(h, MISSION_FEDERATION);
    say(`Mission federation ${MISSION_FEDERATION} signed by GBR and FRA (incidents, ${mission.start.toISOString()} to ${mission.expires.toISOString()}; on exit each purges the other's).`);

    // 5. GBR's agent listens on the loopback (TLS 1.3, mutual certificates); FRA syncs to it.
    const server = await gbr.services.links.serve({ port: 0, federation: MAIN_FEDERATION });
    servers.push(server);
    const peer = `127.0.0.1:${server.port}`;
    say(`GBR's boundary agent serves the live link on ${peer}.`);

    const generator = createTrackGenerator({ seed: 'northern-watch', area: AREA, contacts: CONTACTS, platforms: homes.flatMap((h) => h.mesh.platforms.map((p) => ({ ...p, group: h.mesh.code }))) });
    const revoked = new Set<string>();
    /** Each mesh's latest assessment from the generator, for the cross-mesh lineage. */
    const lastAssessment = new Map<string, string>();
    const homeOfDevice = new Map(homes.flatMap((h) => h.mesh.platforms.map((p) => [p.device, h] as const)));
    const publishStep = async (offset: number) => {
      advanceTo(offset);
      let n = 0;
      for (const e of generator.step(at(offset))) {
        const h = homeOfDevice.get(e.device)!;
        if (revoked.has(e.device)) continue; // a revoked platform signs nothing more
        const id = await h.out.publish(e);
        if (e.kind === 'assessment') lastAssessment.set(h.mesh.code, id);
        n += 1;
      }
      return n;
    };
    const sync = async (from: Home, label: string) => {
      const report = await from.services.links.sync({ peer, federation: MAIN_FEDERATION });
      say(`Live link ${from.mesh.code}↔GBR (${label}): ${report.sent} sent, ${report.received} received, ${report.converged ? `converged at ${report.count} items` : `not converged (${report.count} items at ${from.mesh.code}, ${report.peerCount} at GBR: what one side holds in quarantine or refused stays a difference)`}.`);
      return report;
    };
    const bundlesDir = join(folder.staging, 'bundles');
    mkdirSync(bundlesDir, { recursive: true });
    let bundleNumber = 0;
    const carry = async (from: Home, to: Home, federation: string) => {
      const file = join(bundlesDir, `${String(++bundleNumber).padStart(2, '0')}-${from.mesh.code.toLowerCase()}-${to.mesh.code.toLowerCase()}-${federation}.bundle`);
      const sink = createWriteStream(file);
      const exported = await from.services.crossing.exportBundle({ to: to.mesh.code, federation }, sink);
      sink.end();
      await once(sink, 'finish');
      const imported = await to.services.crossing.importBundle({ name: file, open: () => createReadStream(file) });
      await from.services.crossing.importReceipt(JSON.stringify(imported.receipt));
      return { exported, imported };
    };
    const carryAll = async (pairs: readonly [Home, Home][], federation: string, why: string) => {
      const parts: string[] = [];
      for (const [from, to] of pairs) {
        const { exported, imported } = await carry(from, to, federation);
        const c = imported.counts;
        parts.push(`${from.mesh.code}→${to.mesh.code} ${exported.observations} (${c.admitted} admitted${c.quarantined ? `, ${c.quarantined} quarantined` : ''}${c.rejected ? `, ${c.rejected} rejected` : ''}${c.tainted ? `, ${c.tainted} tainted` : ''})`);
      }
      say(`Bundles (${why}): ${parts.join('; ')}.`);
    };

    // 6. The exercise, every half hour, with its events between.
    let published = 0;
    for (let offset = 30 * MINUTE; offset <= 60 * MINUTE; offset += 30 * MINUTE) published += await publishStep(offset);
    say(`Platforms on patrol: ${published} tracks, detections and assessments published by UAS, USVs and a ground sensor.`);
    advanceTo(55 * MINUTE + 30 * MINUTE);
    await sync(fra, 'before EMCON');
    await carryAll([[deu, gbr], [deu, fra], [gbr, deu], [fra, deu]], MAIN_FEDERATION, 'before DEU goes quiet');

    advanceTo(1 * HOUR + 30 * MINUTE);
    deu.skewMs = DEU_SKEW;
    say(`DEU enters its declared EMCON: no link, no bundles for six hours; its task group's clock, without its time source, runs ${DEU_SKEW / MINUTE} minutes fast.`);

    published = 0;
    for (let offset = 90 * MINUTE; offset <= 120 * MINUTE; offset += 30 * MINUTE) published += await publishStep(offset);

    // Incidents under the mission federation, each in its own words.
    advanceTo(2 * HOUR + 5 * MINUTE);
    const k17 = rounded(generator.positionOf('K-17'));
    await observeAs(gbr, 'gbr-usv-1', 'incident', 'incident:harbour-sweep:1', { event: 'Suspicious approach', contact: 'K-17', ...k17, note: 'fast craft closing the Dover approach' });
    await observeAs(fra, 'fra-ugs-1', 'incident', 'incident:harbour-sweep:2', { event: 'Drone non identifié', ...rounded(generator.positionOf('fra-ugs-1')), note: 'petit drone au-dessus du port' });
    await carryAll([[gbr, fra], [fra, gbr]], MISSION_FEDERATION, 'mission incidents');

    // The disagreement: at the same moment GBR's UAS and FRA's UAS identify K-17 differently.
    advanceTo(2 * HOUR + 15 * MINUTE);
    const gbrId = await observeAs(gbr, 'gbr-uas-1', 'track', 'contact:K-17', { ...k17, identity: 'hostile', classifiedAs: 'fast attack craft', sidc: '10163000001202000000' });
    const fraId = await observeAs(fra, 'fra-uas-1', 'track', 'contact:K-17', { ...k17, identity: 'neutral', classifiedAs: 'fishing vessel', sidc: '10143000001401000000' });
    await sync(fra, 'the K-17 reports');
    const item = gbr.services.reconcile.queue().items.find((i) => i.kind === 'divergence');
    say(`K-17: GBR reports a hostile fast attack craft, FRA a neutral fishing vessel — divergence above the 0.3 threshold, held; queue item ${item ? item.id.slice(0, 12) : 'NOT OPENED'}… open at GBR and FRA.`);

    published += await publishStep(150 * MINUTE);
    // FRA's USV is compromised at +2h45 (it goes on publishing, which is the point); revoked at +3h15.
    const compromisedAt = at(2 * HOUR + 45 * MINUTE);
    published += await publishStep(180 * MINUTE);
    await sync(fra, 'routine');
    advanceTo(3 * HOUR + 15 * MINUTE);
    await fra.services.credentials.revoke({ role: 'device', id: 'fra-usv-1', compromisedAt });
    revoked.add('fra-usv-1');
    published += await publishStep(210 * MINUTE);
    await sync(fra, 'FRA\'s new CRL');
    const taint = gbr.services.integrity.list({ kind: 'taint', limit: 1 }).events[0];
    say(`FRA revoked fra-usv-1, compromised since ${compromisedAt.toISOString()} (RFC 5280 invalidity date); its CRL crossed on the link: ${taint ? `GBR tainted ${JSON.stringify(taint.evidence)}` : 'NO taint at GBR'}.`);

    // An over-release attempt at the translation seam: a GBR assessment at TOP SECRET.
    advanceTo(3 * HOUR + 30 * MINUTE);
    const secret = await observeAs(gbr, 'gbr-uas-1', 'assessment', 'assessment:GBR:K-17:source', { contact: 'K-17', assessedAs: 'hostile', source: 'national means', ...k17 }, [gbrId], gbr.mesh.topSecret);
    const overRelease = await sync(fra, 'after the TOP SECRET assessment');
    const leaked = await heldBy(fra, secret);
    say(`GBR's TOP SECRET assessment of K-17 is COSMIC TOP SECRET in the pivot, above the federation's NATO SECRET ceiling: the link left it out (${overRelease.sent} other items sent; FRA holds it: ${leaked ? 'YES' : 'no'}).`);

    // The human decision: GBR's duty officer chooses FRA's identification; it crosses and converges.
    advanceTo(4 * HOUR);
    if (item) {
      const decided = await gbr.services.reconcile.decide({ item: item.id, action: 'choose', choose: fraId, reason: 'Boarding team of FS Pluvier confirms a fishing vessel, no weapons', operator: gbr.mesh.operator });
      await sync(fra, 'the decision');
      const there = fra.services.reconcile.item(item.id);
      const k17At = (h: Home) => h.services.reconcile.picture({ subject: 'contact:K-17' }).items[0]?.digest;
      say(`Decision ${decided.id.slice(0, 12)}… by ${gbr.mesh.operator} (GBR): FRA's identification chosen; it crossed on the link, the item is ${there.status} at FRA and K-17's picture ${k17At(gbr) === k17At(fra) ? 'is the same on both' : 'STILL DIFFERS'}.`);
    }

    published = 0;
    for (let offset = 270 * MINUTE; offset <= 390 * MINUTE; offset += 30 * MINUTE) published += await publishStep(offset);
    await sync(fra, 'routine');
    say(`Patrols go on: ${published} more observations; DEU's are held at home until EMCON ends.`);

    // HARBOUR SWEEP ends at +6h30; its exit runs at the next look at the federations.
    advanceTo(6 * HOUR + 40 * MINUTE);
    for (const h of [gbr, fra]) await h.services.federations.status();
    say(`${MISSION_FEDERATION} expired at ${mission.expires.toISOString()}: GBR and FRA ran its exit (each purged the other's incidents, leaving tombstones).`);

    // DEU is back: the six hours' backlog crosses by bundle, its clock still fast.
    advanceTo(7 * HOUR + 5 * MINUTE);
    await publishStep(420 * MINUTE);
    // A second disagreement, left open for the console: DEU's UAS (its clock 4 min fast, inside the 5 min concurrency window) and GBR's USV on K-21.
    const k21 = rounded(generator.positionOf('K-21'));
    await observeAs(gbr, 'gbr-usv-1', 'track', 'contact:K-21', { ...k21, identity: 'neutral', classifiedAs: 'bulk carrier' });
    await observeAs(deu, 'deu-uas-1', 'track', 'contact:K-21', { ...k21, identity: 'suspect', classifiedAs: 'bulk carrier, AIS switched off' });
    await observeAs(deu, DEU_MPA_DEVICE, 'track', 'track:deu-mpa-1', { platform: 'Seefernaufklärer', kind: 'maritime-patrol-aircraft', ...rounded(generator.positionOf('K-30')), course: 210, speedMps: 110, sidc: SIDC.maritimePatrol });
    await observeAs(deu, 'deu-uas-1', 'track', 'contact:K-30', { ...rounded(generator.positionOf('K-30')), identity: 'unknown', classifiedAs: 'trawler, nets out' }, [], deu.mesh.confidential);
    advanceTo(7 * HOUR + 10 * MINUTE);
    await carryAll([[deu, gbr], [deu, fra], [gbr, deu], [fra, deu]], MAIN_FEDERATION, 'after EMCON');
    say(`K-21: DEU reports a suspect, GBR a neutral bulk carrier — a second divergence, open in the queue (GBR ${gbr.services.reconcile.queue().open} open).`);
    say(`Quarantine: GBR holds ${gbr.services.crossing.quarantineCount()}, FRA ${fra.services.crossing.quarantineCount()} (DEU's "Seefernaufklärer" has no mapping; VS-VERTRAULICH is NATO CONFIDENTIAL, which neither has).`);

    // Lineage across the three meshes: FRA fuses GBR's assessment, DEU builds on FRA's.
    advanceTo(7 * HOUR + 30 * MINUTE);
    const gbrAssessment = lastAssessment.get('GBR') ?? gbrId;
    const fraOwn = lastAssessment.get('FRA');
    const fraFused = await observeAs(fra, 'fra-uas-1', 'assessment', 'assessment:coalition:K-21', { contact: 'K-21', assessedAs: 'neutral', confidence: 0.8, basis: 'GBR assessment and own detections' }, [gbrAssessment, ...(fraOwn ? [fraOwn] : [])], undefined, { name: 'coalition-fusion', version: '1' });
    await sync(fra, 'FRA\'s fused assessment');
    await carryAll([[fra, deu]], MAIN_FEDERATION, 'FRA\'s assessment for DEU');
    advanceTo(7 * HOUR + 50 * MINUTE);
    await observeAs(deu, 'deu-uas-1', 'assessment', 'assessment:coalition:K-21:deu', { contact: 'K-21', assessedAs: 'neutral', confidence: 0.9, basis: 'FRA coalition assessment confirmed by DEU UAS' }, [fraFused], undefined, { name: 'confirmation', version: '1' });
    await carryAll([[deu, gbr], [deu, fra]], MAIN_FEDERATION, 'DEU\'s confirmation');
    say('Lineage: DEU\'s confirmation rests on FRA\'s fusion, which rests on GBR\'s assessment and its detections — three meshes deep.');

    // The last half hour: DEU syncs live too (its clock's offset now measured), and FRA once more.
    published = 0;
    for (let offset = 480 * MINUTE; offset <= LENGTH; offset += 30 * MINUTE) published += await publishStep(offset);
    advanceTo(LENGTH);
    await sync(deu, 'DEU back on the link');
    // The client keeps the round trips' samples: GBR's clock minus DEU's, so DEU's lead is its negation.
    const offset = deu.services.time.offsets('GBR')[0]?.interval;
    const minutes = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? '?' : (ms / MINUTE).toFixed(2));
    say(`DEU's clock, measured on the link (RFC 5905 round trips): ${minutes(offset && -offset.hi)} to ${minutes(offset && -offset.lo)} minutes ahead of GBR's${deu.services.time.offsets('GBR')[0]?.contradiction ? ' (its samples from before EMCON disagree: the clock moved more than the declared drift bound while it was dark)' : ''}.`);
    await sync(fra, 'end of exercise');

    for (const s of servers.splice(0)) await s.close();
    const summaryHomes = await Promise.all(homes.map(async (h): Promise<DemoHomeSummary> => ({
      mesh: h.mesh.code,
      home: join(folder.target, h.mesh.folder),
      observations: (await h.services.observations.page({ limit: 1 })).total,
      queueOpen: h.services.reconcile.queue().open,
      quarantined: h.services.crossing.quarantineCount(),
      integrityEvents: h.services.integrity.list({ limit: 1 }).total,
    })));
    const federations = gbr.services.federations.summaries().map((f) => ({ id: f.id, state: f.state }));
    const summary: DemoSummary = {
      exercise: 'NORTHERN WATCH',
      console: folder.target,
      homes: summaryHomes,
      federations,
      passphrase: DEMO_PASSPHRASE,
      start: at(0).toISOString(),
      end: at(LENGTH).toISOString(),
      recovered: folder.recovered,
      steps: steps + 1,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    for (const h of homes.splice(0)) h.workspace.close();
    folder.finish(summary);
    say(`Exercise complete in ${summary.seconds} s: ${summaryHomes.map((h) => `${h.mesh} ${h.observations} observations`).join(', ')}.`);
    return summary;
  } finally {
    for (const s of servers) await s.close().catch(() => undefined);
    for (const h of homes) h.workspace.close();
  }
}

function partnersOf(homes: readonly Home[]): Partner[] {
  return homes.map((h) => ({ code: h.mesh.code, card: h.services.mesh.card(), authority: `${h.mesh.code} national release authority (${h.mesh.name})` }));
}

/** Proposed by the first home, carried to each other home, signed there and carried back; the final version to all. */
async function federate(homes: readonly Home[], declaration: unknown): Promise<void> {
  const [first, ...others] = homes as [Home, ...Home[]];
  const { id } = await first.services.federations.propose(declaration);
  const carry = (from: Home, to: Home) => to.services.federations.import(JSON.stringify(from.services.federations.export(id)));
  for (const h of others) {
    await carry(first, h);
    await h.services.federations.sign(id);
    await carry(h, first);
  }
  for (const h of others) await carry(first, h);
}

/** Every home's agent gw-1 certified by every partner for `federation`, from its PKCS#10 request. */
async function crossCertify(homes: readonly Home[], federation: string): Promise<void> {
  for (const h of homes) {
    if (!h.services.credentials.principals(['boundary-agent']).some((p) => p.id === AGENT)) await h.services.credentials.enrol({ role: 'boundary-agent', id: AGENT, algorithm: 'Ed25519' });
  }
  for (const h of homes) {
    for (const partner of homes) {
      if (partner === h) continue;
      const { pem } = await h.services.agents.request({ agent: AGENT, federation });
      const issued = await partner.services.agents.certify({ requestPem: pem, federation });
      await h.services.agents.install({ certificatePem: issued.pem });
    }
  }
}

/** The mesh's marking equivalences (the demo table), its attested unit types and its event terms, in one transaction. */
async function attestAll(h: Home, federation: string): Promise<void> {
  await h.services.taxonomy.attestAll([
    ...demoMarkingStatements(h.mesh.code).map((s) => ({ federation, vocabulary: 'markings', term: s.term, relation: s.relation, pivotTerm: s.pivot })),
    ...h.mesh.unitTypes.filter((t) => t.attested).map((t) => ({ federation, vocabulary: 'unit-types', term: t.term, relation: 'exact' as const, pivotTerm: t.sidc })),
    ...h.mesh.events.map((e) => ({ federation, vocabulary: 'event-terms', term: e.term, relation: 'exact' as const, pivotTerm: e.pivot })),
  ]);
}

/** One staged observation by a device, through the same path as the generator's. */
async function observeAs(h: Home, device: string, cls: string, subject: string, payload: Record<string, unknown>, derivedFrom: readonly string[] = [], level?: string, derivation?: { name: string; version: string }): Promise<string> {
  const now = h.services.context.reading().clock.now();
  const { id } = await h.services.observations.observe({
    device,
    class: cls,
    subject,
    labelText: originatorLabel(h.mesh.code, level ?? h.mesh.level, now),
    payloadText: JSON.stringify(payload),
    derivedFrom: [...derivedFrom],
    derivation: derivedFrom.length > 0 ? (derivation ?? { name: 'analyst-assessment', version: '1' }) : null,
  });
  return id;
}

async function heldBy(h: Home, id: string): Promise<boolean> {
  return (await h.services.observations.detail(id)) !== undefined;
}
