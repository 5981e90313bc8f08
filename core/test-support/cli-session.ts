/**
 * Mesh homes driven through the command line in this process, the way the README's walkthroughs
 * drive them: `entente … --home DIR/<mesh>` with `@name` standing for a file in the test's
 * folder. For tests of what a user types (crossing, live links, reconciliation); the built CLI
 * in a child process is core/test-support/built-cli.ts.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, expect } from 'vitest';
import { openCore, type Core } from '../api/open-core.js';
import type { CliIo } from '../cli/command.js';
import { main } from '../cli/main.js';
import { DECLARATION_TYPE } from '../federation/declaration.js';
import { demoMarkingStatements } from '../taxonomy/demo-markings.js';
import { startCli } from './built-cli.js';
import { makeTempDir, type TempDir } from './temp-dir.js';
import type { TestHome } from './test-homes.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A federation expiry 90 days out, to the second, as a user would type it. */
export const EXPIRES_IN_90_DAYS = new Date(Date.now() + 90 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

/** Registers a fresh folder per test; every function below works in the current test's folder. */
export function useCliSession(prefix: string, passphrase: string) {
  let dir: TempDir;
  // Built processes a test started and did not stop (it failed part-way): ended before the folder goes.
  const children = new Set<ChildProcessWithoutNullStreams>();
  beforeEach(() => (dir = makeTempDir(prefix)));
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL');
    children.clear();
    dir.remove();
  });

  const file = (name: string) => dir.file(name);
  const argvFor = (home: string, argv: readonly string[]) => [...argv.map((a) => a.replace(/^@/, `${dir.file('')}/`)), '--home', dir.file(home.toLowerCase())];
  const io = (stdout: string[], stderr: string[], untilStopped: () => Promise<void> = () => new Promise(() => {}), stdin = ''): CliIo => ({
    stdout: (l) => stdout.push(l),
    stderr: (l) => stderr.push(l),
    env: { ENTENTE_PASSPHRASE: passphrase },
    untilStopped,
    readStdin: () => Promise.resolve(stdin),
  });

  /** `entente <argv> --home DIR/<home>`: its exit code and output. */
  async function run(home: string, argv: readonly string[], stdin = ''): Promise<CliRun> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await main(argvFor(home, argv), io(stdout, stderr, undefined, stdin));
    return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  }

  /** Runs with --json and expects success; the parsed output. */
  async function ok(home: string, argv: readonly string[], stdin = ''): Promise<Json> {
    const result = await run(home, [...argv, '--json'], stdin);
    if (result.code !== 0) throw new Error(`${home}: entente ${argv.join(' ')} exited ${result.code}: ${result.stdout} ${result.stderr}`);
    return JSON.parse(result.stdout) as Json;
  }

  /** A long-running command (`agent serve`, `sync --watch`) until `stop()`; its JSON lines as they come (its text lines, with `{ json: false }`). */
  function start(home: string, argv: readonly string[], options: { json?: boolean } = {}) {
    const lines: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const exited = main(argvFor(home, options.json === false ? argv : [...argv, '--json']), io(lines, [], () => stopped));
    const events = () => lines.map((l) => JSON.parse(l) as Json);
    return { events, lines: () => [...lines], exited, stop };
  }

  /**
   * The home the CLI keeps for `code`, opened in this process for the span of `work`: its services
   * as a TestHome (what the hostile-bundle helpers take, e.g. to write a bundle by hand with its
   * agent's real key) and its core (the contract's handlers, as the console calls them).
   */
  async function withHome<T>(code: string, work: (home: TestHome, core: Core) => Promise<T>): Promise<T> {
    const core = openCore(dir.file(code.toLowerCase()), { passphrase });
    try {
      return await work({ ...core.services, db: core.workspace.db, code, setClock: () => undefined }, core);
    } finally {
      core.close();
    }
  }

  /**
   * The same commands run by the built `entente` in a child process of its own, as a user's shell
   * runs them (the caller calls `ensureBuilt` first): `run`, `ok` and `start` on the same homes,
   * files and passphrase, `stdin` piped in as a shell's `<` would. A started one is stopped with
   * SIGTERM, as Ctrl+C would.
   */
  const built = {
    async run(home: string, argv: readonly string[], stdin = ''): Promise<CliRun> {
      const { child, finished } = startCli(argvFor(home, argv), { ENTENTE_PASSPHRASE: passphrase });
      children.add(child);
      child.stdin.end(stdin);
      const done = await finished;
      children.delete(child);
      return { code: done.code ?? -1, stdout: done.stdout.trimEnd(), stderr: done.stderr };
    },
    async ok(home: string, argv: readonly string[], stdin = ''): Promise<Json> {
      const result = await built.run(home, [...argv, '--json'], stdin);
      if (result.code !== 0) throw new Error(`${home}: entente ${argv.join(' ')} (built) exited ${result.code}: ${result.stdout} ${result.stderr}`);
      return JSON.parse(result.stdout) as Json;
    },
    /** A long-running command in its own process, with --json: its lines as they come, parsed. */
    start(home: string, argv: readonly string[]) {
      const { child, finished } = startCli(argvFor(home, [...argv, '--json']), { ENTENTE_PASSPHRASE: passphrase });
      children.add(child);
      let out = '';
      child.stdout.on('data', (chunk: Buffer | string) => (out += chunk.toString()));
      const exited = finished.then((done) => {
        children.delete(child);
        return done;
      });
      // Only whole lines: the last may still be arriving.
      const events = () => out.split('\n').slice(0, -1).filter((l) => l.trim().length > 0).map((l) => JSON.parse(l) as Json);
      return { events, exited, stop: () => child.kill('SIGTERM') };
    },
  };

  /** An originator label file for `observe --label`, named by its policy and level. */
  function label(policy: string, classification: string): string {
    const name = `${policy}-${classification.replace(/\W+/g, '_')}.label.json`;
    writeFileSync(dir.file(name), JSON.stringify({ kind: 'originator', policy: { id: policy }, classification, categories: [], createdAt: '2026-11-23T08:00:00Z' }));
    return `@${name}`;
  }

  /** `observe` with device sensor-1 and a label of `home`'s own policy (`extra` adds options); the new observation's id. */
  async function observe(home: string, classification: string, subject: string, extra: readonly string[] = [], cls = 'track'): Promise<string> {
    return (await ok(home, ['observe', '--device', 'sensor-1', '--class', cls, '--subject', subject, '--label', label(home, classification), ...extra], '{"lat":54.1,"lon":12.2}')).id as string;
  }

  /** A mesh's marking table, as a user writes it for `taxonomy attest --file`. */
  function markingsFile(mesh: string): string {
    const name = `${mesh.toLowerCase()}.markings.json`;
    writeFileSync(dir.file(name), JSON.stringify(demoMarkingStatements(mesh).map(({ term, relation, pivot }) => ({ term, relation, pivot }))));
    return `@${name}`;
  }

  /** Boundary agents gw-1 in every mesh, cross-certified by every partner, and each mesh's markings attested. */
  async function crossCertify(codes: readonly string[], federation: string): Promise<void> {
    for (const code of codes) await ok(code, ['device', 'enroll', '--role', 'boundary-agent', '--device', 'gw-1']);
    for (const home of codes) {
      for (const partner of codes) {
        if (partner === home) continue;
        // The README's names between two meshes (deu-gw-1.csr, deu-gw-1.pem); one per partner beyond.
        const name = `@${home.toLowerCase()}-gw-1${codes.length === 2 ? '' : `-by-${partner.toLowerCase()}`}`;
        await ok(home, ['agent', 'request', '--agent', 'gw-1', '--federation', federation, '--out', `${name}.csr`]);
        await ok(partner, ['agent', 'certify', '--request', `${name}.csr`, '--federation', federation, '--out', `${name}.pem`]);
        await ok(home, ['agent', 'install', '--certificate', `${name}.pem`]);
      }
    }
    for (const code of codes) {
      const attested = await ok(code, ['taxonomy', 'attest', '--federation', federation, '--file', markingsFile(code)]);
      expect(attested.attested).toHaveLength(demoMarkingStatements(code).length);
    }
  }

  /** `bundle export` at `from`, `bundle verify` and `bundle import --receipt` at `to`, `receipt import` back at `from`. */
  async function exchange(from: string, to: string, name: string) {
    const exported = await ok(from, ['bundle', 'export', '--to', to, '--out', `@${name}.bundle`]);
    const verified = await ok(to, ['bundle', 'verify', `@${name}.bundle`]);
    const imported = await ok(to, ['bundle', 'import', `@${name}.bundle`, '--receipt', `@${name}.receipt.json`]);
    const receipt = await ok(from, ['receipt', 'import', `@${name}.receipt.json`]);
    return { exported, verified, imported, receipt };
  }

  /**
   * Meshes `codes` initialised, a declaration written by hand (`federation propose --file`) with
   * `terms` over these defaults, proposed by the first, signed by every other in turn through
   * exported exchange files, and imported back everywhere: active on every mesh.
   */
  async function federateAll(codes: readonly string[], id: string, terms: Json = {}): Promise<string> {
    const cards: Json[] = [];
    for (const code of codes) {
      await ok(code, ['mesh', 'init', '--mesh', code]);
      await ok(code, ['mesh', 'card', '--out', `@${code}.card.json`]);
      cards.push(JSON.parse(readFileSync(dir.file(`${code}.card.json`), 'utf8')) as Json);
    }
    const start = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    writeFileSync(dir.file(`${id}.json`), JSON.stringify({
      type: DECLARATION_TYPE, id, version: 1, purpose: `Exercise ${id}`,
      partners: cards.map((card) => ({ mesh: card.mesh, card, releaseAuthority: `${card.mesh} national release authority` })),
      scope: codes.flatMap((from) => codes.filter((to) => to !== from).map((to) => ({ from, to, classes: ['track', 'incident'], ceiling: { policy: 'NATO', classification: 'SECRET' }, caveats: ['EXERCISE ONLY'], onwardRelease: 'forbidden' }))),
      validity: { start: start.toISOString(), expires: EXPIRES_IN_90_DAYS },
      arbitration: { policy: 'originator-wins', divergenceThreshold: 0.2 },
      resynchronisation: { priority: ['incident', 'track'], backlogLimit: 10_000, maxAgeSeconds: 86_400 },
      silenceToleranceSeconds: 300, disconnectionWindows: [],
      exit: [{ class: 'track', action: 'purge', derived: 'purge' }, { class: 'incident', action: 'purge', derived: 'purge' }],
      ...terms,
    }));
    const [first, ...others] = codes as [string, ...string[]];
    const proposed = (await ok(first, ['federation', 'propose', '--file', `@${id}.json`])).id as string;
    const exchangeFile = `@${id}.fed.json`;
    for (const partner of others) {
      await ok(first, ['federation', 'export', '--id', proposed, '--out', exchangeFile]);
      await ok(partner, ['federation', 'import', exchangeFile]);
      await ok(partner, ['federation', 'sign', '--id', proposed]);
      await ok(partner, ['federation', 'export', '--id', proposed, '--out', exchangeFile]);
      await ok(first, ['federation', 'import', exchangeFile]);
    }
    await ok(first, ['federation', 'export', '--id', proposed, '--out', exchangeFile]);
    for (const code of others) await ok(code, ['federation', 'import', exchangeFile]);
    for (const code of codes) expect((await ok(code, ['federation', 'status'])).federations).toMatchObject([{ id: proposed, state: 'active' }]);
    return proposed;
  }

  /**
   * The README's two-mesh setup, command for command: DEU and NLD initialised, DEU proposing from
   * NLD's card (`--classes track,incident --ceiling SECRET --exit purge`), NLD signing through
   * exchange files, and both agents cross-certified with their markings attested. The federation's id.
   */
  async function federateByReadme(): Promise<string> {
    for (const code of ['DEU', 'NLD']) {
      await ok(code, ['mesh', 'init', '--mesh', code]);
      await ok(code, ['mesh', 'card', '--out', `@${code.toLowerCase()}.card.json`]);
    }
    const { id } = await ok('DEU', ['federation', 'propose', '--partner', '@nld.card.json', '--purpose', 'Exercise', '--classes', 'track,incident', '--ceiling', 'SECRET', '--expires', EXPIRES_IN_90_DAYS, '--exit', 'purge']);
    await ok('DEU', ['federation', 'export', '--id', id, '--out', '@f.json']);
    await ok('NLD', ['federation', 'import', '@f.json']);
    await ok('NLD', ['federation', 'sign', '--id', id]);
    await ok('NLD', ['federation', 'export', '--id', id, '--out', '@f.json']);
    await ok('DEU', ['federation', 'import', '@f.json']);
    await crossCertify(['DEU', 'NLD'], id);
    return id as string;
  }

  return { file, run, ok, start, built, withHome, label, observe, markingsFile, crossCertify, exchange, federateAll, federateByReadme };
}
