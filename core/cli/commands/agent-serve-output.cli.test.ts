/**
 * `agent serve`'s text output with a watching partner: one block per round that moved something,
 * the idle rounds (the link's heartbeat, every 2 s) not one by one but summed up in a line at most
 * once a minute and on exit, with their count per partner. And the serving home's own clock
 * samples of its client after one sync, as `time offsets` shows them; `--frames 1` leaves none.
 */
import { describe, expect, it } from 'vitest';
import { useCliSession, type Json } from '../../test-support/cli-session.js';
import type { SyncReport } from '../../app/links/service.js';
import { IDLE_SUMMARY_MS, IdleRounds } from './agent-link.js';

const { ok, run, start, label, federateByReadme } = useCliSession('entente-serve-output-', 'serve output test');

const idleOf = (partner: string) => ({ partner, idle: true }) as SyncReport;

describe('the idle rounds summed up', () => {
  it('at most once a minute, per partner, and what is left on exit', () => {
    let now = 1_000_000;
    const idle = new IdleRounds(() => now);
    for (let i = 0; i < 29; i++) {
      now += 2_000;
      expect(idle.note(idleOf(i % 3 === 0 ? 'FRA' : 'NLD'))).toBeNull();
    }
    now = 1_000_000 + IDLE_SUMMARY_MS;
    expect(idle.note(idleOf('NLD'))).toBe('30 idle round(s) in the last 60 s (10 with FRA, 20 with NLD): the sets agreed, nothing moved.');
    // The minute starts again from the summary: nothing more until the next one.
    now += 30_000;
    expect(idle.note(idleOf('NLD'))).toBeNull();
    now += 5_000;
    expect(idle.flush()).toBe('1 idle round(s) in the last 35 s (1 with NLD): the sets agreed, nothing moved.');
    expect(idle.flush()).toBeNull();
  });
});

describe('agent serve with a watching partner, as text', () => {
  it('prints the rounds that moved something, and the idle ones as one count on exit', { timeout: 120_000 }, async () => {
    await federateByReadme();
    for (const code of ['DEU', 'NLD']) await ok(code, ['device', 'enroll', '--device', 'sensor-1']);
    const server = start('NLD', ['agent', 'serve', '--port', '0'], { json: false });
    await expect.poll(() => server.lines().find((l) => l.startsWith('Listening'))).toBeDefined();
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(server.lines()[0]!)![1]);

    const watch = start('DEU', ['agent', 'sync', '--peer', `127.0.0.1:${port}`, '--watch']);
    const syncs = () => watch.events().filter((e: Json) => e.event === 'sync');
    await expect.poll(() => syncs().filter((e: Json) => e.idle).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    // Published on the serving home: its nudge starts a round that moves it, printed on both sides.
    await ok('NLD', ['observe', '--device', 'sensor-1', '--class', 'track', '--subject', 'track:nl-1', '--label', label('NLD', 'Stg. GEHEIM')], '{"lat":54.1,"lon":12.2}');
    await expect.poll(() => syncs().some((e: Json) => e.received === 1), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => syncs().filter((e: Json) => e.idle).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    watch.stop();
    expect(await watch.exited).toBe(0);
    server.stop();
    expect(await server.exited).toBe(0);

    const moved = syncs().filter((e: Json) => !e.idle).length;
    const idle = syncs().filter((e: Json) => e.idle).length;
    // A round's block is one write of three lines.
    const lines = server.lines().flatMap((l) => l.split('\n'));
    expect(lines[0]).toBe(`Listening for partner agents on 127.0.0.1:${port}. Press Ctrl+C to stop.`);
    // One block per round that moved something (its first line names the outcome), none for an idle one.
    expect(lines.filter((l) => /^(Not converged|Converged) with DEU/.test(l))).toHaveLength(moved);
    expect(lines.filter((l) => l.startsWith('sent '))).toHaveLength(moved);
    // Well under a minute: the only summary is the one on exit, with every idle round the server answered.
    const summaries = lines.filter((l) => l.includes('idle round(s)'));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatch(new RegExp(`^${idle} idle round\\(s\\) in the last \\d+ s \\(${idle} with DEU\\): the sets agreed, nothing moved\\.$`));
    expect(lines.at(-1)).toBe('Stopped.');
    expect(lines.at(-2)).toBe(summaries[0]);
  });
});

describe('time offsets on the serving home', () => {
  it('names the client after one sync; a sync in frame set 1 leaves the server no sample', { timeout: 120_000 }, async () => {
    await federateByReadme();
    const server = start('NLD', ['agent', 'serve', '--port', '0']);
    await expect.poll(() => server.events().find((e) => e.event === 'listening')).toBeDefined();
    const { port } = server.events().find((e) => e.event === 'listening')!;
    const offsets = async () => (await ok('NLD', ['time', 'offsets', '--partner', 'DEU'])).offsets[0] as Json;

    expect((await run('DEU', ['agent', 'sync', '--peer', `127.0.0.1:${port}`, '--frames', '3'])).code).toBe(2);
    expect(await ok('DEU', ['agent', 'sync', '--peer', `127.0.0.1:${port}`, '--frames', '1'])).toMatchObject({ converged: true });
    await expect.poll(() => server.events().filter((e) => e.event === 'sync').length).toBe(1);
    expect(await offsets()).toMatchObject({ partner: 'DEU', samples: [], ageMs: null });

    const synced = await ok('DEU', ['agent', 'sync', '--peer', `127.0.0.1:${port}`]);
    await expect.poll(() => server.events().filter((e) => e.event === 'sync').length).toBe(2);
    const offset = await offsets();
    expect(offset.samples).toHaveLength(synced.rounds);
    expect(offset.samples[0]).toMatchObject({ kind: 'link' });
    // One workstation: DEU's clock minus NLD's is about nothing, the interval the loopback's round trip wide.
    expect(offset.interval.lo).toBeGreaterThan(-1_000);
    expect(offset.interval.hi).toBeLessThan(1_000);
    const text = (await run('NLD', ['time', 'offsets', '--partner', 'DEU'])).stdout;
    expect(text).toMatch(new RegExp(`^DEU: their clock minus ours .+; ${synced.rounds} sample\\(s\\), newest .+ old`));
    server.stop();
    expect(await server.exited).toBe(0);
  });
});
