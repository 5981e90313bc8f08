/**
 * The joint picture on real homes (docs/decisions/0007): kept on every store path in the
 * storing transaction, the same digest on three meshes however the bundles travel, a divergence
 * above the threshold held and queued with its evidence, an operator's signed decision that
 * crosses like any observation and brings the partners to the same picture; the refusals.
 */
import { describe, expect, it } from 'vitest';
import { observationId, signObservation, type GovernedObservation, type UnsignedObservation } from '../../observation/index.js';
import { DECISION_CLASS } from '../../reconcile/decision.js';
import { readPrincipal } from '../../store/mesh-store.js';
import { crossBundle, DEFAULT_RULE, federate, nationalLabel } from '../../test-support/federated-homes.js';
import { agentHello, exportTo, importFile, sectionsOf, storedRecord, writeByHand } from '../../test-support/hostile-bundles.js';
import { makeTempDir } from '../../test-support/temp-dir.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import { DECISION_DERIVATION } from './decide.js';

const home = useTestHomes('entente-reconcile-');
const RULE = { ...DEFAULT_RULE, classes: ['track', 'incident', 'decision'] };
const LEVEL: Record<string, string> = { DEU: 'GEHEIM', NLD: 'Stg. GEHEIM', FRA: 'SECRET' };

async function observe(h: TestHome, subject: string, payload: unknown): Promise<string> {
  const { id } = await h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, LEVEL[h.code]!), payloadText: JSON.stringify(payload), derivedFrom: [], derivation: null });
  return id;
}

/** Every ordered pair exchanges its bundle, in the order given. */
async function exchange(homes: readonly TestHome[], order: readonly [number, number][]) {
  for (const [from, to] of order) await crossBundle(homes[from]!, homes[to]!);
}

const ALL_PAIRS: [number, number][] = [[0, 1], [0, 2], [1, 0], [1, 2], [2, 0], [2, 1]];

/** DEU and NLD federated under `rule` (held above 0.4), reading `subject` differently, exchanged in `order`: the item held at DEU. */
async function heldAtDeu(rule: typeof RULE, subject: string, order: readonly [number, number][] = [[1, 0]]) {
  const { id, homes } = await federate(home, ['DEU', 'NLD'], { scope: () => rule, overrides: { arbitration: { policy: 'originator-wins', divergenceThreshold: 0.4 } } });
  const [deu, nld] = homes as [TestHome, TestHome];
  const a = await observe(deu, subject, { lat: 54.1, kind: 'frigate' });
  const b = await observe(nld, subject, { lat: 54.1, kind: 'tanker' });
  await exchange(homes, order);
  return { id, deu, nld, a, b, item: deu.reconcile.picture({ subject }).items[0]!.item! };
}

describe('the joint picture', () => {
  it('is the same on three meshes in any exchange order; a divergence is held, decided, and the decision converges the partners', async () => {
    const { homes } = await federate(home, ['DEU', 'NLD', 'FRA'], { scope: () => RULE, overrides: { arbitration: { policy: 'originator-wins', divergenceThreshold: 0.4 } } });
    const [deu, nld, fra] = homes as [TestHome, TestHome, TestHome];
    // DEU and NLD see contact 9 differently at the same moment; FRA adds an unrelated subject.
    const a = await observe(deu, 'track:9', { lat: 54.1, kind: 'frigate' });
    const b = await observe(nld, 'track:9', { lat: 54.1, kind: 'tanker' });
    await observe(fra, 'track:11', { lat: 50, kind: 'ferry' });
    await observe(deu, 'track:12', { speed: 12 });
    expect(deu.reconcile.picture().subjects).toBe(2);

    await exchange(homes, ALL_PAIRS);
    // FRA's copies of DEU's and NLD's came direct; the reverse order gives the others the rest.
    await exchange(homes, [...ALL_PAIRS].reverse());
    const digests = homes.map((h) => h.reconcile.picture().digest);
    expect(new Set(digests).size).toBe(1);
    expect(deu.reconcile.picture().subjects).toBe(3);

    // Held: the conflicting field is out of the picture, the rest stays; an item opens on every mesh.
    const held = deu.reconcile.picture({ subject: 'track:9' }).items[0]!;
    expect(held).toMatchObject({ state: 'held', divergence: 0.5, fields: [{ field: 'lat', value: 54.1 }] });
    const queue = deu.reconcile.queue();
    expect(queue.open).toBe(1);
    const item = deu.reconcile.item(held.item!);
    // The sensors were enrolled moments before they observed: new devices, so injection is suspected first.
    expect(item).toMatchObject({ kind: 'divergence', status: 'open', fields: ['kind'], cause: 'suspected-injection', policyChoice: { kind: { observation: a } } });
    expect(item.reasons).toContainEqual(expect.stringContaining('certified shortly before'));
    expect(item.competing.map((c) => c.id).sort()).toEqual([a, b].sort());
    expect(nld.reconcile.item(held.item!).status).toBe('open');

    // The refusals, before anything is signed.
    await deu.credentials.enrol({ role: 'operator', id: 'op-weber', algorithm: 'Ed25519' });
    await deu.credentials.enrol({ role: 'operator', id: 'op-gone', algorithm: 'Ed25519' });
    await deu.credentials.revoke({ role: 'operator', id: 'op-gone' });
    const decideAs = (operator: string, extra: Record<string, unknown> = {}) => deu.reconcile.decide({ item: held.item!, action: 'choose', choose: b, reason: 'Visual identification by the boarding team', operator, ...extra });
    expect(await refusal(() => decideAs('sensor-1'))).toBe('not-an-operator');
    expect(await refusal(() => decideAs('nobody'))).toBe('unknown-operator');
    expect(await refusal(() => decideAs('op-gone'))).toBe('revoked');
    expect(await refusal(() => decideAs('op-weber', { item: 'f'.repeat(64) }))).toBe('unknown-item');
    expect(await refusal(() => decideAs('op-weber', { choose: 'e'.repeat(64) }))).toBe('not-competing');
    expect(await refusal(() => decideAs('op-weber', { reason: ' ' }))).toBe('malformed-decision');
    const before = deu.reconcile.picture().digest;
    expect(before).toBe(digests[0]);

    const decided = await decideAs('op-weber');
    expect(decided.item).toMatchObject({ status: 'decided', decision: decided.id });
    expect(deu.reconcile.picture({ subject: 'track:9' }).items[0]).toMatchObject({ state: 'merged', fields: [{ field: 'kind', value: 'tanker', observation: b, mesh: 'NLD' }, { field: 'lat' }] });
    expect(await refusal(() => decideAs('op-weber'))).toBe('item-closed');
    expect(deu.reconcile.picture().digest).not.toBe(nld.reconcile.picture().digest);

    // The decision crosses like any observation; the partners apply it and converge.
    await exchange(homes, [[0, 1], [0, 2]]);
    expect(nld.reconcile.item(held.item!)).toMatchObject({ status: 'decided', decision: decided.id });
    expect(new Set(homes.map((h) => h.reconcile.picture().digest)).size).toBe(1);
    expect((await nld.observations.verifyAll()).failures).toEqual([]);

    // Delivering again changes nothing; a full recomputation gives the digest kept on insert.
    await exchange(homes, ALL_PAIRS);
    expect(new Set(homes.map((h) => h.reconcile.picture().digest)).size).toBe(1);
    const kept = fra.reconcile.picture().digest;
    expect(fra.reconcile.rebuild().digest).toBe(kept);
    for (const h of homes) expect(h.audit.verify().failures).toEqual([]);
  });

  it('lists the subjects a prefix or a state lets through, with how many match, in subject order', async () => {
    const { deu, item } = await heldAtDeu(RULE, 'track:9');
    await observe(deu, 'track:10', { speed: 12 });
    await observe(deu, 'trackless', { note: 'not a track' });
    await observe(deu, 'buoy:1', { lat: 53 });
    const subjectsOf = (p: ReturnType<typeof deu.reconcile.picture>) => p.items.map((s) => s.subject);

    const all = deu.reconcile.picture();
    expect(all).toMatchObject({ subjects: 4, matching: 4, held: 1 });
    const tracks = deu.reconcile.picture({ subjectPrefix: 'track:' });
    expect([tracks.matching, subjectsOf(tracks)]).toEqual([2, ['track:10', 'track:9']]);
    // The whole picture's digest and counts stay what they are: a filter narrows the list only.
    expect(tracks).toMatchObject({ digest: all.digest, subjects: 4, held: 1 });
    const held = deu.reconcile.picture({ state: 'held' });
    expect([held.matching, subjectsOf(held), held.items[0]!.item]).toEqual([1, ['track:9'], item]);
    // Each value is shown under its supplier's marking, as this mesh displays the label.
    expect(held.items[0]!.fields.map((f) => f.marking)).toEqual([expect.stringContaining('GEHEIM')]);
    // The subject names both meshes' observations, the one that supplied nothing too: its markings are both.
    expect(held.items[0]!.markings).toHaveLength(2);
    expect(held.items[0]!.markings).toEqual(expect.arrayContaining([expect.stringContaining('Stg. GEHEIM'), expect.not.stringContaining('Stg.')]));
    expect(deu.reconcile.picture({ state: 'merged', subjectPrefix: 'track' })).toMatchObject({ matching: 2, items: [{ subject: 'track:10' }, { subject: 'trackless' }] });
    // Without a prefix a state's count comes from the held subjects' index, not a count of the list.
    expect(deu.reconcile.picture({ state: 'merged' })).toMatchObject({ matching: 3, held: 1, items: [{ subject: 'buoy:1' }, { subject: 'track:10' }, { subject: 'trackless' }] });
    // SQL's wildcards are text in a prefix, never a pattern.
    expect(deu.reconcile.picture({ subjectPrefix: 'track_' }).matching).toBe(0);
    expect(deu.reconcile.picture({ subjectPrefix: '%' }).matching).toBe(0);
    // Pages of a filtered list.
    expect(subjectsOf(deu.reconcile.picture({ subjectPrefix: 't', limit: 2, offset: 1 }))).toEqual(['track:9', 'trackless']);
  });

  it('says which partners a decision will not reach when no federation lets class decision cross to them', async () => {
    const { deu, b, item } = await heldAtDeu({ ...DEFAULT_RULE, classes: ['track'] }, 'track:6');
    await deu.credentials.enrol({ role: 'operator', id: 'op-weber', algorithm: 'Ed25519' });
    const decided = await deu.reconcile.decide({ item, action: 'choose', choose: b, reason: 'Boarding team report', operator: 'op-weber' });
    expect(decided.staysHere).toEqual(['NLD']);
  });

  it('logs a concurrent pair that arbitration settled below the threshold, naming both and the winner', async () => {
    const { homes } = await federate(home, ['DEU', 'NLD'], { scope: () => RULE, overrides: { arbitration: { policy: 'originator-wins', divergenceThreshold: 0.9 } } });
    const [deu, nld] = homes as [TestHome, TestHome];
    const a = await observe(deu, 'track:5', { lat: 54.1, kind: 'frigate' });
    const b = await observe(nld, 'track:5', { lat: 54.1, kind: 'corvette' });
    await exchange(homes, [[0, 1], [1, 0]]);
    expect(deu.reconcile.picture({ subject: 'track:5' }).items[0]).toMatchObject({ state: 'merged' });
    const entries = (deu.db.prepare("SELECT entry FROM audit_entries WHERE type = 'ordering'").pluck().all() as string[]).map((e) => JSON.parse(e) as { what: { ids: string[]; subject: string; detail: { field: string; winner: string } }; why: { reasons: string[] } });
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry!.why.reasons).toEqual(['concurrent-arbitrated']);
    expect(entry!.what).toMatchObject({ subject: 'track:5', detail: { field: 'kind' } });
    expect([...entry!.what.ids].sort()).toEqual([a, b].sort());
    expect(entry!.what.ids[0]).toBe(entry!.what.detail.winner);
    // The picture says so where its provenance is read: the field arbitration settled carries why its supplier won.
    const [kind, lat] = deu.reconcile.picture({ subject: 'track:5' }).items[0]!.fields;
    expect(kind).toMatchObject({ field: 'kind', observation: entry!.what.detail.winner, arbitrated: { why: expect.stringContaining('the policy originator-wins picked') } });
    expect((entry as unknown as { why: { text: string } }).why.text).toContain(kind!.arbitrated!.why);
    expect(lat).toMatchObject({ field: 'lat' });
    expect(lat).not.toHaveProperty('arbitrated');
    // Recomputing the same subject again records nothing new: one entry per settled pair.
    deu.reconcile.rebuild();
    expect(deu.db.prepare("SELECT COUNT(*) FROM audit_entries WHERE type = 'ordering'").pluck().get()).toBe(1);
  });

  it('shows why a field was arbitrated only while its conflict stands: alike on a mesh that saw the conflict and one that never did', async () => {
    const { homes } = await federate(home, ['DEU', 'NLD', 'FRA'], { scope: () => RULE, overrides: { arbitration: { policy: 'originator-wins', divergenceThreshold: 0.9 } } });
    const [deu, nld, fra] = homes as [TestHome, TestHome, TestHome];
    const first = await observe(deu, 'track:6', { lat: 1, kind: 'frigate' });
    await observe(nld, 'track:6', { lat: 1, kind: 'tanker' });
    await crossBundle(nld, deu);
    const kindAt = (h: TestHome) => h.reconcile.picture({ subject: 'track:6' }).items[0]!.fields.find((f) => f.field === 'kind')!;
    expect(kindAt(deu)).toMatchObject({ observation: first, arbitrated: { why: expect.stringContaining('originator-wins') } });
    // NLD corrects itself: its later claim agrees with DEU's, no conflict is left at DEU. FRA gets both of NLD's at once and never sees one.
    await observe(nld, 'track:6', { lat: 1, kind: 'frigate' });
    await crossBundle(nld, deu);
    await crossBundle(nld, fra);
    await crossBundle(deu, fra);
    const [atDeu, atFra] = [deu, fra].map((h) => h.reconcile.picture({ subject: 'track:6' }));
    expect(atDeu!.digest).toBe(atFra!.digest);
    // The same items; each mesh shows a label's marking in its own terms (FRA writes DEU's with the policy's name), so those differ.
    const signed = (items: NonNullable<typeof atDeu>['items']) => items.map(({ markings: _shown, ...item }) => ({ ...item, fields: item.fields.map(({ marking: _marking, ...f }) => f) }));
    expect(signed(atDeu!.items)).toEqual(signed(atFra!.items));
    expect(kindAt(deu)).toMatchObject({ observation: first });
    expect(kindAt(deu)).not.toHaveProperty('arbitrated');
    // The log keeps the history: the arbitration DEU made while the conflict stood.
    expect(deu.db.prepare("SELECT COUNT(*) FROM audit_entries WHERE type = 'ordering'").pluck().get()).toBe(1);
  });

  it('restates why a winner still prevails when another candidate joins the conflict, as a mesh that got all three at once states it', async () => {
    const { homes } = await federate(home, ['DEU', 'NLD', 'FRA'], { scope: () => RULE, overrides: { arbitration: { policy: 'originator-wins', divergenceThreshold: 0.9 } } });
    const [deu, nld, fra] = homes as [TestHome, TestHome, TestHome];
    const first = await observe(deu, 'track:8', { lat: 1, kind: 'frigate' });
    await observe(nld, 'track:8', { lat: 1, kind: 'tanker' });
    await observe(fra, 'track:8', { lat: 1, kind: 'corvette' });
    await crossBundle(nld, deu);
    const whyAt = (h: TestHome) => h.reconcile.picture({ subject: 'track:8' }).items[0]!.fields.find((f) => f.field === 'kind')!.arbitrated?.why;
    expect(whyAt(deu)).toContain('of 2 candidates');
    await crossBundle(fra, deu);
    // DEU relays NLD's reading with its own: FRA holds all three at once.
    await crossBundle(deu, fra);
    expect(whyAt(fra)).toContain('of 3 candidates');
    expect(whyAt(deu)).toBe(whyAt(fra));
    expect(deu.reconcile.picture({ subject: 'track:8' }).items[0]!.fields.find((f) => f.field === 'kind')!.observation).toBe(first);
  });

  it('keeps an escalated item open for someone above, refuses the same escalation again as replayed, and lets another decision settle it', async () => {
    const { deu, b, item } = await heldAtDeu(RULE, 'track:7');
    await deu.credentials.enrol({ role: 'operator', id: 'op-weber', algorithm: 'Ed25519' });
    const escalate = () => deu.reconcile.decide({ item, action: 'escalate', reason: 'Needs the task group commander', operator: 'op-weber' });
    const first = await escalate();
    expect(first.item).toMatchObject({ status: 'escalated', decision: first.id });
    const entries = deu.audit.verify().entries;
    expect(await refusal(escalate)).toBe('decision-replayed');
    // Refused before anything was signed: no observation, no log entry.
    expect(deu.audit.verify().entries).toBe(entries);
    expect(deu.db.prepare('SELECT COUNT(*) FROM observations WHERE class = ?').pluck().get(DECISION_CLASS)).toBe(1);
    const settled = await deu.reconcile.decide({ item, action: 'choose', choose: b, reason: 'The commander chose the boarding report', operator: 'op-weber' });
    expect(settled.item).toMatchObject({ status: 'decided', decision: settled.id });
    expect(deu.reconcile.picture({ subject: 'track:7' }).items[0]).toMatchObject({ state: 'merged', fields: [{ field: 'kind', observation: b }, { field: 'lat' }] });
  });

  it('refuses by name a partner decision signed by a device, not an operator, carried in a bundle; the item stays open', async () => {
    const { id, deu, nld, a, b, item } = await heldAtDeu(RULE, 'track:8', [[0, 1], [1, 0]]);
    const digest = deu.reconcile.picture().digest;

    // NLD's sensor signs what only an operator may: a decision for its own reading, as decide.ts would shape it.
    const template = storedRecord(nld, b).record as unknown as GovernedObservation;
    const certificate = readPrincipal(nld.db, 'device', 'sensor-1')!.certificateSha256;
    const key = await nld.context.writing().keyring.key(certificate);
    const { integrity: _signature, ...lineage } = template.lineage;
    const forged = signObservation(
      {
        ...template,
        class: DECISION_CLASS,
        payload: { item, action: 'choose', choose: b, reason: 'Our sensor is sure' },
        time: { ...template.time, hlc: { l: template.time.hlc.l, c: template.time.hlc.c + 1 } },
        lineage: { ...lineage, sources: [a, b].sort(), derivation: { ...DECISION_DERIVATION } },
      } as UnsignedObservation,
      key,
    );
    const dir = makeTempDir('entente-device-decision-');
    try {
      await exportTo(nld, 'DEU', dir.file('real.bundle'));
      const { envelope, signer } = await agentHello(nld, 'DEU', id);
      await writeByHand(dir.file('forged.bundle'), { hello: envelope, signer, sections: sectionsOf(dir.file('real.bundle')), observations: [{ record: forged as never, certificate }] });
      const report = await importFile(deu, dir.file('forged.bundle'));
      expect(report.counts).toMatchObject({ admitted: 0, rejected: 1 });
      expect(report.refusals).toEqual([expect.objectContaining({ id: observationId(forged), reason: 'wrong-key-usage' })]);
      expect(report.refusals[0]!.message).toContain('operator extended key usage');
    } finally {
      dir.remove();
    }
    expect(deu.reconcile.item(item)).toMatchObject({ status: 'open', decision: null });
    expect(deu.reconcile.picture().digest).toBe(digest);
    expect(deu.db.prepare('SELECT COUNT(*) FROM observations WHERE class = ?').pluck().get(DECISION_CLASS)).toBe(0);
    expect(deu.audit.verify().failures).toEqual([]);
  });
});
