/**
 * Deciding and what-if from the command line (issue 15), on two real mesh homes: an officer at
 * DEU settles held divergences by `queue decide --merge`, `--reject` and `--escalate` (the last
 * keeps the item open for someone above, and the same decision again is refused as replayed);
 * each decision is an observation signed by the operator and in the log, and crosses to NLD,
 * whose picture converges. Then `entente replay` under draft declarations lists what would have
 * differed — per period (`--from/--to`), for the past decisions under a threshold that would have
 * held nothing, and for one decision alone (`--decision`) — and leaves the store exactly as it was.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../../test-support/built-cli.js';
import { useCliSession, type Json } from '../../test-support/cli-session.js';

const { file, run, ok, label, crossCertify, exchange, federateAll } = useCliSession('entente-reconcile-decide-cli-', 'reconcile decide cli test');
const LEVEL: Record<string, string> = { DEU: 'GEHEIM', NLD: 'Stg. GEHEIM' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function observe(home: string, subject: string, payload: Json): Promise<string> {
  return (await ok(home, ['observe', '--device', 'sensor-1', '--class', 'track', '--subject', subject, '--label', label(home, LEVEL[home]!)], JSON.stringify(payload))).id as string;
}

/** Both meshes' readings of `subject`: DEU's first. */
async function both(subject: string, deu: Json, nld: Json): Promise<{ deu: string; nld: string }> {
  return { deu: await observe('DEU', subject, deu), nld: await observe('NLD', subject, nld) };
}

async function exchangeBothWays(round: string): Promise<void> {
  await exchange('DEU', 'NLD', `deu-nld-${round}`);
  await exchange('NLD', 'DEU', `nld-deu-${round}`);
}

const pictureOf = async (home: string, subject: string) => ((await ok(home, ['picture', '--subject', subject])).picture as Json).items[0] as Json;
const fieldOf = (subject: Json, field: string) => (subject.fields as Json[]).find((f) => f.field === field);
const itemOf = async (subject: string) => (await pictureOf('DEU', subject)).item as string;

/** Everything a replay must leave alone: the picture digest, the whole queue, the log's length. */
async function storeState(home: string) {
  return { digest: ((await ok(home, ['picture'])).picture as Json).digest, queue: await ok(home, ['queue', 'list', '--all']), entries: (await ok(home, ['audit', 'verify'])).entries as number };
}

/** The federation's declaration as proposed, with another arbitration: a draft for `replay --policy`. */
function draft(name: string, arbitration: Json): string {
  const declaration = JSON.parse(readFileSync(file('pair.json'), 'utf8')) as Json;
  writeFileSync(file(`${name}.json`), JSON.stringify({ ...declaration, version: declaration.version + 1, arbitration }));
  return `@${name}.json`;
}

const differencesOf = async (argv: string[]) => ((await ok('DEU', ['replay', ...argv])).replay as Json).differences as Json[];

describe('queue decide and replay from the command line, two meshes', () => {
  it('merges, rejects and escalates held divergences with signed decisions the partner converges on; replays periods and past decisions under drafts without changing anything', { timeout: 240_000 }, async () => {
    const codes = ['DEU', 'NLD'];
    const scope = [['DEU', 'NLD'], ['NLD', 'DEU']].map(([from, to]) => ({ from, to, classes: ['track', 'decision'], ceiling: { policy: 'NATO', classification: 'SECRET' }, caveats: [], onwardRelease: 'forbidden' }));
    const id = await federateAll(codes, 'pair', { scope, arbitration: { policy: 'originator-wins', divergenceThreshold: 0.4 } });
    await crossCertify(codes, id);
    for (const code of codes) await ok(code, ['device', 'enroll', '--device', 'sensor-1']);
    await ok('DEU', ['device', 'enroll', '--role', 'operator', '--device', 'op-weber']);

    // Held (every field in conflict): three items to decide. Below the threshold (one field in four): arbitration settles it.
    const merged = await both('track:1', { kind: 'frigate', speed: 12 }, { kind: 'tanker', speed: 14 });
    const rejected = await both('track:2', { kind: 'frigate' }, { kind: 'ferry' });
    const escalated = await both('track:3', { kind: 'frigate' }, { kind: 'tug' });
    const early = await both('track:4', { lat: 54.1, lon: 12.2, speed: 9, kind: 'frigate' }, { lat: 54.1, lon: 12.2, speed: 9, kind: 'corvette' });
    await exchangeBothWays('1');
    expect((await ok('DEU', ['queue', 'list'])).items).toHaveLength(3);
    expect(fieldOf(await pictureOf('DEU', 'track:4'), 'kind')).toMatchObject({ observation: early.deu, mesh: 'DEU', arbitrated: { why: expect.stringContaining('originator-wins') } });
    // Where a person reads the provenance: the field arbitration settled says why its supplier won; an agreeing one says nothing more.
    const provenance = (await run('DEU', ['picture', '--subject', 'track:4'])).stdout.split('\n');
    expect(provenance.find((l) => l.startsWith('  kind = "frigate"'))).toMatch(/from DEU [0-9a-f]{16}… {2}arbitrated: track:4\.kind: the policy originator-wins picked/);
    expect(provenance.find((l) => l.startsWith('  lat = '))).not.toContain('arbitrated');

    const decide = (subjectItem: string, action: string[]) => ok('DEU', ['queue', 'decide', '--item', subjectItem, ...action, '--reason', 'Boarding team report', '--operator', 'op-weber']);
    const entriesBefore = (await ok('DEU', ['audit', 'verify'])).entries as number;
    const merge = await decide(await itemOf('track:1'), ['--merge', `kind=${merged.nld},speed=${merged.deu}`]);
    expect(merge).toMatchObject({ item: { status: 'decided', decision: merge.decision }, staysHere: [] });
    const one = await pictureOf('DEU', 'track:1');
    expect(one).toMatchObject({ state: 'merged' });
    expect(fieldOf(one, 'kind')).toMatchObject({ value: 'tanker', observation: merged.nld, mesh: 'NLD' });
    expect(fieldOf(one, 'speed')).toMatchObject({ value: 12, observation: merged.deu, mesh: 'DEU' });

    // Reject: settled on neither reading, the field in conflict left out.
    const reject = await decide(await itemOf('track:2'), ['--reject']);
    expect(reject.item).toMatchObject({ status: 'decided', decision: reject.decision });
    const two = await pictureOf('DEU', 'track:2');
    expect(two).toMatchObject({ state: 'merged' });
    expect(fieldOf(two, 'kind')).toBeUndefined();

    // Escalate: the item stays open for someone above, the subject held; the same decision again is a replay.
    const escalatedItem = await itemOf('track:3');
    const escalate = await decide(escalatedItem, ['--escalate']);
    expect(escalate.item).toMatchObject({ status: 'escalated', decision: escalate.decision });
    expect(await pictureOf('DEU', 'track:3')).toMatchObject({ state: 'held', item: escalatedItem });
    const again = await run('DEU', ['queue', 'decide', '--item', escalatedItem, '--escalate', '--reason', 'Still unsure', '--operator', 'op-weber', '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: false, failures: [{ reason: 'decision-replayed' }] });
    expect((await ok('DEU', ['queue', 'list'])).items).toMatchObject([{ id: escalatedItem, status: 'escalated' }]);

    // Each decision is an observation of class decision signed by the operator, verified, and logged.
    for (const [decision, action] of [[merge.decision, 'merge'], [reject.decision, 'reject'], [escalate.decision, 'escalate']] as const) {
      const shown = await ok('DEU', ['show', decision]);
      expect(shown).toMatchObject({ verification: { ok: true }, record: { mesh: 'DEU', class: 'decision', device: { id: 'op-weber' }, payload: { action, reason: 'Boarding team report' } } });
    }
    // Three decisions: each an observation entry and a decision entry (the refused replay wrote nothing).
    expect((await ok('DEU', ['audit', 'verify'])).entries).toBeGreaterThanOrEqual(entriesBefore + 6);

    // The decisions cross like observations: NLD applies them and the pictures meet.
    await exchange('DEU', 'NLD', 'deu-nld-2');
    expect(fieldOf(await pictureOf('NLD', 'track:1'), 'kind')).toMatchObject({ observation: merged.nld });
    expect((await ok('NLD', ['queue', 'show', await itemOf('track:1')])).item).toMatchObject({ status: 'decided', decision: merge.decision });
    expect((await ok('NLD', ['queue', 'show', escalatedItem])).item).toMatchObject({ status: 'escalated' });
    expect(((await ok('NLD', ['picture'])).picture as Json).digest).toBe(((await ok('DEU', ['picture'])).picture as Json).digest);

    // A second period: another contact settled by arbitration.
    await sleep(20);
    const mark = new Date().toISOString();
    await sleep(20);
    const late = await both('track:5', { lat: 50, lon: 1, speed: 4, kind: 'ferry' }, { lat: 50, lon: 1, speed: 4, kind: 'tug' });
    await exchangeBothWays('3');
    const before = await storeState('DEU');

    // Most recent instead of originator: in each period, the later reading (NLD's) would have won.
    const recent = draft('most-recent', { policy: 'most-recent', divergenceThreshold: 0.4 });
    const change = (subject: string, field: string, from: string, to: string) => ({ subject, field, current: { observation: from, state: 'merged' }, replayed: { observation: to, state: 'merged' } });
    // Every field changes its supplier, the agreeing ones too: the picture names which observation supplied each.
    const supplierChanges = (subject: string, from: string, to: string) => ['kind', 'lat', 'lon', 'speed'].map((field) => change(subject, field, from, to));
    expect(await differencesOf(['--policy', recent])).toEqual([...supplierChanges('track:4', early.deu, early.nld), ...supplierChanges('track:5', late.deu, late.nld)]);
    expect(await differencesOf(['--policy', recent, '--to', mark])).toEqual(supplierChanges('track:4', early.deu, early.nld));
    expect(await differencesOf(['--policy', recent, '--from', mark])).toEqual(supplierChanges('track:5', late.deu, late.nld));
    const text = await run('DEU', ['replay', '--policy', recent, '--from', mark]);
    expect(text.stdout).toContain(`track:5 kind: ${late.deu.slice(0, 16)} (merged) → ${late.nld.slice(0, 16)} (merged)`);

    // The past decisions under a threshold that holds nothing: arbitration (originator) would have settled each.
    const lenient = draft('lenient', { policy: 'originator-wins', divergenceThreshold: 1 });
    expect(await differencesOf(['--policy', lenient, '--to', mark])).toEqual([
      change('track:1', 'kind', merged.nld, merged.deu),
      { subject: 'track:2', field: 'kind', current: { observation: null, state: 'merged' }, replayed: { observation: rejected.deu, state: 'merged' } },
      { subject: 'track:3', field: 'kind', current: { observation: null, state: 'held' }, replayed: { observation: escalated.deu, state: 'merged' } },
    ]);
    // One past decision alone (`--decision`): its subject, as known when it was decided.
    expect(await differencesOf(['--policy', lenient, '--decision', merge.decision])).toEqual([change('track:1', 'kind', merged.nld, merged.deu)]);
    expect(await differencesOf(['--policy', recent, '--decision', reject.decision])).toEqual([]);
    const notDecision = await run('DEU', ['replay', '--policy', lenient, '--decision', early.deu, '--json']);
    expect(notDecision.code).toBe(1);
    expect(JSON.parse(notDecision.stdout)).toMatchObject({ ok: false, failures: [{ reason: 'not-a-decision' }] });
    expect((await run('DEU', ['replay', '--policy', lenient, '--decision', 'nope'])).code).toBe(2);
    // The same through the built command, in a process of its own, as a user runs it.
    ensureBuilt();
    const built = await runCli(['replay', '--policy', file('lenient.json'), '--decision', merge.decision, '--home', file('deu'), '--json']);
    expect(built).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(built.stdout) as Json).replay.differences).toEqual([change('track:1', 'kind', merged.nld, merged.deu)]);

    // Nothing written: the same digest, queue and log length.
    expect(await storeState('DEU')).toEqual(before);
  });
});
