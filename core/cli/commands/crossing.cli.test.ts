/**
 * The crossing as a user meets it (issue 13, "Done when"): meshes on one machine exchanging
 * observations through bundle files with the command line alone — two meshes, the walkthrough
 * the README shows, command for command; three meshes with translated markings, FRA's gaps held
 * in quarantine, relays where the onward-release rule permits them; and a partner's revocation
 * with a stated compromise time tainting, across meshes, exactly what was made since.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useCliSession } from '../../test-support/cli-session.js';

const { file, run, ok, observe, crossCertify, exchange, federateAll, federateByReadme } = useCliSession('entente-crossing-cli-', 'crossing cli test');

describe('the crossing from the command line', () => {
  it('two meshes exchange through bundles: admitted, translated, shown as foreign, the receipt back', { timeout: 120_000 }, async () => {
    // The README's two-mesh air-gap exchange, command for command.
    const id = await federateByReadme();
    await ok('DEU', ['device', 'enroll', '--device', 'sensor-1']);

    const secret = await observe('DEU', 'GEHEIM', 'track:4711');
    const restricted = await observe('DEU', 'VS-NUR FÜR DEN DIENSTGEBRAUCH', 'track:4712');
    await observe('DEU', 'STRENG GEHEIM', 'track:cosmic'); // above the SECRET ceiling: never exported

    const { exported, verified, imported, receipt } = await exchange('DEU', 'NLD', 'deu-nld-1');
    expect(exported).toMatchObject({ ok: true, to: 'NLD', observations: 2, agent: 'gw-1', federation: { id, version: 1 } });
    expect(verified).toMatchObject({ ok: true, from: 'DEU', observations: 2, verified: 2, failures: [] });
    expect(imported).toMatchObject({ ok: true, from: 'DEU', agent: 'DEU:gw-1', alreadyImported: false, counts: { admitted: 2, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 }, refusals: [] });
    expect(receipt).toMatchObject({ ok: true, partner: 'NLD', recorded: true, counts: { admitted: 2 } });

    // A foreign fact never looks local: where it came from, how, and under which translation.
    const shown = await ok('NLD', ['show', secret]);
    expect(shown).toMatchObject({
      verification: { ok: true },
      standing: { standing: 'verified' },
      record: { mesh: 'DEU', label: { kind: 'originator', classification: 'GEHEIM' } },
      foreign: {
        origin: 'DEU',
        partner: 'DEU',
        federation: { id, version: 1 },
        agent: 'DEU:gw-1',
        bundle: imported.bundle,
        releaseAuthority: 'DEU mesh authority',
        outcome: 'admitted',
        originatorLabel: { kind: 'originator', policy: { id: 'DEU' }, classification: 'GEHEIM' },
        alternativeLabel: { kind: 'alternative', policy: { id: 'NLD' }, classification: 'Stg. GEHEIM' },
        caveats: [],
        onwardRelease: 'forbidden',
      },
    });
    expect(shown.foreign.attestations.length).toBe(2);
    const text = (await run('NLD', ['show', secret])).stdout;
    expect(text).toContain(`foreign: from DEU under ${id} v1, carried by DEU:gw-1 in bundle ${imported.bundle.slice(0, 16)}…`);
    expect(text).toContain('marking here: NLD Stg. GEHEIM (alternative) beside the originator’s DEU GEHEIM');
    expect((await ok('DEU', ['show', secret])).foreign).toBeNull();
    expect((await ok('NLD', ['show', restricted])).foreign.alternativeLabel).toMatchObject({ classification: 'Dep. VERTROUWELIJK' });

    // Twice changes nothing; the next export starts after what the receipt acknowledged.
    expect(await ok('NLD', ['bundle', 'import', '@deu-nld-1.bundle'])).toMatchObject({ alreadyImported: true, counts: imported.counts });
    expect((await ok('DEU', ['bundle', 'export', '--to', 'NLD', '--out', '@deu-nld-2.bundle'])).observations).toBe(0);

    // The other way: NLD to DEU.
    await ok('NLD', ['device', 'enroll', '--device', 'sensor-1']);
    const dutch = await observe('NLD', 'Stg. CONFIDENTIEEL', 'track:nl-1');
    const back = await exchange('NLD', 'DEU', 'nld-deu-1');
    expect(back.imported.counts).toMatchObject({ admitted: 1 });
    expect((await ok('DEU', ['show', dutch])).foreign).toMatchObject({ origin: 'NLD', alternativeLabel: { policy: { id: 'DEU' }, classification: 'VS-VERTRAULICH' } });

    // A table with one bad statement attests none of it; wrong usage is refused by name.
    writeFileSync(file('bad.markings.json'), JSON.stringify([{ term: 'Stg. GEHEIM', relation: 'exact', pivot: 'SECRET' }, { term: 'NOT A LEVEL', relation: 'exact', pivot: 'SECRET' }]));
    const attestations = (await ok('NLD', ['taxonomy', 'list', '--federation', id])).attestations.length;
    const bad = await run('NLD', ['taxonomy', 'attest', '--federation', id, '--file', '@bad.markings.json', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, failures: [{ reason: 'unknown-term', message: expect.stringMatching(/^Statement 2: "NOT A LEVEL"/) }] });
    expect((await ok('NLD', ['taxonomy', 'list', '--federation', id])).attestations).toHaveLength(attestations);
    writeFileSync(file('shape.json'), JSON.stringify([{ term: 'X', relation: 'same', pivot: 'SECRET' }]));
    expect(JSON.parse((await run('NLD', ['taxonomy', 'attest', '--federation', id, '--file', '@shape.json', '--json'])).stdout)).toMatchObject({ failures: [{ reason: 'malformed-file' }] });
    expect((await run('NLD', ['taxonomy', 'attest', '--federation', id, '--file', '@shape.json', '--term', 'X'])).code).toBe(2);
    expect((await run('NLD', ['device', 'revoke', '--device', 'sensor-1', '--compromised-at', 'yesterday'])).code).toBe(2);
    const future = await run('NLD', ['device', 'revoke', '--device', 'sensor-1', '--compromised-at', '2999-01-01T00:00:00Z', '--json']);
    expect(JSON.parse(future.stdout)).toMatchObject({ ok: false, failures: [{ reason: 'compromise-in-future' }] });

    expect(await ok('NLD', ['integrity', 'list'])).toEqual({ ok: true, total: 0, events: [] });
    for (const code of ['DEU', 'NLD']) {
      expect(await ok(code, ['verify'])).toMatchObject({ failed: 0 });
      expect(await ok(code, ['audit', 'verify'])).toMatchObject({ ok: true });
    }
  });

  it('three meshes: each pair exchanges, FRA holds its gaps in quarantine, NLD relays only what onward release permits, and DEU’s revocation taints across meshes', { timeout: 180_000 }, async () => {
    const codes = ['DEU', 'NLD', 'FRA'];
    // Every pair may exchange tracks and incidents up to NATO SECRET; only DEU's tracks may be passed on by NLD.
    const rule = (from: string, to: string, classes: string[], onwardRelease: string) => ({ from, to, classes, ceiling: { policy: 'NATO', classification: 'SECRET' }, caveats: ['EXERCISE ONLY'], onwardRelease });
    const scope = codes.flatMap((from) =>
      codes.filter((to) => to !== from).flatMap((to) => (from === 'DEU' && to === 'NLD' ? [rule(from, to, ['track'], 'permitted'), rule(from, to, ['incident'], 'forbidden')] : [rule(from, to, ['track', 'incident'], 'forbidden')])),
    );
    const id = await federateAll(codes, 'tri-shield', { purpose: 'Exercise TRI SHIELD', scope });
    await crossCertify(codes, id);
    await ok('DEU', ['device', 'enroll', '--device', 'sensor-1']);
    await ok('NLD', ['device', 'enroll', '--device', 'sensor-1']);

    const before = await observe('DEU', 'GEHEIM', 'track:1');
    const incident = await observe('DEU', 'GEHEIM', 'incident:1', [], 'incident');
    const confidential = await observe('DEU', 'VS-VERTRAULICH', 'track:2'); // NATO CONFIDENTIAL: France has no such level
    // The key is compromised from the next full second (a CRL states times to the second).
    const compromisedAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 1000);
    while (Date.now() < compromisedAt.getTime() + 10) await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await observe('DEU', 'GEHEIM', 'track:3');

    const deuNld = await exchange('DEU', 'NLD', 'deu-nld-1');
    expect(deuNld.imported.counts).toEqual({ admitted: 4, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 });
    // NLD fuses DEU's latest track into its own observation.
    const fused = await observe('NLD', 'Stg. GEHEIM', 'track:fused', ['--derived-from', after, '--fn', 'fuse@1']);

    // NLD to FRA: its own fused track, and DEU's tracks relayed (onward release permitted), not DEU's incident (forbidden).
    const nldFra = await exchange('NLD', 'FRA', 'nld-fra-1');
    expect(nldFra.exported.observations).toBe(4);
    expect(nldFra.imported.counts).toEqual({ admitted: 3, duplicate: 0, rejected: 0, quarantined: 1, tainted: 0 });
    expect((await ok('FRA', ['show', before])).foreign).toMatchObject({ origin: 'DEU', partner: 'NLD', agent: 'NLD:gw-1', alternativeLabel: { policy: { id: 'FRA' }, classification: 'SECRET' } });
    expect((await ok('FRA', ['show', fused])).foreign).toMatchObject({ origin: 'NLD', partner: 'NLD', alternativeLabel: { policy: { id: 'FRA' }, classification: 'SECRET' } });
    expect((await run('FRA', ['show', incident, '--json'])).code).toBe(1);
    const held = await ok('FRA', ['quarantine', 'list']);
    expect(held.items).toMatchObject([{ id: confidential, origin: 'DEU', partner: 'NLD', missing: [{ vocabulary: 'markings', term: 'VS-VERTRAULICH' }] }]);

    // DEU to FRA directly: what NLD relayed is a duplicate; the incident, DEU's to give, is admitted.
    const deuFra = await exchange('DEU', 'FRA', 'deu-fra-1');
    expect(deuFra.imported.counts).toEqual({ admitted: 1, duplicate: 3, rejected: 0, quarantined: 0, tainted: 0 });
    expect((await ok('FRA', ['show', incident])).foreign).toMatchObject({ origin: 'DEU', partner: 'DEU' });
    // FRA to DEU and NLD: the remaining pairs.
    await ok('FRA', ['device', 'enroll', '--device', 'sensor-1']);
    const french = await observe('FRA', 'SECRET', 'track:fr-1');
    expect((await exchange('FRA', 'DEU', 'fra-deu-1')).imported.counts).toMatchObject({ admitted: 1 });
    expect((await exchange('FRA', 'NLD', 'fra-nld-1')).imported.counts).toMatchObject({ admitted: 1 });
    expect((await ok('NLD', ['show', french])).foreign).toMatchObject({ origin: 'FRA', alternativeLabel: { classification: 'Stg. GEHEIM' } });

    // An operator at FRA releases the held item under a level FRA has.
    await ok('FRA', ['device', 'enroll', '--role', 'operator', '--device', 'lt-dupont']);
    const released = await ok('FRA', ['quarantine', 'release', confidential, '--operator', 'lt-dupont', '--classification', 'SECRET', '--reason', 'Handled as SECRET by the liaison cell']);
    expect(released.item).toMatchObject({ id: confidential, decision: { outcome: 'released', by: 'lt-dupont' } });
    expect((await ok('FRA', ['quarantine', 'list'])).items).toEqual([]);
    expect((await ok('FRA', ['show', confidential])).foreign).toMatchObject({ outcome: 'released', alternativeLabel: { classification: 'SECRET' } });

    // DEU learns its sensor's key was compromised before its last track: revoked with the compromise time.
    const revoked = await ok('DEU', ['device', 'revoke', '--device', 'sensor-1', '--compromised-at', compromisedAt.toISOString()]);
    expect(revoked).toMatchObject({ compromisedAt: compromisedAt.toISOString() });
    // openssl reads the entry as RFC 5280 says: reasonCode keyCompromise, the invalidity date the compromise.
    const raw = new Database(file('deu/entente.db'), { readonly: true });
    const crlPem = raw.prepare('SELECT pem FROM crls ORDER BY number DESC LIMIT 1').pluck().get() as string;
    raw.close();
    writeFileSync(file('deu.crl'), crlPem);
    const openssl = execFileSync('/usr/bin/openssl', ['crl', '-in', file('deu.crl'), '-noout', '-text'], { encoding: 'utf8' });
    expect(openssl).toMatch(/X509v3 CRL Reason Code:\s*\n\s*Key Compromise/);
    expect(openssl).toMatch(new RegExp(`Invalidity Date:\\s*\\n\\s*${compromisedAt.toUTCString().slice(8, 11)}\\s+${compromisedAt.getUTCDate()} ${compromisedAt.toISOString().slice(11, 19)} ${compromisedAt.getUTCFullYear()} GMT`));
    // The next bundle carries the CRL: NLD taints exactly what was made since, and what it derived from it.
    const crl = await exchange('DEU', 'NLD', 'deu-nld-2');
    expect(crl.exported.observations).toBe(0);
    const events = await ok('NLD', ['integrity', 'list', '--kind', 'taint']);
    // Two tainted: the track made since the compromise, and NLD's own fused track derived from it.
    expect(events).toMatchObject({ total: 1, events: [{ kind: 'taint', partner: 'DEU', federation: id, evidence: { tainted: 2, derived: 1 } }] });
    expect((await ok('NLD', ['show', after])).standing).toMatchObject({ standing: 'tainted', cause: 'compromised-credential', source: after });
    expect((await ok('NLD', ['show', fused])).standing).toMatchObject({ standing: 'tainted', source: after });
    expect((await ok('NLD', ['show', before])).standing).toMatchObject({ standing: 'verified' });
    expect((await run('NLD', ['show', fused])).stdout.split('\n')[3]).toMatch(/^standing: tainted/);

    // NLD's next bundle to FRA carries the taint notices: FRA marks them too.
    const notices = await exchange('NLD', 'FRA', 'nld-fra-2');
    expect(notices.imported.counts).toMatchObject({ admitted: 0, rejected: 0 });
    const marked = await ok('FRA', ['integrity', 'list', '--kind', 'taint', '--partner', 'NLD']);
    expect(marked).toMatchObject({ total: 1, events: [{ kind: 'taint', partner: 'NLD', evidence: { from: 'NLD', held: 2, tainted: 2 } }] });
    expect((await ok('FRA', ['show', after])).standing).toMatchObject({ standing: 'tainted', cause: 'partner-notice' });
    expect((await ok('FRA', ['show', fused])).standing).toMatchObject({ standing: 'tainted' });
    expect((await ok('FRA', ['show', before])).standing).toMatchObject({ standing: 'verified' });

    for (const code of codes) expect(await ok(code, ['audit', 'verify'])).toMatchObject({ ok: true });
  });
});
