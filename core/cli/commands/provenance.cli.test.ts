/**
 * The after-action export as an officer and an auditor meet it (issue 16): two meshes exchange
 * through a bundle, NLD fuses a track from DEU's record, and NLD exports what a provenance search
 * finds — the chain crosses from NLD to DEU — as a bundle and an HTML report; the auditor verifies
 * the bundle with the file alone, and every changed byte is named.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useCliSession } from '../../test-support/cli-session.js';

const { file, run, ok, label, exchange, federateByReadme } = useCliSession('entente-provenance-cli-', 'provenance cli test');

async function observe(home: string, classification: string, subject: string, extra: string[] = []): Promise<string> {
  return (await ok(home, ['observe', '--device', 'sensor-1', '--class', 'track', '--subject', subject, '--label', label(home, classification), ...extra], '{"lat":54.1,"lon":12.2}')).id as string;
}

describe('entente provenance export and verify', () => {
  it('exports a chain that crosses meshes, verifies offline, and names every tampering', { timeout: 180_000 }, async () => {
    const federation = await federateByReadme();
    await ok('DEU', ['device', 'enroll', '--device', 'sensor-1']);
    await ok('NLD', ['device', 'enroll', '--device', 'sensor-1']);
    const original = await observe('DEU', 'GEHEIM', 'track:4711');
    await exchange('DEU', 'NLD', 'deu-nld-1');
    // NLD fuses DEU's track with its own: the chain of the fused one crosses to DEU.
    const own = await observe('NLD', 'Stg. CONFIDENTIEEL', 'track:4711-nl');
    const fused = await observe('NLD', 'Stg. GEHEIM', 'track:4711-fused', ['--derived-from', `${original},${own}`, '--fn', 'fuse@1']);
    // A hostile subject: it must reach the report as text.
    const hostile = await observe('NLD', 'Stg. CONFIDENTIEEL', 'track:<script>alert(1)</script><img src=x onerror=alert(2)>');

    // The search: by federation finds only what crossed under it; by label, the records so marked.
    const byFederation = await ok('NLD', ['provenance', 'export', '--federation', federation, '--out', '@fed.json']);
    expect(byFederation).toMatchObject({ selected: 1, observations: 1, mesh: 'NLD' });
    const byLabel = await ok('NLD', ['provenance', 'export', '--label', 'GEHEIM', '--mesh', 'DEU', '--out', '@label.json']);
    expect(byLabel).toMatchObject({ selected: 1 });
    expect((await run('NLD', ['provenance', 'export', '--label', 'TOP-NOTHING', '--out', '@none.json', '--json'])).stdout).toContain('nothing-selected');
    expect(existsSync(file('none.json'))).toBe(false);

    const exported = await ok('NLD', ['provenance', 'export', '--subject-prefix', 'track:4711-f', '--out', '@aar.json', '--html', '@aar.html']);
    expect(exported).toMatchObject({ selected: 1, observations: 3, unresolved: 0, html: file('aar.html') });
    const bundle = JSON.parse(readFileSync(file('aar.json'), 'utf8'));
    expect(bundle.selected).toEqual([fused]);
    expect(bundle.observations.map((o: { id: string }) => o.id).sort()).toEqual([original, own, fused].sort());
    // NLD's log entries naming the chain: the crossing that admitted DEU's record is among them.
    const types = bundle.audit.entries.map((e: { text: string }) => JSON.parse(e.text).type);
    expect(types).toEqual(expect.arrayContaining(['observation', 'crossing']));
    expect(readdirSync(file('')).filter((n) => n.endsWith('.part'))).toEqual([]);

    const verified = await ok('NLD', ['provenance', 'verify', '@aar.json']);
    expect(verified).toMatchObject({ ok: true, mesh: 'NLD', selected: 1, observations: 3, entries: bundle.audit.entries.length });
    // Pinned to NLD's anchor from its card, and to another one.
    const card = JSON.parse(readFileSync(file('nld.card.json'), 'utf8'));
    expect(verified.anchor).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(card)).toBeTruthy();
    const wrongAnchor = await run('NLD', ['provenance', 'verify', '@aar.json', '--anchor', 'a'.repeat(64), '--json']);
    expect(wrongAnchor.code).not.toBe(0);
    expect(wrongAnchor.stdout + wrongAnchor.stderr).toContain('anchor-mismatch');

    const tampered = async (name: string, change: (b: any) => void): Promise<string> => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const copy = JSON.parse(readFileSync(file('aar.json'), 'utf8'));
      change(copy);
      writeFileSync(file(name), JSON.stringify(copy));
      const result = await run('NLD', ['provenance', 'verify', `@${name}`, '--json']);
      expect(result.code).not.toBe(0);
      return result.stdout + result.stderr;
    };
    // One byte of a record: it no longer hashes to its id.
    expect(await tampered('record.json', (b) => (b.observations[0].record = b.observations[0].record.replace('54.1', '54.2')))).toContain('record-changed');
    // One byte of a log entry (its clock counter), still canonical: its inclusion proof fails.
    expect(await tampered('entry.json', (b) => (b.audit.entries[0].text = b.audit.entries[0].text.replace(/"c":(\d)/, (_: string, d: string) => `"c":${(Number(d) + 1) % 10}`)))).toContain('not-in-log');
    // A record dropped: the signed set of records says so.
    expect(await tampered('dropped.json', (b) => b.observations.pop())).toMatch(/after-action-mismatch|missing-observation/);
    // The search rewritten after signing.
    expect(await tampered('search.json', (b) => (b.search.subjectPrefix = 'track:'))).toContain('after-action-mismatch');
    // The statement's signature changed.
    expect(await tampered('sig.json', (b) => (b.statement.signatures[0].sig = b.statement.signatures[0].sig.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A'))))).toContain('unsigned-after-action');
    // Not JSON at all.
    writeFileSync(file('cut.json'), readFileSync(file('aar.json'), 'utf8').slice(0, 500));
    expect((await run('NLD', ['provenance', 'verify', '@cut.json', '--json'])).stdout).toContain('malformed-after-action');

    // The report: banner top and bottom, the chain in words, the log references, escaped hostile text.
    const html = readFileSync(file('aar.html'), 'utf8');
    expect(html).toContain("Content-Security-Policy\" content=\"default-src 'none'");
    expect(html.match(/class="banner"/g)?.length).toBe(2);
    expect(html).toContain('Crossed into NLD from <strong>DEU</strong>');
    expect(html).toContain(`under federation <strong>${federation}</strong> v1`);
    expect(html).toContain('derived with fuse@1 from 2 sources');
    expect(html).toContain('entente provenance verify');
    const hostileExport = await ok('NLD', ['provenance', 'export', '--id', hostile, '--out', '@h.json', '--html', '@h.html']);
    expect(hostileExport.selected).toBe(1);
    const hostileHtml = readFileSync(file('h.html'), 'utf8');
    expect(hostileHtml).not.toMatch(/<script|<img/i);
    expect(hostileHtml).toContain('track:&#60;script&#62;alert(1)&#60;/script&#62;&#60;img src=x onerror=alert(2)&#62;');
  });
});
