/**
 * Live links as a user meets them (issue 14, "Done when"): two mesh homes keep a link on
 * 127.0.0.1 with the command line alone — the README's "Live links" walkthrough, command for
 * command: `agent serve` on one home, `agent sync` from the other, both ways, converging with
 * equal signed digests after each published while apart; `agent status`; an operator's
 * `agent disconnect` refusing syncs until `agent connect`.
 */
import { describe, expect, it } from 'vitest';
import { useCliSession, type Json } from '../../test-support/cli-session.js';

const { run, ok, start, label, federateByReadme } = useCliSession('entente-link-cli-', 'link cli test');

async function observe(home: string, policy: string, classification: string, subject: string): Promise<string> {
  return (await ok(home, ['observe', '--device', 'sensor-1', '--class', 'track', '--subject', subject, '--label', label(policy, classification)], '{"lat":54.1,"lon":12.2}')).id as string;
}

/** The README's setup before the live link: two meshes, an active federation, agents cross-certified, markings attested. */
async function federated(): Promise<string> {
  const id = await federateByReadme();
  for (const code of ['DEU', 'NLD']) await ok(code, ['device', 'enroll', '--device', 'sensor-1']);
  return id;
}

describe('live links from the command line', () => {
  it('serve, sync both ways, status, disconnect and connect: the README walkthrough', { timeout: 120_000 }, async () => {
    const id = await federated();
    // Each publishes while apart.
    const german = [await observe('DEU', 'DEU', 'GEHEIM', 'track:4711'), await observe('DEU', 'DEU', 'VS-VERTRAULICH', 'track:4712')];
    const dutch = await observe('NLD', 'NLD', 'Stg. GEHEIM', 'track:nl-1');
    await observe('DEU', 'DEU', 'STRENG GEHEIM', 'track:cosmic'); // above the SECRET ceiling: never offered

    // npx entente agent serve --home /tmp/nld --port 7400   (here: port 0, the one it prints)
    const server = start('NLD', ['agent', 'serve', '--port', '0']);
    await expect.poll(() => server.events().find((e) => e.event === 'listening')).toBeDefined();
    const { port } = server.events().find((e) => e.event === 'listening')!;
    expect(port).toBeGreaterThan(0);

    // npx entente agent sync --home /tmp/deu --peer 127.0.0.1:7400
    const synced = await ok('DEU', ['agent', 'sync', '--peer', `127.0.0.1:${port}`]);
    expect(synced).toMatchObject({ ok: true, partner: 'NLD', federation: id, converged: true, sent: 2, received: 1, admitted: 1, refused: 0, quarantined: 0, count: 3, peerCount: 3 });
    expect(synced.digest).toBe(synced.peerDigest);
    expect(synced.bytes.out).toBeGreaterThan(0);
    await expect.poll(() => server.events().find((e) => e.event === 'sync')).toMatchObject({ partner: 'DEU', converged: true, admitted: 2, digest: synced.digest });
    expect((await ok('NLD', ['show', german[0]!])).foreign).toMatchObject({ origin: 'DEU', agent: 'DEU:gw-1' });
    expect((await ok('DEU', ['show', dutch])).foreign).toMatchObject({ origin: 'NLD', alternativeLabel: { policy: { id: 'DEU' }, classification: 'GEHEIM' } });

    // A second sync has nothing to carry.
    expect(await ok('DEU', ['agent', 'sync', '--peer', `127.0.0.1:${port}`])).toMatchObject({ converged: true, sent: 0, received: 0, rounds: 1 });
    const text = (await run('DEU', ['agent', 'sync', '--peer', `127.0.0.1:${port}`])).stdout;
    expect(text).toContain(`Converged with NLD under ${id} v1: 3 item(s) here, 3 there, digest ${synced.digest}`);

    // npx entente agent status --home /tmp/deu
    expect((await ok('DEU', ['agent', 'status'])).links).toMatchObject([{ partner: 'NLD', federation: id, state: 'up', backlog: { out: 0, in: 0 } }]);

    // npx entente agent disconnect --home /tmp/nld --partner DEU: NLD refuses syncs until it reconnects.
    expect(await ok('NLD', ['agent', 'disconnect', '--partner', 'DEU'])).toMatchObject({ partner: 'DEU', federation: id, state: 'intentionally-disconnected' });
    expect((await ok('NLD', ['agent', 'status'])).links).toMatchObject([{ partner: 'DEU', state: 'intentionally-disconnected' }]);
    const refused = await run('DEU', ['agent', 'sync', '--peer', `127.0.0.1:${port}`, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, failures: [{ reason: 'link-disconnected' }] });
    await ok('NLD', ['agent', 'connect', '--partner', 'DEU']);
    await observe('NLD', 'NLD', 'Stg. GEHEIM', 'track:nl-2');
    expect(await ok('DEU', ['agent', 'sync', '--peer', `127.0.0.1:${port}`])).toMatchObject({ converged: true, received: 1, count: 4 });

    // npx entente agent sync --home /tmp/deu --peer 127.0.0.1:7400 --watch: re-syncs until stopped, picking up what arrives.
    const watch = start('DEU', ['agent', 'sync', '--peer', `127.0.0.1:${port}`, '--watch']);
    await expect.poll(() => watch.events().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const late = await observe('NLD', 'NLD', 'Stg. GEHEIM', 'track:nl-3');
    await expect.poll(() => watch.events().some((e: Json) => e.event === 'sync' && e.received === 1), { timeout: 15_000 }).toBe(true);
    expect((await ok('DEU', ['show', late])).foreign).toMatchObject({ origin: 'NLD' });
    // All of it over one link: every round so far carries the one session its single handshake opened.
    await expect.poll(() => watch.events().filter((e: Json) => e.event === 'sync').length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    const rounds = watch.events().filter((e: Json) => e.event === 'sync');
    expect(new Set(rounds.map((e: Json) => e.session)).size).toBe(1);
    expect(rounds.map((e: Json) => e.round)).toEqual(rounds.map((_: Json, i: number) => i + 1));
    expect(rounds.some((e: Json) => e.idle === true)).toBe(true);
    expect(watch.events().filter((e: Json) => e.event === 'state').map((e: Json) => e.state)).toEqual(['up']);

    // Kill the server: the watch reports the link lost; start it again on the same port: up again, on a new session.
    server.stop();
    expect(await server.exited).toBe(0);
    expect(server.events().at(-1)).toMatchObject({ event: 'stopped' });
    await expect.poll(() => watch.events().some((e: Json) => e.event === 'state' && e.state === 'lost'), { timeout: 15_000 }).toBe(true);
    const again = start('NLD', ['agent', 'serve', '--port', String(port)]);
    await expect.poll(() => watch.events().filter((e: Json) => e.event === 'state' && e.state === 'up').length, { timeout: 20_000 }).toBe(2);
    const afterCut = await observe('NLD', 'NLD', 'Stg. GEHEIM', 'track:nl-4');
    await expect.poll(async () => (await run('DEU', ['show', afterCut, '--json'])).code, { timeout: 15_000 }).toBe(0);
    watch.stop();
    expect(await watch.exited).toBe(0);
    again.stop();
    expect(await again.exited).toBe(0);
    expect((await ok('DEU', ['audit', 'verify'])).ok).toBe(true);
    expect((await ok('NLD', ['audit', 'verify'])).ok).toBe(true);
  });
});
