/**
 * Events for changes another process makes: the real `entente` command, run in a child process
 * on the home an open core holds, and the core publishing each part's event within about two
 * seconds, saying what changed.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, startCli } from '../test-support/built-cli.js';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import type { EventName } from './contract/index.js';
import { openCore, type Core } from './open-core.js';

beforeAll(() => ensureBuilt(), 300_000);

let dir: TempDir;
let core: Core;
let heard: { event: EventName; payload: unknown }[];
beforeEach(() => {
  dir = makeTempDir('entente-core-changes-');
  core = openCore(dir.file('deu'));
  heard = [];
  core.events.subscribe((event, payload) => heard.push({ event, payload }));
});
afterEach(() => {
  core.close();
  dir.remove();
});

async function cli(args: string[], stdin?: string): Promise<string> {
  const { child, finished } = startCli(args);
  if (stdin !== undefined) child.stdin.end(stdin);
  const done = await finished;
  if (done.code !== 0) throw new Error(`entente ${args.join(' ')} exited ${done.code}: ${done.stderr}`);
  return done.stdout;
}

/** The first event of that name heard since the mark (taken before the change), within the deadline. */
async function next(event: EventName, since: number, ms = 2000): Promise<unknown> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = heard.slice(since).find((h) => h.event === event);
    if (found) return found.payload;
    if (Date.now() > deadline) throw new Error(`no ${event} within ${ms} ms; heard ${JSON.stringify(heard.slice(since))}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('an open core hears what another process changes on its home', () => {
  it('publishes each part’s event for the CLI’s mesh init, enrolment, observation, checkpoint and federation import', async () => {
    const home = dir.file('deu');
    let mark = heard.length;
    await cli(['mesh', 'init', '--home', home, '--mesh', 'DEU', '--insecure-keys']);
    expect(await next('meshChanged', mark)).toEqual({ mesh: 'DEU', principals: 0, revocations: 0 });

    mark = heard.length;
    await cli(['device', 'enroll', '--home', home, '--device', 'uav-7']);
    expect(await next('meshChanged', mark)).toEqual({ mesh: 'DEU', principals: 1, revocations: 0 });

    writeFileSync(dir.file('label.json'), JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [], createdAt: '2026-11-23T08:00:00Z' }));
    mark = heard.length;
    const observed = JSON.parse(await cli(['observe', '--home', home, '--device', 'uav-7', '--class', 'track', '--subject', 'track:4711', '--label', dir.file('label.json'), '--json'], '{"lat":52.1}')) as { id: string };
    expect(await next('observationsAdmitted', mark)).toEqual({ admitted: 1, total: 1, newest: [observed.id] });

    mark = heard.length;
    await cli(['audit', 'checkpoint', '--home', home]);
    const appended = (await next('auditAppended', mark)) as { entries: number; lastCheckpointSize: number };
    const state = await core.call('getAuditLogState', {});
    expect(state).toMatchObject({ ok: true, value: { entries: appended.entries, lastCheckpoint: { size: appended.lastCheckpointSize } } });
    expect(appended.lastCheckpointSize).toBeGreaterThan(0);

    // A federation NLD proposes, carried to this home as a file and imported here.
    const nld = dir.file('nld');
    await cli(['mesh', 'init', '--home', nld, '--mesh', 'NLD', '--insecure-keys']);
    await cli(['mesh', 'card', '--home', home, '--out', dir.file('deu.card.json')]);
    const { id } = JSON.parse(
      await cli(['federation', 'propose', '--home', nld, '--partner', dir.file('deu.card.json'), '--purpose', 'Exercise', '--classes', 'track', '--ceiling', 'SECRET', '--expires', '2099-01-31T00:00:00Z', '--exit', 'purge', '--json']),
    ) as { id: string };
    await cli(['federation', 'export', '--home', nld, '--id', id, '--out', dir.file('f.json')]);
    mark = heard.length;
    await cli(['federation', 'import', '--home', home, dir.file('f.json')]);
    expect(await next('federationsChanged', mark)).toEqual({ federations: [id] });
  });

  it('publishes nothing for a process that only reads the home', async () => {
    const home = dir.file('deu');
    await cli(['mesh', 'init', '--home', home, '--mesh', 'DEU', '--insecure-keys']);
    // Mesh init writes the mesh and its log's first entry: both heard, then nothing more.
    await next('meshChanged', 0);
    await next('auditAppended', 0);
    const mark = heard.length;
    await cli(['status', '--home', home]);
    await cli(['device', 'list', '--home', home]);
    await cli(['audit', 'verify', '--home', home]);
    // Two polls' worth of quiet: a reader commits no change, so no mark moves.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(heard.slice(mark)).toEqual([]);
  });

  it('stops watching when the core closes: nothing heard after, and no poll of the closed store', async () => {
    const warnings: string[] = [];
    // What a poll of the closed store would report (the still-open core reports the same way).
    const onWarning = (warning: Error) => warning.name === 'EntenteChangeWarning' && warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const second = openCore(dir.file('deu'));
      const late: unknown[] = [];
      second.events.subscribe((event) => late.push(event));
      second.close();
      const mark = heard.length;
      expect((await runCli(['mesh', 'init', '--home', dir.file('deu'), '--mesh', 'DEU', '--insecure-keys'])).code).toBe(0);
      // The core still open hears it, so the one closed had every chance to.
      await next('meshChanged', mark);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(late).toEqual([]);
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
