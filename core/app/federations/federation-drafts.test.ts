/**
 * The console's federation editor over real homes: a draft started from known partners, every
 * issue the core's schema finds with its field's path, this mesh's own checks, the crossing
 * preview against the version in force, and signing with a passphrase given for one call only
 * on a home whose services hold none (as `entente serve` opens it).
 */
import { describe, expect, it } from 'vitest';
import { createServices } from '../services.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';

const home = useTestHomes('entente-drafts-');
const PASS = 'drafts test passphrase';

const carry = (from: TestHome, to: TestHome, id: string) => to.federations.import(JSON.stringify(from.federations.export(id)));
const label = JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'CONFIDENTIAL', categories: [], createdAt: '2026-11-23T08:00:00Z' });
const observe = (h: TestHome, cls: string, n: number) =>
  Promise.all(Array.from({ length: n }, (_, i) => h.observations.observe({ device: 'sensor-1', class: cls, subject: `${cls}:${i}`, labelText: label, payloadText: '{"x":1}', derivedFrom: [], derivation: null })));

/** DEU with encrypted keys and an active federation with NLD (track only), opened a second time without a passphrase. */
async function federatedConsole() {
  const deu = await home('DEU', { passphrase: PASS });
  const nld = await home('NLD');
  const card = JSON.parse(JSON.stringify(nld.mesh.card())) as unknown;
  const draft = { ...(deu.federations.startDraft({ cards: [card] }) as Record<string, unknown>), purpose: 'Exercise BALTIC SHIELD' };
  const { id } = await deu.federations.propose(draft);
  await carry(deu, nld, id);
  await nld.federations.sign(id);
  await carry(nld, deu, id);
  // What `entente serve` holds: the same store, services without the passphrase.
  const served = createServices(deu.db, { passphrase: null });
  return { deu, nld, id, served };
}

describe('federation drafts', () => {
  it('lists every issue by its field, with the reason the core gives', async () => {
    const { served } = await federatedConsole();
    expect(served.federations.knownPartners()).toMatchObject([{ mesh: 'NLD' }]);
    const draft = served.federations.startDraft({ partners: ['NLD'] }) as Record<string, unknown>;
    const check = served.federations.checkDraft(draft);
    expect(check.issues).toEqual([{ path: 'purpose', reason: 'malformed-declaration', message: expect.stringMatching(/1 character/) }]);
    expect(check.digest).toBeNull();

    const scope = (draft.scope as { classes: string[] }[]).map((rule) => ({ ...rule, classes: ['track', 'weather'] }));
    const several = served.federations.checkDraft({ ...draft, purpose: 'x', scope, validity: { start: '2026-12-01T00:00:00Z', expires: 'soon' } });
    expect(several.issues.map((i) => `${i.path} ${i.reason}`)).toEqual([
      'validity.expires malformed-declaration',
      'scope.0.classes.1 unknown-class',
      'scope.1.classes.1 unknown-class',
      // The cross-field rule still runs over the fields that did parse: the expiry is not after the start either.
      'validity.expires malformed-declaration',
    ]);

    // Past the schema, this mesh's own checks: one at a time, pointed at the field they concern.
    const partners = (draft.partners as { mesh: string; card: { trustAnchor: object } }[]).map((p) => (p.mesh === 'DEU' ? { ...p, card: { ...p.card, trustAnchor: { ...p.card.trustAnchor, sha256: '0'.repeat(64) } } } : p));
    expect(served.federations.checkDraft({ ...draft, purpose: 'x', partners }).issues).toMatchObject([{ path: 'partners', reason: 'card-mismatch' }]);
    expect(served.federations.checkDraft({ ...draft, purpose: 'x', version: 3 }).issues).toMatchObject([{ path: 'version', reason: 'fast-forward' }]);
    expect(served.federations.checkDraft('not a declaration').issues).toMatchObject([{ path: '', reason: 'malformed-declaration' }]);
    expect(await refusal(() => served.federations.startDraft({ partners: ['POL'] }))).toBe('unknown-partner');
    expect(await refusal(() => served.federations.startDraft({}))).toBe('no-partner');
    expect(await refusal(() => served.federations.startDraft({ cards: [{ mesh: 'POL' }] }))).toBe('malformed-card');
  });

  it('previews what a new version would let cross, counted from this mesh’s observations', async () => {
    const { deu, id, served } = await federatedConsole();
    await observe(deu, 'track', 3);
    await observe(deu, 'incident', 2);
    const next = served.federations.startDraft({ amend: id }) as { version: number; scope: { from: string; classes: string[] }[] };
    expect(next.version).toBe(2);
    const widened = { ...next, scope: next.scope.map((rule) => (rule.from === 'DEU' ? { ...rule, classes: ['incident', 'track'] } : rule)) };
    const check = served.federations.checkDraft(widened);
    expect(check.issues).toEqual([]);
    expect(check.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(check.preview).toEqual({
      inForce: 1,
      rows: [
        { partner: 'NLD', class: 'incident', draft: true, inForce: false, observations: 2 },
        { partner: 'NLD', class: 'track', draft: true, inForce: true, observations: 3 },
      ],
    });
  });

  it('signs with the passphrase given for the call, refuses a wrong one, and keeps none', async () => {
    const { deu, nld, id, served } = await federatedConsole();
    const next = served.federations.startDraft({ amend: id });
    const versions = () => deu.db.prepare('SELECT COUNT(*) FROM federation_versions').pluck().get();
    expect(await refusal(() => served.federations.proposeDraft(next, 'not the passphrase'))).toBe('wrong-passphrase');
    expect(versions()).toBe(1);
    // The services hold no passphrase: without one for the call, the encrypted key cannot be opened.
    expect(await refusal(() => served.federations.proposeDraft(next))).not.toBe('accepted');
    expect(await served.federations.proposeDraft(next, PASS)).toMatchObject({ id, version: 2 });
    expect(versions()).toBe(2);

    // NLD proposes version 3; DEU signs it from the console.
    await carry(deu, nld, id);
    await nld.federations.sign(id);
    await nld.federations.propose(nld.federations.startDraft({ amend: id }));
    await carry(nld, deu, id);
    expect(served.federations.summary(id).partners.find((p) => p.mesh === 'DEU')?.signature).toBe('missing');
    expect(await refusal(() => served.federations.sign(id, 'wrong'))).toBe('wrong-passphrase');
    expect((await served.federations.sign(id, PASS)).state).toBe('active');
    expect(await refusal(() => served.federations.sign(id, PASS))).toBe('already-signed');

    expect(await refusal(() => served.federations.withdraw(id, 'mission over', 'wrong'))).toBe('wrong-passphrase');
    await served.federations.withdraw(id, 'mission over', PASS);
    expect(served.federations.summary(id)).toMatchObject({ partners: expect.arrayContaining([expect.objectContaining({ mesh: 'DEU', withdrawn: true })]) });
    expect(deu.audit.verify().failures).toEqual([]);
  });
});
