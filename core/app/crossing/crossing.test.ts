/**
 * The crossing between real homes (decision 0005): a bundle exported by a cross-certified agent,
 * admitted with its translated alternative label and lineage, a receipt back that moves the
 * sender's cursor, a second import that changes nothing, translation loss held in quarantine
 * until an operator decides, and an over-release caught by the receiver; one `crossing` log entry
 * per block that admitted something.
 */
import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGENT, exportTo, federate, importFile, nationalLabel } from '../../test-support/federated-homes.js';
import { makeTempDir } from '../../test-support/temp-dir.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import { readStrictJson } from '../../canonical/strict-json.js';
import { BLOCK_LINES } from '../../boundary/bundle/format.js';
import { agentHello, sectionsOf, storedRecord, writeByHand } from '../../test-support/hostile-bundles.js';

const home = useTestHomes('entente-crossing-');

async function observe(h: TestHome, classification: string, subject: string, releasableTo?: string[]) {
  return h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, classification, releasableTo), payloadText: '{"lat":54.1,"lon":12.2}', derivedFrom: [], derivation: null });
}

/** Carries what `from` may send `to` in a bundle written to `file` (kept, so a test can import it again). */
async function carry(from: TestHome, to: TestHome, file: string) {
  const exported = await exportTo(from, to.code, file);
  return { exported, imported: await importFile(to, file) };
}

const count = (h: TestHome, table: string) => h.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe('the crossing by bundle', () => {
  it('admits what the federation lets cross, translated, with its lineage, and a receipt back moves the cursor', async () => {
    const dir = makeTempDir('entente-bundles-');
    try {
      const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await observe(deu!, 'GEHEIM', `track:${i}`)).id);
      // Above the ceiling (STRENG GEHEIM is COSMIC TOP SECRET) and not releasable to NLD: never exported.
      await observe(deu!, 'STRENG GEHEIM', 'track:cosmic');
      await observe(deu!, 'GEHEIM', 'track:deu-only', ['DEU']);

      const { exported, imported } = await carry(deu!, nld!, dir.file('deu-nld.bundle'));
      expect(exported).toMatchObject({ to: 'NLD', observations: 3, agent: AGENT });
      expect(imported.counts).toEqual({ admitted: 3, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 });
      for (const id of ids) {
        const crossing = nld!.db.prepare('SELECT * FROM crossings c JOIN crossing_terms t ON t.sha256 = c.terms WHERE c.observation_id = ?').get(id) as Record<string, string>;
        expect(crossing).toMatchObject({ origin: 'DEU', partner: 'DEU', agent: `DEU:${AGENT}`, bundle: imported.bundle, outcome: 'admitted' });
        // The originator's label is untouched; the translation stands beside it.
        expect(JSON.parse(crossing.alternative_label!)).toMatchObject({ kind: 'alternative', policy: { id: 'NLD' }, classification: 'Stg. GEHEIM' });
        expect(JSON.parse(crossing.attestations!).length).toBeGreaterThan(0);
        const record = readStrictJson(nld!.db.prepare('SELECT record FROM observations WHERE id = ?').pluck().get(id) as string) as { mesh: string; label: { kind: string; classification: string } };
        expect(record).toMatchObject({ mesh: 'DEU', label: { kind: 'originator', classification: 'GEHEIM' } });
      }
      expect(nld!.audit.verify().failures).toEqual([]);
      expect((await nld!.observations.verifyAll()).failures).toEqual([]);

      // Twice changes nothing.
      const before = ['observations', 'crossings', 'audit_entries', 'bundle_imports'].map((t) => count(nld!, t));
      const again = await nld!.crossing.importBundle({ name: 'again', open: () => createReadStream(dir.file('deu-nld.bundle')) });
      expect(again).toMatchObject({ alreadyImported: true, counts: imported.counts });
      expect(['observations', 'crossings', 'audit_entries', 'bundle_imports'].map((t) => count(nld!, t))).toEqual(before);

      // The receipt goes back: DEU records what NLD admitted, and its next export starts after it.
      const summary = await deu!.crossing.importReceipt(JSON.stringify(imported.receipt));
      expect(summary).toMatchObject({ partner: 'NLD', recorded: true, counts: { admitted: 3 } });
      expect(await refusal(() => deu!.crossing.importReceipt(JSON.stringify({ ...imported.receipt, payload: imported.receipt.payload.slice(0, -4) + 'AAAA' })))).toBe('bad-receipt-signature');
      const next = await carry(deu!, nld!, dir.file('second.bundle'));
      expect(next.exported.observations).toBe(0);
      expect(deu!.audit.verify().failures).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it('holds a term with no mapping in quarantine until an operator releases or rejects it', async () => {
    const dir = makeTempDir('entente-bundles-');
    try {
      const { homes: [deu, fra] } = await federate(home, ['DEU', 'FRA']);
      // NATO CONFIDENTIAL has no French equivalent (DOMAIN.md §3): translation loss at FRA.
      const lost = await observe(deu!, 'VS-VERTRAULICH', 'track:confidential');
      const kept = await observe(deu!, 'GEHEIM', 'track:secret');
      const { imported } = await carry(deu!, fra!, dir.file('deu-fra.bundle'));
      expect(imported.counts).toMatchObject({ admitted: 1, quarantined: 1 });
      expect(fra!.crossing.quarantine()).toMatchObject([{ id: lost.id, origin: 'DEU', missing: [{ vocabulary: 'markings', term: 'VS-VERTRAULICH' }] }]);
      expect(count(fra!, `observations WHERE id = '${lost.id}'`)).toBe(0);
      expect(count(fra!, `observations WHERE id = '${kept.id}'`)).toBe(1);
      expect(fra!.integrity.list({ kind: 'translation-loss', limit: 10 }).total).toBe(1);

      await fra!.credentials.enrol({ role: 'operator', id: 'lt-dupont', algorithm: 'Ed25519' });
      expect(await refusal(() => fra!.crossing.release({ id: lost.id, operator: 'lt-dupont', reason: 'judged', classification: 'NOT A LEVEL' }))).toBe('unknown-classification');
      expect(await refusal(() => fra!.crossing.release({ id: lost.id, operator: 'nobody', reason: 'judged', classification: 'SECRET' }))).toBe('unknown-operator');
      const { view } = await fra!.crossing.release({ id: lost.id, operator: 'lt-dupont', reason: 'Handled as SECRET by the liaison cell', classification: 'SECRET' });
      expect(view.decision).toMatchObject({ outcome: 'released', by: 'lt-dupont' });
      const crossing = fra!.db.prepare('SELECT outcome, alternative_label FROM crossings c JOIN crossing_terms t ON t.sha256 = c.terms WHERE c.observation_id = ?').get(lost.id) as { outcome: string; alternative_label: string };
      expect(crossing.outcome).toBe('released');
      expect(JSON.parse(crossing.alternative_label)).toMatchObject({ policy: { id: 'FRA' }, classification: 'SECRET', originator: { idType: 'operator' } });
      expect(await refusal(() => fra!.crossing.reject({ id: lost.id, operator: 'lt-dupont', reason: 'again' }))).toBe('already-decided');
      expect(fra!.audit.verify().failures).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});

describe('the log of a bundle import', () => {
  it('holds one crossing entry per block that admitted something, none for a block that admitted nothing', { timeout: 60_000 }, async () => {
    const dir = makeTempDir('entente-bundles-');
    try {
      const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
      const good: string[] = [];
      for (let i = 0; i < 9; i++) good.push((await observe(deu!, 'GEHEIM', `track:${i}`)).id);
      const above = (await observe(deu!, 'STRENG GEHEIM', 'track:cosmic')).id;
      const real = dir.file('real.bundle');
      await exportTo(deu!, 'NLD', real);

      // Item lines, in order: the real export's sections padded with its certificate to 1,020 lines; 8 good
      // tracks across blocks 0 and 1; 2,100 copies of one track above the ceiling, filling block 2 and
      // reaching into block 3; the last good track in block 3.
      const sections = sectionsOf(real);
      const certificate = sections.find((line) => line.kind === 'certificate')!;
      const padded = [...sections, ...Array.from({ length: 1020 - sections.length }, () => certificate)];
      const refused = Array.from({ length: 2100 }, () => storedRecord(deu!, above));
      const observations = [...good.slice(0, 8).map((g) => storedRecord(deu!, g)), ...refused, storedRecord(deu!, good[8]!)];
      const blockOf = (itemIndex: number) => Math.floor((padded.length + itemIndex) / BLOCK_LINES);
      // The good tracks by the block each lands in (item index 0…7, and last).
      const admittingBlocks = new Map<number, string[]>();
      for (const [g, i] of [...good.slice(0, 8).map((g, i) => [g, i] as const), [good[8]!, observations.length - 1] as const]) admittingBlocks.set(blockOf(i), [...(admittingBlocks.get(blockOf(i)) ?? []), g]);
      expect([...admittingBlocks.keys()]).toEqual([0, 1, 3]);
      const { envelope, signer } = await agentHello(deu!, 'NLD', id);
      const bundle = await writeByHand(dir.file('blocks.bundle'), { hello: envelope, signer, sections: padded, observations });

      const imported = await importFile(nld!, dir.file('blocks.bundle'));
      expect(imported.counts).toEqual({ admitted: 9, duplicate: 0, rejected: 2100, quarantined: 0, tainted: 0 });
      const entries = (nld!.db.prepare("SELECT entry FROM audit_entries WHERE type = 'crossing'").pluck().all() as string[]).map((e) => JSON.parse(e) as { what: { ids: string[]; detail: { bundle: string; block: number } } });
      expect(entries).toHaveLength(admittingBlocks.size);
      expect(entries.map((e) => [e.what.detail.bundle, e.what.detail.block, e.what.ids])).toEqual([...admittingBlocks].map(([block, ids]) => [bundle, block, ids]));
      // The refusals, by contrast, are one over-release event per block that refused something: blocks 1, 2 and 3.
      expect(nld!.integrity.list({ kind: 'over-release', limit: 10 }).events.map((e) => (e.evidence as { block: number }).block).sort()).toEqual([1, 2, 3]);
      expect(nld!.audit.verify().failures).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});
