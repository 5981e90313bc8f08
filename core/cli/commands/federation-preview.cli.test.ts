/**
 * `entente federation preview` as a user meets it: two meshes federated and exchanging through
 * bundles with the command line alone, then a draft with a lower ceiling previewed on DEU — the
 * table beside the version in force, the observation it would hold back, the JSON the console
 * reads — and a draft with an issue refused with its reason.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useCliSession, type Json } from '../../test-support/cli-session.js';

const { file, run, ok, label, crossCertify, exchange, federateAll } = useCliSession('entente-preview-cli-', 'preview cli test');

describe('entente federation preview', () => {
  it('prints what a lowered ceiling would change, beside the version in force, and refuses a draft with an issue', { timeout: 120_000 }, async () => {
    const id = await federateAll(['DEU', 'NLD'], 'north-preview');
    await crossCertify(['DEU', 'NLD'], id);
    await ok('DEU', ['device', 'enroll', '--device', 'sensor-1']);
    const observe = async (classification: string, subject: string) =>
      (await ok('DEU', ['observe', '--device', 'sensor-1', '--class', 'track', '--subject', subject, '--label', label('DEU', classification)], '{"lat":54.1}')).id as string;
    const secret = await observe('GEHEIM', 'track:4711');
    await observe('VS-NUR FÜR DEN DIENSTGEBRAUCH', 'track:4712');
    await exchange('DEU', 'NLD', 'deu-nld-1');

    const declaration = JSON.parse(readFileSync(file(`${id}.json`), 'utf8')) as Json;
    const lowered = { ...declaration, version: 2, scope: (declaration.scope as Json[]).map((r) => ({ ...r, ceiling: { policy: 'NATO', classification: 'CONFIDENTIAL' } })) };
    writeFileSync(file('draft.json'), JSON.stringify(lowered));

    const text = await run('DEU', ['federation', 'preview', '--draft', '@draft.json']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Federation ${id}: draft v2 against v1 in force`);
    expect(text.stdout).toMatch(/would cross\s+2\s+1\s+−1/);
    expect(text.stdout).toMatch(/refused: classified above the ceiling\s+0\s+1\s+\+1/);
    expect(text.stdout).toContain(`track:4711 (track, GEHEIM) to NLD: would cross → refused: classified above the ceiling  [${secret.slice(0, 16)}…]`);

    const { effect } = await ok('DEU', ['federation', 'preview', '--draft', '@draft.json']);
    expect(effect).toMatchObject({ federation: id, draftVersion: 2, inForce: 1, outbound: { observations: 2, changed: 1, changes: [{ observation: secret, draft: { reason: 'above-ceiling' } }] }, inbound: { observations: 0 } });
    // NLD admitted both; under the lowered ceiling it would have refused the SECRET one.
    const { effect: there } = await ok('NLD', ['federation', 'preview', '--draft', '@draft.json']);
    expect(there.inbound).toMatchObject({ observations: 2, changed: 1, changes: [{ observation: secret, origin: 'DEU', partner: 'DEU', inForce: { outcome: 'admitted' }, draft: { outcome: 'refused', reason: 'above-ceiling' } }] });

    writeFileSync(file('bad.json'), JSON.stringify({ ...lowered, purpose: '' }));
    const bad = await run('DEU', ['federation', 'preview', '--draft', '@bad.json', '--json']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/invalid-draft/);
    expect((await run('DEU', ['federation', 'preview'])).stderr).toMatch(/--draft/);
  });
});
