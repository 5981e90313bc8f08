/**
 * Issue 14, Speed, over the real link (group `links`): two homes (bench/link-fixture.ts) synced
 * by `services.links.sync` against `services.links.serve` on 127.0.0.1 — mutual TLS 1.3, signed
 * hellos, negentropy over each side's persistent index, every transferred observation verified
 * and admitted through the crossing's seam, signed convergence statements — measured in the same
 * run as PouchDB's two-way sync (`PouchDB.sync(a, b)`, leveldb adapter) of the same documents
 * between two databases filled apart, so with no replication history in common.
 *
 * - 20,000 shared + 1,000 unique per side: ours ÷ PouchDB (target ≤ 0.25);
 * - scaling: time at 100,000 shared ÷ time at 20,000 shared, ours (target ≤ 1.5) and PouchDB's,
 *   with the unique records spread over the history and (ours) clustered in a disconnection after it;
 * - idle sync of two converged 1,000,000-observation homes: time (< 1 s) and TLS application
 *   bytes both ways (< 1 KB; reported whole, and without the two signed hellos, which carry
 *   the agents' certificate chains);
 * - bytes to learn the difference and round trips on the link, clustered (a disconnection) and
 *   spread, beside nostr-tools' NIP-77 pair over the same two sets in memory, at the link's
 *   frame limit and at NIP-77's default 60,000.
 *
 * Both ends of the link run in this one process, as both PouchDB databases do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PouchDB, { type PouchDatabase } from 'pouchdb-node';
import type { SyncReport } from '../core/app/links/service.js';
import { DEFAULT_FRAME_SIZE_LIMIT, type Item } from '../core/boundary/negentropy/index.js';
import { observationId, type GovernedObservation } from '../core/observation/index.js';
import { linkHomes, storeAdmitted, storeOwn, STORE_CHUNK, type LinkHomes } from './link-fixture.js';
import { ours, session, theirs } from './negentropy.js';
import { round, type Measurement } from './timing.js';

/** The link's negentropy frame limit (core/app/links/session.ts). */
export const LINK_FRAME_LIMIT = 500_000;
/**
 * Mesh time between two shared records, ms: a history grows by lasting longer, not by packing
 * more into a moment — 20,000 records span two hours, 100,000 ten, each of the 500 tracks
 * reported about every three minutes at either size. So the records concurrent with one unique
 * record, inside the declared five-minute window, are as many at either size, as they would be
 * for a real mesh; what grows is each track's history. (Until this session the shared records were packed into
 * three seconds: every record concurrent with every other, a density no device produces.)
 */
const MS_PER_SHARED = 360;
/** The clustered unique records: a disconnection of this length after the shared history. */
const DISCONNECTION_MS = 60_000;
/** The converged homes' history: their records only need to exist. */
const IDLE_SPAN_MS = 3_000;
/** Kept between the last record and the present, so no record is from the future when the sync runs. */
const MARGIN_MS = 120_000;
const FILL_BATCH = 1_000;

export type Layout = 'clustered' | 'spread';

interface Scenario {
  readonly shared: number;
  readonly unique: number;
  readonly layout: Layout;
  readonly pouch: boolean;
}

interface ScenarioResult {
  readonly label: string;
  readonly oursMs: number;
  readonly report: SyncReport;
  readonly server: SyncReport;
  readonly pouchMs: number | null;
  readonly rebuildMs: number;
  readonly deuItems: Item[];
  readonly nldItems: Item[];
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

export async function linkSyncFigures(options: { quick: boolean; idleObservations?: number; idleOnly?: boolean }): Promise<Measurement[]> {
  const scale = options.quick ? 10 : 1;
  const shared = 20_000 / scale;
  const unique = 1_000 / scale;
  const work = mkdtempSync(join(tmpdir(), 'entente-bench-links-'));
  const results: Measurement[] = [];
  try {
    if (options.idleOnly) return await idleFigures(work, options.idleObservations ?? (options.quick ? 20_000 : 1_000_000));
    const small = await runScenario(work, { shared, unique, layout: 'spread', pouch: true });
    const large = await runScenario(work, { shared: shared * 5, unique, layout: 'spread', pouch: true });
    const clustered = await runScenario(work, { shared, unique, layout: 'clustered', pouch: false });
    const clusteredLarge = await runScenario(work, { shared: shared * 5, unique, layout: 'clustered', pouch: false });
    for (const r of [small, large, clustered, clusteredLarge]) results.push(...scenarioFigures(r));
    results.push(
      ratio(`links.sync.${small.label}.vs-pouchdb`, small.oursMs / small.pouchMs!, `links.pouchdb-sync.${small.label}.ms`),
      ratio(`links.sync.scaling.${shared * 5}-vs-${shared}-shared`, large.oursMs / small.oursMs, `links.sync.${small.label}.ms`),
      // A disconnection's records sit together in time: negentropy settles them in a few ranges, so here the protocol's own work no longer grows with the set.
      ratio(`links.sync.scaling.clustered.${shared * 5}-vs-${shared}-shared`, clusteredLarge.oursMs / clustered.oursMs, `links.sync.${clustered.label}.ms`),
      ratio(`links.pouchdb-sync.scaling.${shared * 5}-vs-${shared}-shared`, large.pouchMs! / small.pouchMs!, `links.pouchdb-sync.${small.label}.ms`),
    );
    for (const r of [small, clustered, large, clusteredLarge]) results.push(...learningFigures(r));
    results.push(...(await idleFigures(work, options.idleObservations ?? (options.quick ? 20_000 : 1_000_000))));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}

function scenarioFigures(r: ScenarioResult): Measurement[] {
  const out: Measurement[] = [
    { name: `links.sync.${r.label}.ms`, value: round(r.oursMs), unit: 'ms' },
    { name: `links.sync.${r.label}.wire-bytes`, value: r.report.bytes.in + r.report.bytes.out, unit: 'bytes' },
    { name: `links.sync.${r.label}.round-trips`, value: r.report.rounds, unit: 'round trips' },
    { name: `links.index-rebuild.${r.label}.ms`, value: round(r.rebuildMs), unit: 'ms' },
  ];
  if (r.pouchMs !== null) out.push({ name: `links.pouchdb-sync.${r.label}.ms`, value: round(r.pouchMs), unit: 'ms' });
  return out;
}

/**
 * What learning the difference cost on the link (negentropy's messages both ways, as the
 * protocol counts bytes), and the same two sets reconciled in memory: ours and nostr-tools'
 * pair at the link's frame limit and at 60,000. nostr-tools' varints stop at 2^31, so its sets
 * (and ours beside them) carry the items' times shifted to a second-sized range: the order is the
 * same and timestamps travel as deltas, so the messages are the ones the link's items make.
 */
function learningFigures(r: ScenarioResult): Measurement[] {
  const t0 = Math.min(r.deuItems[0]?.timestamp ?? 0, r.nldItems[0]?.timestamp ?? 0);
  const shift = (items: Item[]) => items.map((item) => ({ timestamp: item.timestamp - t0 + 1_700_000_000, id: item.id }));
  const [a, b] = [shift(r.deuItems), shift(r.nldItems)];
  const out: Measurement[] = [
    { name: `links.learn.${r.label}.link.bytes`, value: r.report.negentropyBytes, unit: 'bytes' },
    { name: `links.learn.${r.label}.link.round-trips`, value: r.report.rounds, unit: 'round trips' },
  ];
  for (const limit of [LINK_FRAME_LIMIT, DEFAULT_FRAME_SIZE_LIMIT]) {
    const published = session(ours(a, {}, limit), ours(b, {}, limit));
    const settling = session(ours(a, { responderSettlesIdLists: true }, limit), ours(b, { responderSettlesIdLists: true }, limit));
    const nostr = session(theirs(a, limit), theirs(b, limit));
    for (const [who, s] of [['ours-published', published], ['ours-responder-settles', settling], ['nostr-tools', nostr]] as const) {
      if (s.found !== 2 * r.report.received || r.report.received !== r.report.sent) throw new Error(`links bench: ${who} found ${s.found} differences in ${r.label}, the link moved ${r.report.sent} + ${r.report.received}`);
      out.push({ name: `links.learn.${r.label}.limit-${limit}.${who}.bytes`, value: s.bytes, unit: 'bytes' });
      out.push({ name: `links.learn.${r.label}.limit-${limit}.${who}.round-trips`, value: s.roundTrips, unit: 'round trips' });
    }
    if (limit === LINK_FRAME_LIMIT) out.push(ratio(`links.learn.${r.label}.link.bytes.vs-nostr-tools`, r.report.negentropyBytes / nostr.bytes, `links.learn.${r.label}.limit-${limit}.nostr-tools.bytes`));
  }
  return out;
}

function ratio(name: string, value: number, to: string): Measurement {
  return { name, value: Math.round(value * 1000) / 1000, unit: 'ratio', ratio_to: to };
}

/** Times spread over the span, or (clustered) packed into the disconnection after it. */
function timesOf(count: number, t0: number, span: number, layout: Layout, offset: number): number[] {
  return Array.from({ length: count }, (_, i) => (layout === 'spread' ? t0 + Math.floor(((i + 0.5) / count) * span) : t0 + span + Math.floor((i / count) * DISCONNECTION_MS)) + offset);
}

async function fillPouch(dbs: readonly PouchDatabase[], records: readonly GovernedObservation[]): Promise<void> {
  const docs = records.map((record) => ({ _id: observationId(record), record }));
  for (let i = 0; i < docs.length; i += FILL_BATCH) for (const db of dbs) await db.bulkDocs(docs.slice(i, i + FILL_BATCH));
}

/**
 * Two homes holding `shared` in common (DEU's, admitted by NLD) and `unique` of their own each,
 * indexes rebuilt and the joint picture computed, as homes that lived through that history hold
 * them. The homes are built `historyMs` in the past and the sync runs in the present.
 */
/** Both homes for one scenario (also bench/link-probe.ts's), filled, indexed and checkpointed, with the index rebuild's time. */
export async function buildHomes(dir: string, s: { shared: number; unique: number; layout: Layout }, pouch?: { a: PouchDatabase; b: PouchDatabase }): Promise<{ homes: LinkHomes; rebuildMs: number }> {
  // Converged homes (no unique records) only measure the idle round: their history's length does not matter, and a short one keeps a million inside the federation's validity.
  const span = s.unique > 0 ? s.shared * MS_PER_SHARED : IDLE_SPAN_MS;
  const homes = await linkHomes(join(dir, 'deu.db'), join(dir, 'nld.db'), span + DISCONNECTION_MS + MARGIN_MS);
  const t0 = homes.now() + 1_000;
  const storedAt = new Date();
  for (let from = 0; from < s.shared; from += STORE_CHUNK) {
    const times = Array.from({ length: Math.min(STORE_CHUNK, s.shared - from) }, (_, i) => t0 + Math.floor(((from + i) / s.shared) * span));
    const records = await homes.mint('DEU', times, `shared-${from}`);
    storeOwn(homes.deu, records, storedAt);
    storeAdmitted(homes.nld, homes.deu, 'DEU', homes.federation, records, storedAt);
    if (pouch) await fillPouch([pouch.a, pouch.b], records);
  }
  for (const [mesh, home, db, offset] of [['DEU', homes.deu, pouch?.a, 0], ['NLD', homes.nld, pouch?.b, 1]] as const) {
    const records = await homes.mint(mesh, timesOf(s.unique, t0, span, s.layout, offset), `unique-${mesh}`);
    storeOwn(home, records, storedAt);
    if (db) await fillPouch([db], records);
  }
  homes.present();
  const start = process.hrtime.bigint();
  homes.deu.services.syncIndex.rebuild(homes.federation, 'NLD');
  homes.nld.services.syncIndex.rebuild(homes.federation, 'DEU');
  const rebuildMs = ms(start) / 2;
  if (s.unique > 0) for (const home of [homes.deu, homes.nld]) home.services.reconcile.rebuild();
  // Both ends start the timed sync from an empty write-ahead log. Filling left each log wherever its
  // last write ended, and a sync whose commits carried it past the automatic checkpoint's threshold
  // (core/store/database.ts, 64 MiB) paid for copying everything the fill wrote into the file: the
  // same clustered scaling read 0.98, 1.54 or 1.90 by where the fill happened to stop.
  for (const home of [homes.deu, homes.nld]) home.db.pragma('wal_checkpoint(TRUNCATE)');
  return { homes, rebuildMs };
}

/** One sync, DEU the client, NLD serving; returns both ends' reports once the server has recorded its end. */
async function linkSync(homes: LinkHomes): Promise<{ ms: number; report: SyncReport; server: SyncReport }> {
  let serverReport: SyncReport | undefined;
  let refused: { reason: string; message: string } | undefined;
  const server = await homes.nld.services.links.serve({ port: 0, onSync: (r) => (serverReport = r), onRefused: (r) => (refused = r) });
  try {
    const start = process.hrtime.bigint();
    const report = await homes.deu.services.links.sync({ peer: `127.0.0.1:${server.port}` });
    const took = ms(start);
    for (let i = 0; i < 200 && !serverReport && !refused; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    if (!serverReport) throw new Error(`links bench: the server did not finish its end${refused ? ` (${refused.reason}: ${refused.message})` : ''}`);
    return { ms: took, report, server: serverReport };
  } finally {
    await server.close();
  }
}

function itemsOf(homes: LinkHomes, side: 'deu' | 'nld'): Item[] {
  const storage = homes[side].services.syncIndex.storage(homes.federation, side === 'deu' ? 'NLD' : 'DEU');
  const items: Item[] = [];
  storage.iterate(0, storage.size(), (item) => items.push(item) > 0);
  return items;
}

async function runScenario(work: string, s: Scenario): Promise<ScenarioResult> {
  const label = `${s.shared}-shared.${s.unique}-unique.${s.layout}`;
  const dir = mkdtempSync(join(work, 'scenario-'));
  const pouch = s.pouch ? { a: new PouchDB(join(dir, 'pouch-a')), b: new PouchDB(join(dir, 'pouch-b')) } : undefined;
  const { homes, rebuildMs } = await buildHomes(dir, s, pouch);
  try {
    const [deuItems, nldItems] = [itemsOf(homes, 'deu'), itemsOf(homes, 'nld')];
    const { ms: oursMs, report, server } = await linkSync(homes);
    if (!report.converged || report.sent !== s.unique || report.received !== s.unique || report.counts.admitted !== s.unique || report.peerCounts.admitted !== s.unique) {
      throw new Error(`links bench: ${label} did not converge as it should: ${JSON.stringify({ ...report, digest: undefined, peerDigest: undefined })}`);
    }
    let pouchMs: number | null = null;
    if (pouch) {
      const start = process.hrtime.bigint();
      await PouchDB.sync(pouch.a, pouch.b);
      pouchMs = ms(start);
      for (const db of [pouch.a, pouch.b]) {
        const { doc_count } = await db.info();
        if (doc_count !== s.shared + 2 * s.unique) throw new Error(`links bench: PouchDB holds ${doc_count} documents after its sync, not ${s.shared + 2 * s.unique}`);
      }
    }
    return { label, oursMs, report, server, pouchMs, rebuildMs, deuItems, nldItems };
  } finally {
    if (pouch) for (const db of [pouch.a, pouch.b]) await db.close();
    homes.deu.close();
    homes.nld.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Idle rounds over one persistent link (`agent sync --watch`, 0006 "Rounds"): after the first
 * round (the buckets and the signed statements), each round is the probe and its answer, nothing
 * signed. Whole-wire bytes as for the one-off sync: both ways' frames, length prefixes included;
 * the probe's round trip, the best of the rounds.
 */
async function watchedIdleRounds(homes: LinkHomes, n: number): Promise<Measurement[]> {
  const server = await homes.nld.services.links.serve({ port: 0 });
  const rounds: SyncReport[] = [];
  const watch = homes.deu.services.links.watch({ peer: `127.0.0.1:${server.port}`, intervalMs: 100, pollMs: 100, onRound: (report) => rounds.push(report) });
  try {
    for (let i = 0; i < 3000 && rounds.filter((r) => r.idle).length < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const idle = rounds.filter((r) => r.idle);
    if (idle.length < 5 || idle.some((r) => r.count !== n || !r.converged)) throw new Error(`links bench: the watched link of ${n} did not idle: ${JSON.stringify(rounds.map((r) => r.idle))}`);
    const wire = idle.map((r) => r.bytes.in + r.bytes.out).sort((a, b) => a - b);
    return [
      { name: `links.watch.${n}-converged.idle-round.wire-bytes`, value: wire[Math.floor(wire.length / 2)]!, unit: 'bytes' },
      { name: `links.watch.${n}-converged.idle-round.negentropy-bytes`, value: idle[0]!.negentropyBytes, unit: 'bytes' },
      { name: `links.watch.${n}-converged.idle-round.round-trip-ms`, value: Math.min(...idle.map((r) => r.roundTripMs ?? Infinity)), unit: 'ms' },
      { name: `links.watch.${n}-converged.first-round.wire-bytes`, value: rounds[0]!.bytes.in + rounds[0]!.bytes.out, unit: 'bytes' },
      { name: `links.watch.${n}-converged.tls-handshakes`, value: server.handshakes, unit: 'handshakes' },
    ];
  } finally {
    await watch.stop();
    await server.close();
  }
}

/** Two converged homes of `n` observations (DEU's, NLD admitted them all); the best of three idle syncs. */
async function idleFigures(work: string, n: number): Promise<Measurement[]> {
  const dir = mkdtempSync(join(work, 'idle-'));
  const buildStart = process.hrtime.bigint();
  const { homes } = await buildHomes(dir, { shared: n, unique: 0, layout: 'spread' });
  const buildMs = ms(buildStart);
  try {
    let best: { ms: number; report: SyncReport } | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const run = await linkSync(homes);
      if (!run.report.converged || run.report.sent + run.report.received !== 0 || run.report.count !== n) throw new Error(`links bench: the idle sync of ${n} was not idle: ${JSON.stringify(run.report)}`);
      if (!best || run.ms < best.ms) best = run;
    }
    const { report } = best!;
    const label = `${n}-converged.idle`;
    const watched = await watchedIdleRounds(homes, n);
    return [
      ...watched,
      { name: `links.sync.${label}.ms`, value: round(best!.ms), unit: 'ms' },
      { name: `links.sync.${label}.wire-bytes`, value: report.bytes.in + report.bytes.out, unit: 'bytes' },
      { name: `links.sync.${label}.wire-bytes.after-hellos`, value: report.bytes.in + report.bytes.out - report.helloBytes, unit: 'bytes' },
      { name: `links.sync.${label}.negentropy-bytes`, value: report.negentropyBytes, unit: 'bytes' },
      { name: `links.sync.${label}.round-trips`, value: report.rounds, unit: 'round trips' },
      { name: `links.build.${label}.ms`, value: round(buildMs), unit: 'ms' },
    ];
  } finally {
    homes.deu.close();
    homes.nld.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
