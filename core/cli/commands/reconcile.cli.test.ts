/**
 * Reconciliation as a user meets it (issue 15): three mesh homes with the command line alone.
 * Two of them see one contact differently at the same moment; after bundles cross every way the
 * three hold the same picture digest and the same queue item. An officer at one mesh decides it
 * (`queue decide`); the decision crosses as an observation and the partners' pictures converge
 * on it — whatever the order the bundles took.
 */
import { describe, expect, it } from 'vitest';
import { useCliSession, type Json } from '../../test-support/cli-session.js';

const { run, ok, label, crossCertify, exchange, federateAll } = useCliSession('entente-reconcile-3-cli-', 'reconcile cli test');
const LEVEL: Record<string, string> = { DEU: 'GEHEIM', NLD: 'Stg. GEHEIM', FRA: 'SECRET' };

async function observe(home: string, subject: string, payload: Json): Promise<string> {
  return (await ok(home, ['observe', '--device', 'sensor-1', '--class', 'track', '--subject', subject, '--label', label(home, LEVEL[home]!)], JSON.stringify(payload))).id as string;
}

/** Every ordered pair exchanges a bundle, in the order given; `round` names the files. */
async function exchangeAll(pairs: readonly [string, string][], round: string): Promise<void> {
  for (const [from, to] of pairs) await exchange(from, to, `${from}-${to}-${round}`.toLowerCase());
}

const digestOf = async (home: string) => ((await ok(home, ['picture'])).picture as Json).digest as string;

describe('reconciliation from the command line, three meshes', () => {
  it('one digest on every mesh, the divergence held as one queue item, decided at DEU and converged everywhere', { timeout: 240_000 }, async () => {
    const codes = ['DEU', 'NLD', 'FRA'];
    // Decisions cross like observations: the scope lets class `decision` go every way.
    const scope = codes.flatMap((from) => codes.filter((to) => to !== from).map((to) => ({ from, to, classes: ['track', 'decision'], ceiling: { policy: 'NATO', classification: 'SECRET' }, caveats: [], onwardRelease: 'forbidden' })));
    const id = await federateAll(codes, 'tri-picture', { scope, arbitration: { policy: 'originator-wins', divergenceThreshold: 0.4 } });
    await crossCertify(codes, id);
    for (const code of codes) await ok(code, ['device', 'enroll', '--device', 'sensor-1']);

    const frigate = await observe('DEU', 'track:9', { lat: 54.1, kind: 'frigate' });
    const tanker = await observe('NLD', 'track:9', { lat: 54.1, kind: 'tanker' });
    await observe('FRA', 'track:11', { lat: 50, kind: 'ferry' });

    // FRA hears of track:9 from DEU first, NLD from FRA last: a different order on each mesh.
    await exchangeAll([['DEU', 'FRA'], ['NLD', 'DEU'], ['FRA', 'NLD'], ['DEU', 'NLD'], ['NLD', 'FRA'], ['FRA', 'DEU']], '1');
    const digests = await Promise.all(codes.map(digestOf));
    expect(new Set(digests).size).toBe(1);

    const queues = await Promise.all(codes.map(async (code) => (await ok(code, ['queue', 'list'])).items as Json[]));
    for (const items of queues) expect(items).toMatchObject([{ subject: 'track:9', kind: 'divergence', status: 'open' }]);
    const item = queues[0]![0]!.id as string;
    expect(queues.map((items) => items[0]!.id)).toEqual([item, item, item]);
    const shown = await ok('NLD', ['queue', 'show', item]);
    expect(((shown.item as Json).competing as Json[]).map((c) => c.id).sort()).toEqual([frigate, tanker].sort());
    // Each competing payload comes with its originator's display marking (the console's banner rises to it), in the list too.
    const markings = ((shown.item as Json).competing as Json[]).map((c) => c.marking as string);
    expect(markings.some((m) => m.includes('GEHEIM'))).toBe(true);
    expect(((queues[1]![0]!.competing as Json[]).map((c) => c.marking as string)).sort()).toEqual([...markings].sort());
    expect((await run('FRA', ['queue', 'show', item])).stdout).toContain('track:9');

    // An officer at DEU decides for NLD's reading; a wrong operator is refused by name first.
    await ok('DEU', ['device', 'enroll', '--role', 'operator', '--device', 'op-weber']);
    const wrong = await run('DEU', ['queue', 'decide', '--item', item, '--choose', tanker, '--reason', 'Boarding team report', '--operator', 'sensor-1', '--json']);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, failures: [{ reason: 'not-an-operator' }] });
    const decided = await ok('DEU', ['queue', 'decide', '--item', item, '--choose', tanker, '--reason', 'Boarding team report', '--operator', 'op-weber']);
    expect(decided).toMatchObject({ item: { status: 'decided' }, staysHere: [] });
    const picture = (await ok('DEU', ['picture', '--subject', 'track:9'])).picture as Json;
    expect(picture.items[0]).toMatchObject({ state: 'merged' });
    expect((picture.items[0].fields as Json[]).find((f) => f.field === 'kind')).toMatchObject({ observation: tanker, mesh: 'NLD' });

    // The decision crosses like an observation; every mesh converges on it, and a repeat changes nothing.
    await exchangeAll([['DEU', 'NLD'], ['DEU', 'FRA']], '2');
    const after = await Promise.all(codes.map(digestOf));
    expect(new Set(after).size).toBe(1);
    expect(after[0]).not.toBe(digests[0]);
    for (const code of ['NLD', 'FRA']) expect((await ok(code, ['queue', 'show', item])).item).toMatchObject({ status: 'decided' });
    await exchangeAll([['NLD', 'FRA'], ['FRA', 'NLD'], ['NLD', 'DEU'], ['FRA', 'DEU']], '3');
    expect(new Set(await Promise.all(codes.map(digestOf)))).toEqual(new Set([after[0]]));
    for (const code of codes) expect((await ok(code, ['audit', 'verify'])).ok).toBe(true);
  });
});
