/**
 * `entente time offsets` and `entente show` on real homes made with the command line: NLD holds a
 * bundle from DEU, whose clock runs two hours ahead, and one link sample; the offsets name the
 * interval, its samples and their age, and `show` states DEU's observation's time here as an
 * interval ("between … and …"), NLD's own as an instant.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../../app/services.js';
import { openDatabase, type WriteDb } from '../../store/database.js';
import { insertClockSamples } from '../../store/link-store.js';
import { crossBundle, federate, nationalLabel } from '../../test-support/federated-homes.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { TestHome } from '../../test-support/test-homes.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

const HOUR = 3_600_000;
let dir: TempDir;
const open: WriteDb[] = [];
beforeEach(() => (dir = makeTempDir('entente-time-cli-')));
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  dir.remove();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function run(code: string, argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env: {}, untilStopped: () => Promise.resolve(), readStdin: () => Promise.resolve('') };
  const exit = await main([...argv, '--home', dir.file(code.toLowerCase())], io);
  return { code: exit, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

async function ok(code: string, argv: string[]): Promise<Json> {
  const result = await run(code, [...argv, '--json']);
  if (result.code !== 0) throw new Error(`${code}: entente ${argv.join(' ')} exited ${result.code}: ${result.stdout} ${result.stderr}`);
  return JSON.parse(result.stdout) as Json;
}

/** A home made by `mesh init` and `device enroll`, then driven through the services for the federation's setup. */
async function cliHome(code: string): Promise<TestHome> {
  await ok(code, ['mesh', 'init', '--mesh', code, '--insecure-keys']);
  await ok(code, ['device', 'enroll', '--device', 'sensor-1']);
  const db = openDatabase(dir.file(`${code.toLowerCase()}/entente.db`));
  open.push(db);
  let at: Date | null = null;
  return { ...createServices(db, { clock: () => at ?? new Date(), passphrase: null }), db, code, setClock: (next: Date | null) => (at = next) };
}

describe('entente time offsets', () => {
  it('prints each partner’s interval with its samples, and show states foreign time as an interval', async () => {
    const { id, homes: [deu, nld] } = await federate(cliHome, ['DEU', 'NLD']);
    const real = Date.now();
    deu!.setClock(new Date(real + 2 * HOUR));
    const observe = (h: TestHome, classification: string) => h.observations.observe({ device: 'sensor-1', class: 'track', subject: 'track:1', labelText: nationalLabel(h.code, classification), payloadText: '{"lat":54.1}', derivedFrom: [], derivation: null });
    const foreign = await observe(deu!, 'GEHEIM');
    const own = await observe(nld!, 'Stg. GEHEIM');
    await crossBundle(deu!, nld!);

    // Only the bundle so far: at least two hours ahead, no upper bound; show says "no later than".
    const [bundleOnly] = (await ok('NLD', ['time', 'offsets'])).offsets as Json[];
    expect(bundleOnly).toMatchObject({ partner: 'DEU', interval: { hi: null }, samples: [{ kind: 'bundle', federation: id, t1: null, interval: { hi: null } }], contradiction: null });
    expect(bundleOnly!.interval.lo).toBeGreaterThan(2 * HOUR - 10_000);
    expect((await run('NLD', ['show', foreign.id])).stdout).toMatch(/^time here: no later than \d{4}-\d\d-\d\dT[\d:.]+Z \(from DEU's clock samples\)$/m);

    // A link's exchange (stored as the links store it) bounds it from above too.
    const t1 = Date.now();
    insertClockSamples(nld!.db, [{ partner: 'DEU', federation: id, t1, t2: t1 + 10 + 2 * HOUR, t3: t1 + 11 + 2 * HOUR, t4: t1 + 21, offsetMs: 2 * HOUR, delayMs: 20 }]);
    const [both] = (await ok('NLD', ['time', 'offsets', '--partner', 'DEU'])).offsets as Json[];
    expect(both!.samples.map((s: Json) => s.kind)).toEqual(['link', 'bundle']);
    expect(both!.interval.hi - both!.interval.lo).toBeLessThan(30);
    expect(both!.ageMs).toBeGreaterThanOrEqual(0);

    const text = (await run('NLD', ['time', 'offsets'])).stdout.split('\n');
    expect(text[0]).toMatch(/^DEU: their clock minus ours between \+(1 h 59|2 h 00) min \d\d\.\d{3} s and \+(1 h 59|2 h 00) min \d\d\.\d{3} s; 2 sample\(s\), newest [\d.]+ s old; drift bound 50 ppm$/);
    expect(text[1]).toMatch(/^ {2}link:\d+ +[a-z0-9-]+ {2}t1 \d+ t2 \d+ t3 \d+ t4 \d+ {2}between /);
    expect(text[2]).toMatch(/^ {2}bundle:\d+ .* written .* \(theirs\), admitted .* \(ours\) {2}at least \+(1 h 59|2 h 00)/);

    const shown = await ok('NLD', ['show', foreign.id]);
    expect(Date.parse(shown.derivedTime.hi) - Date.parse(shown.derivedTime.lo)).toBeLessThan(31);
    expect(Math.abs(Date.parse(shown.derivedTime.lo) - real)).toBeLessThan(10_000);
    expect((await run('NLD', ['show', foreign.id])).stdout).toMatch(/^time here: between \S+ and \S+ \(from DEU's clock samples\)$/m);
    const instant = new Date(own.record.time.hlc.l).toISOString();
    expect((await ok('NLD', ['show', own.id])).derivedTime).toEqual({ lo: instant, hi: instant });
    expect((await run('NLD', ['show', own.id])).stdout).toMatch(new RegExp(`^time here: ${instant.replace(/\./g, '\\.')}$`, 'm'));

    // DEU holds no sample of NLD's clock: unknown, said as such.
    expect((await run('DEU', ['time', 'offsets'])).stdout).toBe('NLD: their clock minus ours unknown (no sample); 0 sample(s); drift bound 50 ppm');
  });

  it('refuses a partner that is not a mesh code, and a home without a mesh', async () => {
    await ok('DEU', ['mesh', 'init', '--mesh', 'DEU', '--insecure-keys']);
    const bad = await run('DEU', ['time', 'offsets', '--partner', 'not a mesh', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).toMatch(/--partner is a mesh code/);
    const empty = await run('EMPTY', ['time', 'offsets', '--json']);
    expect(empty.code).not.toBe(0);
  });
});
