/** `entente federation …` as liaison officers in two and three meshes would run it, carrying files between homes. */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-federation-cli-')));
afterEach(() => dir.remove());

async function run(home: string, argv: string[], env: NodeJS.ProcessEnv = { ENTENTE_PASSPHRASE: 'federation cli test' }) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env, untilStopped: () => Promise.resolve(), readStdin: () => Promise.resolve('') };
  const code = await main([...argv, '--home', dir.file(home)], io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n'), json: () => JSON.parse(stdout.join('\n')) as Record<string, unknown> };
}

async function meshes(...codes: string[]): Promise<void> {
  for (const code of codes) {
    await run(code, ['mesh', 'init', '--mesh', code]);
    await run(code, ['mesh', 'card', '--out', dir.file(`${code}.card.json`)]);
  }
}

const carry = async (from: string, to: string, id: string) => {
  await run(from, ['federation', 'export', '--id', id, '--out', dir.file(`${from}-${id}.json`)]);
  return run(to, ['federation', 'import', dir.file(`${from}-${id}.json`), '--json']);
};

describe('entente federation', () => {
  it('lets two meshes propose, sign, exchange and activate a federation, then withdraw with the exit recorded', async () => {
    await meshes('DEU', 'NLD');
    const proposed = await run('DEU', [
      'federation', 'propose', '--partner', dir.file('NLD.card.json'), '--purpose', 'Exercise BALTIC SHIELD',
      '--classes', 'track,incident', '--ceiling', 'SECRET', '--expires', '2099-01-31T00:00:00Z', '--exit', 'purge', '--json',
    ]);
    const { id } = proposed.json() as { id: string };
    expect(id).toMatch(/^deu-[0-9a-f]{8}$/);
    expect((await carry('DEU', 'NLD', id)).json()).toMatchObject({ state: 'proposed', partners: [{ mesh: 'DEU', signature: 'signed' }, { mesh: 'NLD', signature: 'missing' }] });
    expect((await run('NLD', ['federation', 'sign', '--id', id, '--json'])).json()).toMatchObject({ state: 'active' });
    expect((await run('NLD', ['federation', 'sign', '--id', id, '--json'])).json()).toMatchObject({ failures: [{ reason: 'already-signed' }] });
    expect((await carry('NLD', 'DEU', id)).json()).toMatchObject({ state: 'active' });
    // Reading status needs no key while no exit is due.
    expect((await run('DEU', ['federation', 'status', '--json'], {})).json()).toMatchObject({ federations: [{ id, version: 1, state: 'active', partners: [{ signature: 'signed' }, { signature: 'signed' }] }] });

    expect((await run('NLD', ['federation', 'withdraw', '--id', id, '--reason', 'Exercise ended', '--json'])).json()).toMatchObject({ state: 'exited' });
    expect((await carry('NLD', 'DEU', id)).json()).toMatchObject({ state: 'exited', partners: [{ withdrawn: false }, { withdrawn: true }] });
    expect((await run('DEU', ['audit', 'verify', '--json'])).json()).toMatchObject({ ok: true });
    await run('DEU', ['audit', 'export', '--format', 'json', '--federation', id, '--out', dir.file('log.json')]);
    const types = (JSON.parse(readFileSync(dir.file('log.json'), 'utf8')) as { entries: { type: string; why: { reasons: string[] } }[] }).entries.map((e) => `${e.type}:${e.why.reasons[0]}`);
    expect(types).toEqual(['federation:proposed', 'federation:imported', 'federation:activated', 'federation:imported', 'federation:partner-withdrew', 'purge:federation-withdrawn']);
  });

  it('lets three meshes activate one federation, each signature carried from home to home', async () => {
    await meshes('DEU', 'NLD', 'POL');
    const { id } = (await run('POL', ['federation', 'propose', '--partner', dir.file('DEU.card.json'), '--partner', dir.file('NLD.card.json'), '--purpose', 'Three-nation logistics picture', '--classes', 'logistics', '--ceiling', 'CONFIDENTIAL', '--expires', '2099-01-31T00:00:00Z', '--exit', 'retain', '--json'])).json() as { id: string };
    await carry('POL', 'DEU', id);
    expect((await run('DEU', ['federation', 'sign', '--id', id, '--json'])).json()).toMatchObject({ state: 'proposed' });
    await carry('DEU', 'NLD', id);
    expect((await run('NLD', ['federation', 'sign', '--id', id, '--json'])).json()).toMatchObject({ state: 'active' });
    for (const home of ['POL', 'DEU']) expect((await carry('NLD', home, id)).json()).toMatchObject({ state: 'active', partners: [{ signature: 'signed' }, { signature: 'signed' }, { signature: 'signed' }] });
  });

  it('refuses bad files and wrong usage with reasons', async () => {
    await meshes('DEU', 'NLD', 'POL');
    writeFileSync(dir.file('broken.json'), '{"type": "entente.federation-exchange/v1", "declaration": ');
    const broken = await run('NLD', ['federation', 'import', dir.file('broken.json'), '--json']);
    expect(broken.code).toBe(1);
    expect(broken.json()).toMatchObject({ failures: [{ reason: 'malformed-file' }] });
    const past = await run('DEU', ['federation', 'propose', '--partner', dir.file('NLD.card.json'), '--purpose', 'p', '--classes', 'track', '--ceiling', 'SECRET', '--expires', '2020-01-01T00:00:00Z', '--exit', 'purge', '--json']);
    expect(past.json()).toMatchObject({ failures: [{ reason: 'expired-declaration' }] });
    const unknown = await run('DEU', ['federation', 'propose', '--partner', dir.file('NLD.card.json'), '--purpose', 'p', '--classes', 'weather', '--ceiling', 'SECRET', '--expires', '2099-01-01T00:00:00Z', '--exit', 'purge', '--json']);
    expect(unknown.json()).toMatchObject({ failures: [{ reason: 'unknown-class' }] });
    expect((await run('DEU', ['federation', 'propose', '--purpose', 'p'])).code).toBe(2);
    expect((await run('DEU', ['federation', 'sign', '--id', 'NOPE'])).code).toBe(2);
    expect((await run('DEU', ['federation', 'sign', '--id', 'deu-unknown', '--json'])).json()).toMatchObject({ failures: [{ reason: 'unknown-federation' }] });

    // A federation between DEU and NLD is none of POL's business.
    const { id } = (await run('DEU', ['federation', 'propose', '--partner', dir.file('NLD.card.json'), '--purpose', 'p', '--classes', 'track', '--ceiling', 'SECRET', '--expires', '2099-01-01T00:00:00Z', '--exit', 'purge', '--json'])).json() as { id: string };
    expect((await carry('DEU', 'POL', id)).json()).toMatchObject({ failures: [{ reason: 'not-a-partner' }] });
  });
});
