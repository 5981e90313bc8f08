/**
 * The crossing's refusals and its bookkeeping as a user meets them on the command line (issue 13,
 * "Done when" and "CLI"; decision 0005): a dishonest exporter's bundle — hand-written with the
 * agent's real hello and key — imported with `bundle import --json`, each item beyond the
 * federation refused by id and reason and listed by `integrity list --kind over-release`; one
 * flipped byte refused by `bundle verify` and `bundle import` of the built command in one line
 * with a non-zero exit; `bundle export --since` writing only what is newer than the cursor, and
 * the partner's receipt recorded in the sender's own log; an operator's signed `quarantine reject`.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envelopeSignedBy, type DsseEnvelope } from '../../crypto/dsse.js';
import { ensureBuilt, runCli } from '../../test-support/built-cli.js';
import { useCliSession, type Json } from '../../test-support/cli-session.js';
import { nationalLabel } from '../../test-support/federated-homes.js';
import { agentHello, flipInLine, linesOf, sectionsOf, storedRecord, writeByHand } from '../../test-support/hostile-bundles.js';

const PASSPHRASE = 'crossing refusals cli test';
const { file, run, ok, observe, withHome, exchange, crossCertify, federateAll, federateByReadme } = useCliSession('entente-crossing-refusals-cli-', PASSPHRASE);

/** The log entries of `home`, as `audit export --format json` writes them. */
async function logEntries(home: string): Promise<Json[]> {
  const out = `${home.toLowerCase()}-log.json`;
  await ok(home, ['audit', 'export', '--format', 'json', '--out', `@${out}`]);
  return (JSON.parse(readFileSync(file(out), 'utf8')) as { entries: Json[] }).entries;
}

/** The README's DEU and NLD, federated and cross-certified, and DEU's sensor-1 enrolled: the federation's id. */
async function readmeMeshesWithSensor(): Promise<string> {
  const id = await federateByReadme();
  await ok('DEU', ['device', 'enroll', '--device', 'sensor-1']);
  return id;
}

describe('refusals on the command line', () => {
  it('a hand-written bundle carrying what the federation does not let cross: each refused by id and reason, the over-release event listed', { timeout: 120_000 }, async () => {
    const id = await readmeMeshesWithSensor();
    const good = await observe('DEU', 'GEHEIM', 'track:1');
    const above = await observe('DEU', 'STRENG GEHEIM', 'track:cosmic');
    writeFileSync(file('deu-only.label.json'), nationalLabel('DEU', 'GEHEIM', ['DEU']));
    const deuOnly = (await ok('DEU', ['observe', '--device', 'sensor-1', '--class', 'track', '--subject', 'track:deu-only', '--label', '@deu-only.label.json'], '{"lat":54.1,"lon":12.2}')).id as string;
    // The honest export leaves both out; the hand-written bundle (its certificates and attestations taken from it) carries them.
    expect((await ok('DEU', ['bundle', 'export', '--to', 'NLD', '--out', '@real.bundle'])).observations).toBe(1);
    await withHome('DEU', async (deu) => {
      const { envelope, signer } = await agentHello(deu, 'NLD', id);
      await writeByHand(file('hostile.bundle'), { hello: envelope, signer, sections: sectionsOf(file('real.bundle')), observations: [good, above, deuOnly].map((i) => storedRecord(deu, i)) });
    });

    const imported = await ok('NLD', ['bundle', 'import', '@hostile.bundle']);
    expect(imported.counts).toEqual({ admitted: 1, duplicate: 0, rejected: 2, quarantined: 0, tainted: 0 });
    expect(imported.refusals).toEqual([
      { line: expect.any(Number), id: above, reason: 'above-ceiling', message: expect.stringContaining('above federation') },
      { line: expect.any(Number), id: deuOnly, reason: 'not-releasable', message: expect.stringContaining('not to NLD') },
    ]);
    expect((await run('NLD', ['show', above, '--json'])).code).toBe(1);

    const listed = await ok('NLD', ['integrity', 'list', '--kind', 'over-release']);
    expect(listed).toMatchObject({ total: 1, events: [{ kind: 'over-release', partner: 'DEU', federation: id, evidence: { bundle: imported.bundle, items: 2 } }] });
    expect(listed.events[0].message).toMatch(/^2 item\(s\) from DEU .* refused, not dropped\.$/);
    // The event's log entry names both ids.
    const entry = (await logEntries('NLD')).find((e) => e.type === 'integrity' && e.why.reasons[0] === 'over-release')!;
    expect(new Set(entry.what.ids)).toEqual(new Set([above, deuOnly]));
    expect(await ok('NLD', ['audit', 'verify'])).toMatchObject({ ok: true });
  });

  it('one flipped byte: `bundle verify` and `bundle import` of the built command say so in one line and exit 1, admitting nothing', { timeout: 120_000 }, async () => {
    ensureBuilt();
    await readmeMeshesWithSensor();
    const track = await observe('DEU', 'GEHEIM', 'track:1');
    await ok('DEU', ['bundle', 'export', '--to', 'NLD', '--out', '@real.bundle']);
    const observationLine = linesOf(file('real.bundle')).findIndex((l) => l.toString('utf8').includes('"kind":"observation"'));
    flipInLine(file('real.bundle'), file('flipped.bundle'), observationLine, (line) => Math.floor(line.length / 2));

    for (const command of ['verify', 'import']) {
      const result = await runCli(['bundle', command, file('flipped.bundle'), '--home', file('nld')], { ENTENTE_PASSPHRASE: PASSPHRASE });
      expect(result.code, `bundle ${command}`).toBe(1);
      expect(result.stdout, `bundle ${command}`).toBe('');
      expect(result.stderr.trimEnd().split('\n'), `bundle ${command}`).toEqual([expect.stringMatching(/^entente: The bundle .*flipped\.bundle is refused.*manifest/)]);
    }
    const json = await run('NLD', ['bundle', 'import', '@flipped.bundle', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, failures: [{ reason: 'tampered-bundle' }] });
    expect((await run('NLD', ['show', track, '--json'])).code).toBe(1);
    expect((await ok('NLD', ['integrity', 'list', '--kind', 'tampered-bundle'])).total).toBe(2);
    // The intact file is still admitted.
    expect((await ok('NLD', ['bundle', 'import', '@real.bundle'])).counts).toMatchObject({ admitted: 1 });
  });
});

describe('cursors and receipts on the command line', () => {
  it('`bundle export --since` writes only what is newer than the cursor; the receipt lands in the sender’s log with the bundle digest and counts', { timeout: 120_000 }, async () => {
    await readmeMeshesWithSensor();
    for (const subject of ['track:1', 'track:2']) await observe('DEU', 'GEHEIM', subject);
    const exported = await ok('DEU', ['bundle', 'export', '--to', 'NLD', '--out', '@first.bundle']);
    expect(exported.observations).toBe(2);
    const imported = await ok('NLD', ['bundle', 'import', '@first.bundle', '--receipt', '@first.receipt.json']);
    expect(imported.counts).toMatchObject({ admitted: 2 });

    // No receipt back yet, so a plain export would carry everything again; --since the first's cursor, only the new track.
    const later = await observe('DEU', 'GEHEIM', 'track:3');
    const since = await ok('DEU', ['bundle', 'export', '--to', 'NLD', '--out', '@since.bundle', '--since', String(exported.cursor.to)]);
    expect(since).toMatchObject({ observations: 1, cursor: { from: exported.cursor.to } });
    expect(await ok('NLD', ['bundle', 'verify', '@since.bundle'])).toMatchObject({ observations: 1, verified: 1 });
    expect((await ok('NLD', ['bundle', 'import', '@since.bundle'])).counts).toEqual({ admitted: 1, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 });
    expect((await ok('NLD', ['show', later])).foreign).toMatchObject({ origin: 'DEU', bundle: since.bundle });
    expect((await ok('DEU', ['bundle', 'export', '--to', 'NLD', '--out', '@again.bundle'])).observations).toBe(3);
    expect((await run('DEU', ['bundle', 'export', '--to', 'NLD', '--out', '@bad.bundle', '--since', 'yesterday'])).code).toBe(2);

    // The receipt goes back: DEU's own log now shows what NLD admitted of the first bundle.
    expect(await ok('DEU', ['receipt', 'import', '@first.receipt.json'])).toMatchObject({ recorded: true, bundle: exported.bundle, counts: { admitted: 2 } });
    const receipts = (await logEntries('DEU')).filter((e) => e.type === 'crossing' && e.why.reasons[0] === 'receipt');
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({
      what: { ids: [], detail: { partner: 'NLD', bundle: exported.bundle, admitted: 2, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0, admittedRoot: expect.stringMatching(/^[0-9a-f]{64}$/), refused: 0 } },
      why: { text: expect.stringContaining(`NLD admitted 2 of 2 from bundle ${exported.bundle.slice(0, 16)}`) },
    });
    // Once on record, the same receipt again changes nothing.
    expect(await ok('DEU', ['receipt', 'import', '@first.receipt.json'])).toMatchObject({ recorded: false });
    expect((await logEntries('DEU')).filter((e) => e.type === 'crossing' && e.why.reasons[0] === 'receipt')).toHaveLength(1);
    expect(await ok('DEU', ['audit', 'verify'])).toMatchObject({ ok: true });
  });
});

describe('quarantine on the command line', () => {
  it('`quarantine reject` signs the operator’s decision; the item leaves the open list and is never admitted, not even by the bundle again', { timeout: 120_000 }, async () => {
    const id = await federateAll(['DEU', 'FRA'], 'deu-fra');
    await crossCertify(['DEU', 'FRA'], id);
    await ok('DEU', ['device', 'enroll', '--device', 'sensor-1']);
    // NATO CONFIDENTIAL has no French level (DOMAIN.md §3): translation loss at FRA.
    const held = await observe('DEU', 'VS-VERTRAULICH', 'track:confidential');
    const { imported } = await exchange('DEU', 'FRA', 'deu-fra-1');
    expect(imported.counts).toMatchObject({ admitted: 0, quarantined: 1 });
    expect((await ok('FRA', ['quarantine', 'list'])).items).toMatchObject([{ id: held }]);

    await ok('FRA', ['device', 'enroll', '--role', 'operator', '--device', 'lt-dupont']);
    expect((await run('FRA', ['quarantine', 'reject', held, '--operator', 'lt-dupont'])).code).toBe(2);
    const rejected = await ok('FRA', ['quarantine', 'reject', held, '--operator', 'lt-dupont', '--reason', 'Not ours to hold']);
    expect(rejected.item).toMatchObject({ id: held, decision: { outcome: 'rejected', by: 'lt-dupont', reason: 'Not ours to hold' } });
    // The decision is signed with the operator's own key.
    const statement = rejected.statement as DsseEnvelope;
    expect(JSON.parse(Buffer.from(statement.payload, 'base64').toString('utf8'))).toMatchObject({ type: 'entente.quarantine-decision/v1', mesh: 'FRA', observation: held, decision: 'rejected', operator: 'lt-dupont' });
    const operatorKey = await withHome('FRA', async (fra) => {
      const sha256 = fra.credentials.principals(['operator']).find((p) => p.id === 'lt-dupont')!.certificateSha256;
      return new X509Certificate(fra.db.prepare('SELECT pem FROM certificates WHERE sha256 = ?').pluck().get(sha256) as string).publicKey;
    });
    expect(envelopeSignedBy(statement, statement.signatures[0]!.keyid, operatorKey)).toBe(true);

    expect((await ok('FRA', ['quarantine', 'list'])).items).toEqual([]);
    expect((await ok('FRA', ['quarantine', 'list', '--all'])).items).toMatchObject([{ id: held, decision: { outcome: 'rejected' } }]);
    expect((await run('FRA', ['show', held, '--json'])).code).toBe(1);
    const again = await run('FRA', ['quarantine', 'release', held, '--operator', 'lt-dupont', '--classification', 'SECRET', '--reason', 'changed my mind', '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ failures: [{ reason: 'already-decided' }] });
    // The same item in a new bundle is not admitted: it is held as decided.
    expect((await ok('DEU', ['bundle', 'export', '--to', 'FRA', '--out', '@deu-fra-2.bundle', '--since', '0'])).observations).toBe(1);
    expect((await ok('FRA', ['bundle', 'import', '@deu-fra-2.bundle'])).counts).toMatchObject({ admitted: 0, duplicate: 1 });
    expect((await run('FRA', ['show', held, '--json'])).code).toBe(1);
    expect((await logEntries('FRA')).filter((e) => e.type === 'decision').map((e) => e.why.reasons[0])).toEqual(['quarantine-rejected']);
    expect(await ok('FRA', ['audit', 'verify'])).toMatchObject({ ok: true });
  });
});
