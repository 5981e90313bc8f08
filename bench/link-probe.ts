/**
 * A probe of one link sync (issue 14, the clustered scaling): the homes of bench/link-sync.ts
 * (its own buildHomes) for one size and layout, then one sync, DEU the client and
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
import { buildHomes, type Layout } from './link-sync.js';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
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
    const { homes } = await buildHomes(work, { shared, unique, layout });
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
