/**
 * kill -9 at random points during `entente bundle import` (issue 13, "Bad input and faults"):
 * the built CLI imports a bundle of 2,000 observations into a copy of a prepared home and is
 * killed with SIGKILL after a random delay spanning its whole run; then the import is run again
 * to its end. Every time: each observation once, the counts adding up to the bundle's,
 * `PRAGMA integrity_check` ok, the store's own verification and the log's passing, and the
 * joint picture the same as an import never killed (its subjects span both blocks, and the import
 * keeps their picture behind its blocks: core/app/reconcile/deferred-picture.ts). One more kill
 * lands, on purpose, after the first block committed and before the picture caught up with it;
 * and a Ctrl+C (SIGINT) there must stop the import cleanly, by itself, for the next to resume.
 *
 * 3 kills by default; ENTENTE_CRASH_ITERATIONS=200 for the run the issue asks for. The flag,
 * not the default, because an import of 2,000 observations takes about 24 s on the two-core
 * machine this was written on (first cut, before the import is made fast), so each kill and its
 * resume costs about 40 s; ENTENTE_CRASH_OBSERVATIONS changes the bundle's size.
 * `entente verify` and `entente audit verify` run as commands on every 10th kill and the last;
 * on the others the same checks run in this process on the same file (the services those
 * commands call), which keeps 200 kills within a few minutes.
 */
import Database from 'better-sqlite3';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../app/services.js';
import { ensureBuilt, runCli, startCli } from '../test-support/built-cli.js';
import { federate } from '../test-support/federated-homes.js';
import { exportTo, observe } from '../test-support/hostile-bundles.js';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import type { TestHome } from '../test-support/test-homes.js';
import { DATABASE_FILE } from '../workspace/home.js';
import { openWorkspace } from '../workspace/workspace.js';

const OBSERVATIONS = Number(process.env.ENTENTE_CRASH_OBSERVATIONS ?? 2_000);
const ITERATIONS = Number(process.env.ENTENTE_CRASH_ITERATIONS ?? 3);
const FULL_CHECK_EVERY = 10;
/** Subjects the observations are about: each reported in every block of the bundle … */
const SUBJECTS = 40;
/** … but for the first few observations', each reported once, in the first block only. */
const EARLY = 10;
const subjectOf = (i: number) => (i < EARLY ? `track:early-${i}` : `track:${i % SUBJECTS}`);

let dir: TempDir;
let prepared: string;
let bundle: string;

beforeAll(async () => {
  ensureBuilt();
  dir = makeTempDir('entente-crash-');
  const workspaces: { close(): void }[] = [];
  // Real workspace homes (the CLI's layout), built through the services as federate builds any home.
  const open = async (code: string): Promise<TestHome> => {
    const workspace = openWorkspace(dir.file(code.toLowerCase()));
    workspaces.push(workspace);
    const services = createServices(workspace, { passphrase: null });
    await services.mesh.init({ mesh: code, algorithm: 'Ed25519', encryptKeys: false });
    await services.credentials.enrol({ role: 'device', id: 'sensor-1', algorithm: 'Ed25519' });
    return { ...services, db: workspace.db, code, setClock: () => undefined };
  };
  const { homes } = await federate(open, ['DEU', 'NLD']);
  const [deu] = homes as [TestHome];
  for (let i = 0; i < OBSERVATIONS; i++) await observe(deu, 'GEHEIM', subjectOf(i));
  bundle = dir.file('deu-nld.bundle');
  expect((await exportTo(deu, 'NLD', bundle)).observations).toBe(OBSERVATIONS);
  for (const w of workspaces) w.close();
  prepared = dir.file('nld-prepared.db');
  copyFileSync(join(dir.file('nld'), DATABASE_FILE), prepared);
}, 300_000);

afterAll(() => dir?.remove());

/** A fresh home holding the prepared store: NLD federated with DEU, nothing imported yet. */
function freshHome(name: string): string {
  const homeDir = dir.file(name);
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(join(homeDir, `${DATABASE_FILE}${suffix}`), { force: true });
  rmSync(homeDir, { recursive: true, force: true });
  openWorkspace(homeDir).close();
  copyFileSync(prepared, join(homeDir, DATABASE_FILE));
  return homeDir;
}

/** An import never killed, into a fresh home: what every killed one must end as. Made once, by whichever test asks first. */
let referenceRun: Promise<{ counts: Record<string, number>; ms: number; facts: ReturnType<typeof storeFacts> }> | undefined;
function referenceImport() {
  referenceRun ??= (async () => {
    const started = performance.now();
    const homeDir = freshHome('reference');
    const { counts } = await importToEnd(homeDir);
    return { counts, ms: performance.now() - started, facts: storeFacts(homeDir) };
  })();
  return referenceRun;
}

async function importToEnd(homeDir: string) {
  const done = await runCli(['bundle', 'import', bundle, '--home', homeDir, '--json']);
  expect(done.code, done.stderr).toBe(0);
  return JSON.parse(done.stdout) as { alreadyImported: boolean; counts: Record<string, number> };
}

function storeFacts(homeDir: string) {
  const db = new Database(join(homeDir, DATABASE_FILE), { readonly: true });
  try {
    return {
      integrity: db.prepare('PRAGMA integrity_check').pluck().all(),
      observations: db.prepare('SELECT COUNT(*) FROM observations').pluck().get(),
      distinct: db.prepare('SELECT COUNT(DISTINCT id) FROM observations').pluck().get(),
      crossings: db.prepare('SELECT COUNT(*) FROM crossings').pluck().get(),
      imports: db.prepare('SELECT state, admitted, duplicate, rejected, quarantined, tainted FROM bundle_imports').all(),
      // One `crossing` entry per admitted block; every admitted id is named by exactly one of them.
      logged: (db.prepare("SELECT entry FROM audit_entries WHERE type = 'crossing'").pluck().all() as string[]).flatMap((e) => (JSON.parse(e) as { what: { ids: string[] } }).what.ids),
      picture: db.prepare('SELECT digest, subjects FROM picture_sum').get(),
      pending: db.prepare('SELECT COUNT(*) FROM picture_pending').pluck().get(),
    };
  } finally {
    db.close();
  }
}

async function verifiedInProcess(homeDir: string): Promise<void> {
  const workspace = openWorkspace(homeDir);
  try {
    const services = createServices(workspace, { passphrase: null });
    expect(services.audit.verify().failures).toEqual([]);
    expect((await services.observations.verifyAll()).failures).toEqual([]);
  } finally {
    workspace.close();
  }
}

describe('kill -9 during bundle import', () => {
  it(`resumes to exactly one copy of each observation after ${ITERATIONS} SIGKILLs at random points`, async () => {
    // How long an import takes here: the kills are spread over all of it (and a little past).
    const reference = await referenceImport();
    const full = reference.ms;
    expect(reference.counts).toMatchObject({ admitted: OBSERVATIONS, rejected: 0 });
    const picture = reference.facts.picture;
    expect(picture).toMatchObject({ subjects: SUBJECTS + EARLY });

    const landed = { beforeEnd: 0, afterEnd: 0, resumed: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const homeDir = freshHome('victim');
      const { child, finished } = startCli(['bundle', 'import', bundle, '--home', homeDir, '--json']);
      const delay = Math.random() * full * 1.1;
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const killed = await finished;
      clearTimeout(timer);
      if (killed.signal === 'SIGKILL') landed.beforeEnd += 1;
      else landed.afterEnd += 1;

      const resumed = await importToEnd(homeDir);
      const facts = storeFacts(homeDir);
      const context = `kill ${i} after ${delay.toFixed(0)} ms`;
      expect(facts.integrity, context).toEqual(['ok']);
      expect(facts, context).toMatchObject({ observations: OBSERVATIONS, distinct: OBSERVATIONS, crossings: OBSERVATIONS });
      expect(facts.imports, context).toEqual([{ state: 'done', admitted: OBSERVATIONS, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 }]);
      expect(facts.logged.length, context).toBe(OBSERVATIONS);
      expect(new Set(facts.logged).size, context).toBe(OBSERVATIONS);
      expect(resumed.counts, context).toMatchObject({ admitted: OBSERVATIONS });
      expect({ picture: facts.picture, pending: facts.pending }, context).toEqual({ picture, pending: 0 });
      if (!resumed.alreadyImported) landed.resumed += 1;

      if (i % FULL_CHECK_EVERY === 0 || i === ITERATIONS - 1) {
        for (const args of [['verify'], ['audit', 'verify']]) {
          const checked = await runCli([...args, '--home', homeDir, '--json']);
          expect(checked.code, `${context}: entente ${args.join(' ')}: ${checked.stdout}${checked.stderr}`).toBe(0);
        }
      } else {
        await verifiedInProcess(homeDir);
      }
    }
    // The delays must have reached into the import, not only its start-up or its end.
    expect(landed.beforeEnd).toBeGreaterThan(0);
    // What the kills hit, for the test's report (vitest prints a failing context; this stays silent when green).
    expect(landed.beforeEnd + landed.afterEnd).toBe(ITERATIONS);
  }, 4 * 3_600_000);

  it('recomputes, from their history, the subjects a killed import left behind its committed blocks', async () => {
    const reference = (await referenceImport()).facts;
    // Killed once its first block is committed and its subjects are named as pending: the picture lags that block.
    let left: ReturnType<typeof storeFacts> | undefined;
    let homeDir = '';
    for (let attempt = 0; attempt < 5 && !left; attempt++) {
      homeDir = freshHome('behind');
      const { child, finished } = startCli(['bundle', 'import', bundle, '--home', homeDir, '--json']);
      const db = new Database(join(homeDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
      try {
        const pendingNow = () => {
          try {
            return db.prepare('SELECT COUNT(*) FROM picture_pending').pluck().get() as number;
          } catch {
            return 0; // the import's first open has not migrated the copy yet
          }
        };
        while (child.exitCode === null && pendingNow() === 0) await new Promise((resolve) => setTimeout(resolve, 2));
        child.kill('SIGKILL');
      } finally {
        db.close();
      }
      const killed = await finished;
      const facts = storeFacts(homeDir);
      if (killed.signal === 'SIGKILL' && (facts.pending as number) > 0) left = facts;
    }
    expect(left, 'no kill landed between a committed block and the picture catching up').toBeDefined();
    expect(left!.picture).not.toEqual(reference.picture);
    // What lags is said where the picture is shown.
    const shown = await runCli(['picture', '--home', homeDir, '--json']);
    expect((JSON.parse(shown.stdout) as { picture: { pending: number } }).picture.pending).toBe(left!.pending);
    expect((await runCli(['picture', '--home', homeDir])).stdout).toContain(`${left!.pending as number} subject(s) wait for a bundle import to bring them up to date`);

    await importToEnd(homeDir);
    const after = storeFacts(homeDir);
    expect(after.integrity).toEqual(['ok']);
    expect({ observations: after.observations, picture: after.picture, pending: after.pending }).toEqual({ observations: OBSERVATIONS, picture: reference.picture, pending: 0 });
    const checked = await runCli(['verify', '--home', homeDir, '--json']);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect((await runCli(['picture', '--home', homeDir])).stdout).not.toContain('wait for a bundle import');
  }, 600_000);

  it('stops cleanly on Ctrl+C: one line on stderr, nothing half-written, the picture of what was admitted, and the next import completes', async () => {
    const { facts: reference, ms } = await referenceImport();
    // SIGINT (what Ctrl+C sends) part-way, later on each attempt: the CLI must catch it and end by itself, not die of it.
    let stopped: { code: number | null; stderr: string } | undefined;
    let homeDir = '';
    for (const share of [0.25, 0.4, 0.55, 0.7, 0.85]) {
      homeDir = freshHome(`interrupted-${share}`);
      const { child, finished } = startCli(['bundle', 'import', bundle, '--home', homeDir]);
      const timer = setTimeout(() => child.kill('SIGINT'), ms * share);
      const done = await finished;
      clearTimeout(timer);
      if (done.signal === null && done.code !== 0) {
        stopped = done;
        break;
      }
    }
    expect(stopped, 'no Ctrl+C landed while the import was running').toBeDefined();
    // Not killed by the signal: the CLI caught it, stopped, and said so on one line.
    const lines = stopped!.stderr.trim().split('\n');
    expect(lines, stopped!.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/cancel/i);
    const left = storeFacts(homeDir);
    expect(left.integrity).toEqual(['ok']);
    expect(left.pending, 'a cancelled import brings the picture up to what it committed').toBe(0);
    expect(left.observations as number).toBeLessThan(OBSERVATIONS);
    expect(left.distinct).toBe(left.observations);

    const resumed = JSON.parse((await runCli(['bundle', 'import', bundle, '--home', homeDir, '--json'])).stdout) as { resumed: boolean; counts: Record<string, number> };
    expect(resumed.resumed).toBe((left.observations as number) > 0);
    const after = storeFacts(homeDir);
    expect({ observations: after.observations, distinct: after.distinct, picture: after.picture, pending: after.pending }).toEqual({ observations: OBSERVATIONS, distinct: OBSERVATIONS, picture: reference.picture, pending: 0 });
    const checked = await runCli(['verify', '--home', homeDir, '--json']);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
  }, 600_000);
});
