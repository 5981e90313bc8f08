/**
 * A probe of one link sync (issue 14, the clustered scaling): the homes of bench/link-sync.ts
 * (same fixture, same times) built for one size and layout, then one sync, DEU the client and
 * NLD serving, with what it did counted: a CPU profile of the sync alone (node:inspector), the
 * SQL statements both ends ran (by text, with the rows they returned), wire bytes and rounds.
 * Not part of `bench/run.ts`: a tool for finding what grows from 20,000 shared to 100,000.
 *
 *   node dist/bench/link-probe.mjs --shared 100000 --layout clustered --profile /tmp/x.cpuprofile --stats /tmp/x.json
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { linkHomes, storeAdmitted, storeOwn, STORE_CHUNK, type LinkHomes } from './link-fixture.js';

// The constants of bench/link-sync.ts: the same histories.
const MS_PER_SHARED = 360;
const DISCONNECTION_MS = 60_000;
const MARGIN_MS = 120_000;

type Layout = 'clustered' | 'spread';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

function timesOf(count: number, t0: number, span: number, layout: Layout, offset: number): number[] {
  return Array.from({ length: count }, (_, i) => (layout === 'spread' ? t0 + Math.floor(((i + 0.5) / count) * span) : t0 + span + Math.floor((i / count) * DISCONNECTION_MS)) + offset);
}

async function buildHomes(dir: string, shared: number, unique: number, layout: Layout): Promise<LinkHomes> {
  const span = shared * MS_PER_SHARED;
  const homes = await linkHomes(join(dir, 'deu.db'), join(dir, 'nld.db'), span + DISCONNECTION_MS + MARGIN_MS);
  const t0 = homes.now() + 1_000;
  const storedAt = new Date();
  for (let from = 0; from < shared; from += STORE_CHUNK) {
    const times = Array.from({ length: Math.min(STORE_CHUNK, shared - from) }, (_, i) => t0 + Math.floor(((from + i) / shared) * span));
    const records = await homes.mint('DEU', times, `shared-${from}`);
    storeOwn(homes.deu, records, storedAt);
    storeAdmitted(homes.nld, homes.deu, 'DEU', homes.federation, records, storedAt);
  }
  for (const [mesh, home, offset] of [['DEU', homes.deu, 0], ['NLD', homes.nld, 1]] as const) {
    storeOwn(home, await homes.mint(mesh, timesOf(unique, t0, span, layout, offset), `unique-${mesh}`), storedAt);
  }
  homes.present();
  homes.deu.services.syncIndex.rebuild(homes.federation, 'NLD');
  homes.nld.services.syncIndex.rebuild(homes.federation, 'DEU');
  for (const home of [homes.deu, homes.nld]) home.services.reconcile.rebuild();
  return homes;
}

/** Counts each statement's runs and rows by its SQL text, on every connection of the process, while `on`. */
function statementCounter(): { on: boolean; counts: Map<string, { runs: number; rows: number; ms: number }> } {
  const state = { on: false, counts: new Map<string, { runs: number; rows: number; ms: number }>() };
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const original = proto[method]!;
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      if (!state.on) return original.apply(this, args);
      const start = process.hrtime.bigint();
      const result = original.apply(this, args);
      const entry = state.counts.get(this.source) ?? { runs: 0, rows: 0, ms: 0 };
      entry.runs++;
      if (method === 'all') entry.rows += (result as unknown[]).length;
      else if (method === 'get') entry.rows += result === undefined ? 0 : 1;
      entry.ms += Number(process.hrtime.bigint() - start) / 1e6;
      state.counts.set(this.source, entry);
      return result;
    };
  }
  return state;
}

async function main(): Promise<void> {
  const shared = Number(option('--shared', '20000'));
  const unique = Number(option('--unique', '1000'));
  const layout = option('--layout', 'clustered') as Layout;
  const profilePath = option('--profile', '');
  const statsPath = option('--stats', '');
  const counter = statementCounter();
  const work = mkdtempSync(join(tmpdir(), 'entente-link-probe-'));
  try {
    const homes = await buildHomes(work, shared, unique, layout);
    for (const home of [homes.deu, homes.nld]) home.db.pragma('wal_checkpoint(TRUNCATE)');
    let serverReport: unknown;
    const server = await homes.nld.services.links.serve({ port: 0, onSync: (r) => (serverReport = r) });
    const session = new Session();
    session.connect();
    if (profilePath) {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    }
    counter.on = true;
    const start = process.hrtime.bigint();
    const report = await homes.deu.services.links.sync({ peer: `127.0.0.1:${server.port}` });
    const took = Number(process.hrtime.bigint() - start) / 1e6;
    for (let i = 0; i < 200 && !serverReport; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    counter.on = false;
    if (profilePath) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(profilePath, JSON.stringify(profile));
    }
    session.disconnect();
    await server.close();
    if (!report.converged || report.sent !== unique || report.received !== unique) throw new Error(`probe: did not converge: ${JSON.stringify({ ...report, digest: undefined })}`);
    const statements = [...counter.counts.entries()].map(([sql, c]) => ({ sql, ...c, ms: Math.round(c.ms * 10) / 10 })).sort((a, b) => b.ms - a.ms);
    const summary = { shared, unique, layout, ms: Math.round(took), rounds: report.rounds, wireBytes: report.bytes.in + report.bytes.out, negentropyBytes: report.negentropyBytes, statementRuns: statements.reduce((n, s) => n + s.runs, 0), statementRows: statements.reduce((n, s) => n + s.rows, 0) };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    if (statsPath) writeFileSync(statsPath, JSON.stringify({ summary, statements }, null, 1));
    homes.deu.close();
    homes.nld.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
