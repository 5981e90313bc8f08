/**
 * Three mesh homes keeping live links with the built command alone (issue 14, "Done when"): NLD
 * serves two partners, DEU and FRA each sync with it, and each sync ends with equal signed
 * digests. What NLD passes on from one partner to the other follows the onward-release rule each
 * item came under: DEU's tracks may go further, DEU's incidents and FRA's tracks may not. One of
 * NLD's two links disconnected on purpose leaves the other up, and converges again once
 * reconnected. DEU and FRA then link directly, what NLD relayed already held on both sides, and
 * every link is up on `agent status`.
 * The homes are set up through the command in this process (as the crossing CLI test does); the
 * links run as real `entente` processes, as a user's shells would.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../test-support/built-cli.js';
import { useCliSession, type Json } from '../../test-support/cli-session.js';

beforeAll(() => ensureBuilt(), 300_000);

const { ok, run, built, label, crossCertify, federateAll } = useCliSession('entente-link-three-cli-', 'link three cli test');

const LEVEL: Record<string, string> = { DEU: 'GEHEIM', NLD: 'Stg. GEHEIM', FRA: 'SECRET' };

async function observe(home: string, subject: string, cls = 'track'): Promise<string> {
  return (await ok(home, ['observe', '--device', 'sensor-1', '--class', cls, '--subject', subject, '--label', label(home, LEVEL[home]!)], '{"lat":54.1,"lon":12.2}')).id as string;
}

/** `agent serve --port 0` in its own process, once it says where it listens. */
async function serving(home: string) {
  const server = built.start(home, ['agent', 'serve', '--port', '0']);
  await expect.poll(() => server.events().find((e) => e.event === 'listening'), { timeout: 20_000 }).toBeDefined();
  return { ...server, peer: `127.0.0.1:${server.events().find((e) => e.event === 'listening')!.port as number}` };
}

/** One `agent sync` in its own process: it converged, and the two signed digests are equal. */
async function synced(home: string, peer: string): Promise<Json> {
  const report = await built.ok(home, ['agent', 'sync', '--peer', peer]);
  expect(report).toMatchObject({ converged: true, refused: 0, quarantined: 0 });
  expect(report.digest).toBe(report.peerDigest);
  expect(report.count).toBe(report.peerCount);
  return report;
}

const foreign = async (home: string, id: string) => (await ok(home, ['show', id])).foreign as Json;
const holds = async (home: string, id: string) => (await run(home, ['show', id, '--json'])).code === 0;

describe('live links among three meshes from the command line', () => {
  it('NLD serves DEU and FRA, every sync converges with equal signed digests, relays follow the onward-release rule', { timeout: 240_000 }, async () => {
    const codes = ['DEU', 'NLD', 'FRA'];
    // Every pair may exchange tracks and incidents up to NATO SECRET; only DEU's tracks may be passed on by NLD.
    const rule = (from: string, to: string, classes: string[], onwardRelease: string) => ({ from, to, classes, ceiling: { policy: 'NATO', classification: 'SECRET' }, caveats: ['EXERCISE ONLY'], onwardRelease });
    const scope = codes.flatMap((from) =>
      codes.filter((to) => to !== from).flatMap((to) => (from === 'DEU' && to === 'NLD' ? [rule(from, to, ['track'], 'permitted'), rule(from, to, ['incident'], 'forbidden')] : [rule(from, to, ['track', 'incident'], 'forbidden')])),
    );
    const id = await federateAll(codes, 'tri-link', { scope });
    await crossCertify(codes, id);
    for (const code of codes) await ok(code, ['device', 'enroll', '--device', 'sensor-1']);

    const track = await observe('DEU', 'track:d1');
    const incident = await observe('DEU', 'incident:d1', 'incident');
    const dutch = await observe('NLD', 'track:n1');
    const french = await observe('FRA', 'track:f1');

    // npx entente agent serve --home /tmp/nld --port 7400: one listener, both partners.
    const nld = await serving('NLD');
    expect(await synced('DEU', nld.peer)).toMatchObject({ partner: 'NLD', federation: id, sent: 2, received: 1, admitted: 1, count: 3 });
    // FRA gets NLD's own track and DEU's track relayed (permitted onward), not DEU's incident (forbidden).
    expect(await synced('FRA', nld.peer)).toMatchObject({ partner: 'NLD', sent: 1, received: 2, admitted: 2, count: 3 });
    expect(await foreign('FRA', track)).toMatchObject({ origin: 'DEU', partner: 'NLD', agent: 'NLD:gw-1' });
    expect(await foreign('FRA', dutch)).toMatchObject({ origin: 'NLD', partner: 'NLD' });
    expect(await holds('FRA', incident)).toBe(false);
    // What FRA gave NLD came under a forbidden onward release: NLD never offers it to DEU.
    expect(await synced('DEU', nld.peer)).toMatchObject({ sent: 0, received: 0, count: 3 });
    expect(await holds('DEU', french)).toBe(false);
    const served = () => nld.events().filter((e) => e.event === 'sync').map((e) => [e.partner, e.converged, e.digest === e.peerDigest]);
    await expect.poll(served, { timeout: 10_000 }).toEqual([
      ['DEU', true, true],
      ['FRA', true, true],
      ['DEU', true, true],
    ]);

    // NLD disconnects FRA on purpose: its other link stays up; FRA publishes while apart and converges once reconnected.
    await built.ok('NLD', ['agent', 'disconnect', '--partner', 'FRA']);
    expect(((await built.ok('NLD', ['agent', 'status'])).links as Json[]).map((l) => [l.partner, l.state]).sort()).toEqual([['DEU', 'up'], ['FRA', 'intentionally-disconnected']]);
    const refused = await built.run('FRA', ['agent', 'sync', '--peer', nld.peer, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, failures: [{ reason: 'link-disconnected' }] });
    const apart = await observe('FRA', 'track:f2');
    await built.ok('NLD', ['agent', 'connect', '--partner', 'FRA']);
    expect(await synced('FRA', nld.peer)).toMatchObject({ sent: 1, received: 0, count: 4 });
    expect(await foreign('NLD', apart)).toMatchObject({ origin: 'FRA' });
    await expect.poll(() => served().at(-1), { timeout: 10_000 }).toEqual(['FRA', true, true]);
    expect(nld.events().filter((e) => e.event === 'refused').map((e) => e.reason)).toEqual(['link-disconnected']);

    // DEU and FRA link directly: DEU's incident is DEU's to give, FRA's tracks FRA's; the track NLD relayed is held already.
    const fra = await serving('FRA');
    const direct = await synced('DEU', fra.peer);
    expect(direct).toMatchObject({ partner: 'FRA', received: 2, admitted: 2, duplicate: 0, peerCounts: { admitted: 1, duplicate: 1 } });
    expect(await foreign('FRA', incident)).toMatchObject({ origin: 'DEU', partner: 'DEU' });
    expect(await foreign('DEU', french)).toMatchObject({ origin: 'FRA', partner: 'FRA' });
    expect(await synced('DEU', fra.peer)).toMatchObject({ sent: 0, received: 0, rounds: 1 });

    // npx entente agent status: a mesh with two partners keeps two links, each up with nothing left behind.
    for (const code of codes) {
      const links = ((await built.ok(code, ['agent', 'status'])).links as Json[]).map((l) => [l.partner, l.state, l.backlog.out, l.backlog.in, l.lastOutcome]).sort();
      expect(links).toEqual(codes.filter((c) => c !== code).sort().map((partner) => [partner, 'up', 0, 0, 'converged']));
    }

    for (const server of [nld, fra]) {
      server.stop();
      expect((await server.exited).code).toBe(0);
      expect(server.events().at(-1)).toMatchObject({ event: 'stopped' });
    }
    for (const code of codes) {
      expect(await ok(code, ['audit', 'verify'])).toMatchObject({ ok: true });
      expect(await ok(code, ['integrity', 'list'])).toMatchObject({ total: 0 });
    }
  });
});
