/**
 * How a federation adopts a declared arbitration (issue 15): a new declaration version, with
 * rules, proposed by one partner and signed again by all; until the last signature the old
 * version's shorthand stays in force, and a hostile policy is refused at proposal with nothing
 * written. The policy in force then decides the same winner on each home.
 */
import { describe, expect, it } from 'vitest';
import type { Declaration } from '../../federation/declaration.js';
import { declarationFor, type TestMesh } from '../../federation/test-fixtures.js';
import { arbitrate, type Candidate } from '../../reconcile/arbitration/index.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';

const home = useTestHomes('entente-arbitration-');

const declarationOf = (hs: TestHome[], overrides: Partial<Declaration> = {}) =>
  declarationFor(hs.map((h) => ({ code: h.mesh.require().mesh.code, card: h.mesh.card() }) as unknown as TestMesh), overrides);
const carry = (from: TestHome, to: TestHome, id: string) => to.federations.import(JSON.stringify(from.federations.export(id)));

const rules: Declaration['arbitration'] = {
  rules: [
    { classes: ['incident'], strategy: { kind: 'priority', by: 'mesh', order: ['NLD', 'DEU'] } },
    { classes: ['track'], fields: ['position'], strategy: { kind: 'composite', weights: { freshness: 0.6, confidence: 0.4 } } },
  ],
  default: { kind: 'most-recent' },
  tieBreak: ['mesh-order', 'observation-id'],
  meshOrder: ['DEU', 'NLD'],
  divergenceThreshold: 0.25,
  concurrencyWindowSeconds: 60,
  fieldWeights: { position: 2, identity: 1 },
  decisionPrecedence: ['DEU', 'NLD'],
};

describe('adopting a declared arbitration', () => {
  it('is a version 2 every partner signs again; the shorthand holds until then', async () => {
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    const v1 = declarationOf([deu, nld]);
    const { id } = await deu.federations.propose(v1);
    await carry(deu, nld, id);
    expect((await nld.federations.sign(id)).inForce?.declaration.arbitration).toEqual({ policy: 'originator-wins', divergenceThreshold: 0.2 });
    await carry(nld, deu, id);

    // A hostile version 2 is refused at proposal, by reason, and nothing is written.
    const versions = () => deu.db.prepare('SELECT COUNT(*) FROM federation_versions').pluck().get();
    const before = versions();
    const deep = { op: '-', args: [{ op: '-', args: [{ op: '-', args: [{ op: '-', args: [{ op: '-', args: [{ op: '-', args: [{ op: '-', args: [{ op: '-', args: [1] }] }] }] }] }] }] }] };
    expect(await refusal(() => deu.federations.propose({ ...v1, version: 2, arbitration: { ...rules, default: { kind: 'custom', rule: deep } } }))).toBe('rule-too-deep');
    expect(await refusal(() => deu.federations.propose({ ...v1, version: 2, arbitration: { ...rules, meshOrder: ['DEU', 'FRA'] } }))).toBe('unknown-mesh');
    expect(versions()).toBe(before);

    const proposed = await deu.federations.propose({ ...v1, version: 2, arbitration: rules });
    expect(proposed.version).toBe(2);
    // Signed by DEU alone, version 2 is not in force: version 1's shorthand still is.
    expect((await deu.federations.status())[0]).toMatchObject({ version: 2, inForce: 1 });
    await carry(deu, nld, id);
    const signed = await nld.federations.sign(id);
    expect(signed).toMatchObject({ state: 'active', inForce: { declaration: { version: 2, arbitration: rules } } });
    await carry(nld, deu, id);
    const onDeu = (await deu.federations.status())[0]!;
    expect(onDeu).toMatchObject({ state: 'active', version: 2, inForce: 2 });

    // Both homes now hold the same policy and so pick the same winner, whatever the order.
    const inForce = (h: TestHome) => (h.federations.detail(id)!.declaration as unknown as Declaration).arbitration;
    expect(inForce(deu)).toEqual(inForce(nld));
    const at = Date.parse('2026-12-01T10:00:00Z');
    const base = { class: 'incident', hlc: { l: at, c: 0 }, payload: {}, device: 'd1', credentialStrength: 1, sources: [] };
    const candidates: Candidate[] = [
      { ...base, id: 'a'.repeat(64), mesh: 'DEU', statedAt: at + 5_000, value: 'fire', authority: 'DEU-C2' },
      { ...base, id: 'b'.repeat(64), mesh: 'NLD', statedAt: at, value: 'flood', authority: 'NLD-JFC' },
    ];
    const onDeuSide = arbitrate(inForce(deu), 'incident:1', 'kind', candidates);
    const onNldSide = arbitrate(inForce(nld), 'incident:1', 'kind', [...candidates].reverse());
    expect(onDeuSide.winner.mesh).toBe('NLD');
    expect(onNldSide).toEqual(onDeuSide);
    expect(onDeuSide.why).toContain('rule 1 (classes incident), priority');
  });
});
