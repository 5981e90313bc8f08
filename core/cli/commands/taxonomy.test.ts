/** `entente taxonomy …` on real homes: a vocabulary defined from a file goes on the card, attestations are signed and listed, bad input refused by name. */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import type { CliIo } from '../command.js';
import { main } from '../main.js';

let dir: TempDir;
beforeEach(() => (dir = makeTempDir('entente-taxonomy-cli-')));
afterEach(() => dir.remove());

async function run(home: string, argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env: { ENTENTE_PASSPHRASE: 'taxonomy cli test' }, untilStopped: () => Promise.resolve(), readStdin: () => Promise.resolve('') };
  const code = await main([...argv, '--home', dir.file(home)], io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n'), json: () => JSON.parse(stdout.join('\n')) as Record<string, unknown> };
}

describe('entente taxonomy', () => {
  it('defines a vocabulary onto the card, attests terms for a federation, and lists them', async () => {
    for (const code of ['DEU', 'NLD']) await run(code, ['mesh', 'init', '--mesh', code]);
    writeFileSync(dir.file('units.json'), JSON.stringify({ name: 'unit-types', pivot: 'APP-6', field: 'unitType', terms: [{ term: 'Panzergrenadiere', sidc: 'SFGPUCIZ-------' }] }));
    expect((await run('DEU', ['taxonomy', 'define', '--file', dir.file('units.json'), '--json'])).json()).toMatchObject({ ok: true, name: 'unit-types', terms: 1, changed: true });
    const shown = (await run('DEU', ['taxonomy', 'show', '--json'])).json() as { vocabularies: { name: string }[] };
    expect(shown.vocabularies.map((v) => v.name)).toEqual(['markings', 'unit-types']);
    expect((await run('DEU', ['taxonomy', 'show'])).stdout).toContain('markings (pivot NATO): OFFEN, VS-NUR FÜR DEN DIENSTGEBRAUCH, VS-VERTRAULICH, GEHEIM, STRENG GEHEIM');

    await run('DEU', ['mesh', 'card', '--out', dir.file('DEU.card.json')]);
    await run('NLD', ['mesh', 'card', '--out', dir.file('NLD.card.json')]);
    const card = JSON.parse(readFileSync(dir.file('DEU.card.json'), 'utf8')) as { vocabularies: { name: string }[] };
    expect(card.vocabularies.map((v) => v.name)).toEqual(['markings', 'unit-types']);
    const { id } = (await run('DEU', ['federation', 'propose', '--partner', dir.file('NLD.card.json'), '--purpose', 'Exercise', '--classes', 'track', '--ceiling', 'SECRET', '--expires', '2099-01-31T00:00:00Z', '--exit', 'purge', '--json'])).json() as { id: string };

    const attested = await run('DEU', ['taxonomy', 'attest', '--federation', id, '--vocabulary', 'markings', '--term', 'GEHEIM', '--relation', 'exact', '--pivot-term', 'SECRET', '--json']);
    expect(attested.json()).toMatchObject({ ok: true, federation: id, mesh: 'DEU', term: 'GEHEIM', relation: 'exact', pivot: { vocabulary: 'NATO', term: 'SECRET' }, expires: '2099-01-31T00:00:00.000Z', envelope: { payloadType: 'application/vnd.entente.equivalence+json' } });
    expect((await run('DEU', ['taxonomy', 'attest', '--federation', id, '--vocabulary', 'unit-types', '--term', 'Panzergrenadiere', '--relation', 'close', '--pivot-term', 'SFGPUCI--------', '--json'])).code).toBe(0);
    const listed = (await run('DEU', ['taxonomy', 'list', '--federation', id, '--json'])).json() as { attestations: { id: string; term: string; own: boolean }[] };
    expect(listed.attestations.map((a) => [a.term, a.own])).toEqual([['GEHEIM', true], ['Panzergrenadiere', true]]);
    expect(listed.attestations[0]!.id).toBe((attested.json() as { id: string }).id);
    expect((await run('DEU', ['audit', 'verify', '--json'])).json()).toMatchObject({ ok: true });

    // Refusals, each by name, with exit status 1 (refused) or 2 (usage).
    const unknown = await run('DEU', ['taxonomy', 'attest', '--federation', id, '--vocabulary', 'markings', '--term', 'SECRET DÉFENSE', '--relation', 'exact', '--pivot-term', 'SECRET', '--json']);
    expect([unknown.code, unknown.json()]).toEqual([1, { ok: false, failures: [{ reason: 'unknown-term', message: expect.stringContaining('SECRET DÉFENSE') }] }]);
    expect((await run('DEU', ['taxonomy', 'attest', '--federation', id, '--vocabulary', 'markings', '--term', 'GEHEIM', '--relation', 'related', '--pivot-term', 'SECRET'])).code).toBe(2);
    writeFileSync(dir.file('bad.json'), '{"name":"unit-types","name":"x"}');
    expect((await run('DEU', ['taxonomy', 'define', '--file', dir.file('bad.json'), '--json'])).json()).toMatchObject({ failures: [{ reason: 'malformed-file' }] });
    writeFileSync(dir.file('marks.json'), JSON.stringify({ name: 'markings', pivot: 'NATO', terms: [{ term: 'X' }] }));
    expect((await run('DEU', ['taxonomy', 'define', '--file', dir.file('marks.json'), '--json'])).json()).toMatchObject({ failures: [{ reason: 'markings-derived' }] });
    expect((await run('fresh', ['taxonomy', 'show', '--json'])).json()).toMatchObject({ failures: [{ reason: 'no-mesh' }] });
  });
});
