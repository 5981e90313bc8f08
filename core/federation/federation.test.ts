import { beforeAll, describe, expect, it } from 'vitest';
import type { DeclarationError} from './declaration.js';
import { declarationDigest, parseDeclaration, type Declaration } from './declaration.js';
import type { KeyObject } from 'node:crypto';
import { createMeshAuthority, generateKeyPair, issueCaCertificate } from '../credentials/index.js';
import { cardAuthority, checkCard } from './card.js';
import { admitVersion, evaluate, judgeSilence, mayCross, type FederationRecord, type VersionRecord } from './lifecycle.js';
import { signatureReport, signDeclaration } from './signatures.js';
import { atDay, declarationFor, testMesh, type TestMesh } from './test-fixtures.js';

let deu: TestMesh;
let nld: TestMesh;
let pol: TestMesh;
beforeAll(async () => {
  [deu, nld, pol] = await Promise.all([testMesh('DEU'), testMesh('NLD'), testMesh('POL')]);
});

// An hour from now: inside the federation's month, and after the meshes' certificates are made
// (a fixed hour of today would precede them once the day passed it).
const during = new Date(Date.now() + 3_600_000);
const after = atDay(31);

function version(declaration: Declaration, signers: readonly TestMesh[]): VersionRecord {
  const parsed = parseDeclaration(declaration);
  return { declaration: parsed, digest: declarationDigest(parsed), signatures: signers.map((m) => signDeclaration(parsed, m.signer)) };
}
const record = (versions: VersionRecord[], extra: Partial<FederationRecord> = {}): FederationRecord => ({ id: 'baltic-shield', versions, withdrawals: [], exits: [], ...extra });
const reasonOf = (work: () => unknown) => {
  try {
    work();
    return 'accepted';
  } catch (error) {
    return (error as DeclarationError).reason;
  }
};

describe('the declaration', () => {
  it('accepts a full declaration and names the first bad field otherwise', () => {
    expect(parseDeclaration(declarationFor([deu, nld])).partners).toHaveLength(2);
    expect(reasonOf(() => parseDeclaration({ ...declarationFor([deu, nld]), extra: 1 }))).toBe('malformed-declaration');
    expect(reasonOf(() => parseDeclaration('not a declaration'))).toBe('malformed-declaration');
    const unknownClass = declarationFor([deu, nld]);
    unknownClass.scope[0] = { ...unknownClass.scope[0]!, classes: ['track', 'weather'] };
    expect(reasonOf(() => parseDeclaration(unknownClass))).toBe('unknown-class');
    expect(() => parseDeclaration(declarationFor([deu, nld], { validity: { start: '2026-11-02T00:00:00Z', expires: '2026-11-01T00:00:00Z' } }))).toThrow(/validity.expires: must be after the start/);
    expect(() => parseDeclaration(declarationFor([deu, nld], { exit: [{ class: 'track', action: 'retain', derived: 'retain' }] }))).toThrow(/handling/);
  });

  it('checks that a card carries the anchor it names', () => {
    expect(checkCard(deu.card)).toEqual({ ok: true });
    expect(checkCard({ ...deu.card, trustAnchor: { sha256: nld.card.trustAnchor.sha256, pem: deu.card.trustAnchor.pem } })).toMatchObject({ ok: false, reason: 'card-mismatch' });
  });
});

describe('a card whose authority sits several levels below its root', () => {
  it('is accepted with its intermediates in any order, speaks with the deepest CA, and is refused with one missing', async () => {
    const root = await createMeshAuthority('POL', 'Ed25519');
    const levels: { pem: string; sha256: string; key: KeyObject }[] = [];
    let issuer = { issuerCertificatePem: root.anchor.pem, issuerKeys: root.issuerKeys };
    for (let level = 1; level <= 3; level += 1) {
      const keys = generateKeyPair('Ed25519');
      const ca = await issueCaCertificate({ mesh: 'POL', name: `POL Level ${level} CA`, subjectPublicKey: keys.publicKey, pathLength: 3 - level, ...issuer });
      levels.push({ pem: ca.pem, sha256: ca.sha256, key: keys.privateKey });
      issuer = { issuerCertificatePem: ca.pem, issuerKeys: keys };
    }
    const card = { ...pol.card, trustAnchor: { sha256: root.anchor.sha256, pem: root.anchor.pem }, intermediates: [...levels].reverse().map(({ pem, sha256 }) => ({ pem, sha256 })) };
    expect(checkCard(card)).toEqual({ ok: true });
    expect(cardAuthority(card)(levels[2]!.sha256, new Date())).toMatchObject({ ok: true });
    const gapped = { ...card, intermediates: card.intermediates.filter((i) => i.sha256 !== levels[1]!.sha256) };
    expect(checkCard(gapped)).toMatchObject({ ok: false, reason: 'card-mismatch', message: expect.stringContaining('POL Level 3 CA') });
  });
});

describe('signatures', () => {
  it('is complete only when every partner’s own authority signed', () => {
    const declaration = parseDeclaration(declarationFor([deu, nld]));
    const one = [signDeclaration(declaration, deu.signer)];
    expect(signatureReport(declaration, one, null, during)).toMatchObject({ complete: false, partners: [{ mesh: 'DEU', state: 'signed' }, { mesh: 'NLD', state: 'missing' }] });
    const both = [...one, signDeclaration(declaration, nld.signer)];
    expect(signatureReport(declaration, both, null, during).complete).toBe(true);
  });

  it('attributes a stranger’s signature to nobody, and one over altered bytes too', () => {
    const declaration = parseDeclaration(declarationFor([deu, nld]));
    const stranger = signDeclaration(declaration, { keyid: nld.signer.keyid, key: pol.signer.key });
    const report = signatureReport(declaration, [signDeclaration(declaration, deu.signer), stranger], null, during);
    expect(report).toMatchObject({ complete: false, unattributed: [stranger] });
    const altered = parseDeclaration({ ...declaration, purpose: 'something else' });
    expect(signatureReport(altered, [signDeclaration(declaration, deu.signer), signDeclaration(declaration, nld.signer)], null, during)).toMatchObject({ complete: false, unattributed: { length: 2 } });
  });

  it('needs the old and the new key when a partner rotates its authority', async () => {
    const v1 = parseDeclaration(declarationFor([deu, nld]));
    const nldRotated = await testMesh('NLD');
    const v2 = parseDeclaration({ ...declarationFor([deu, nldRotated]), version: 2 });
    const newOnly = [signDeclaration(v2, deu.signer), signDeclaration(v2, nldRotated.signer)];
    expect(signatureReport(v2, newOnly, v1, during)).toMatchObject({ complete: false, partners: [{ state: 'signed' }, { state: 'missing', rotation: { oldKeySigned: false, newKeySigned: true } }] });
    expect(signatureReport(v2, [...newOnly, signDeclaration(v2, nld.signer)], v1, during).complete).toBe(true);
    expect(signatureReport(v2, [signDeclaration(v2, deu.signer), signDeclaration(v2, nld.signer)], v1, during).complete).toBe(false);
  });
});

describe('the lifecycle', () => {
  it('goes draft → proposed → active → expired, and withdrawn or exited when on record', () => {
    const decl = declarationFor([deu, nld]);
    expect(evaluate(record([version(decl, [])]), during).state).toBe('draft');
    expect(evaluate(record([version(decl, [deu])]), during).state).toBe('proposed');
    const signed = record([version(decl, [deu, nld])]);
    expect(evaluate(signed, during).state).toBe('active');
    expect(evaluate(signed, atDay(-1)).state).toBe('proposed');
    expect(evaluate(signed, after).state).toBe('expired');
    expect(evaluate({ ...signed, withdrawals: [{ partner: 'NLD', at: during.toISOString(), reason: 'x' }] }, during).state).toBe('withdrawn');
    expect(evaluate({ ...signed, exits: [{ partner: 'NLD', at: during.toISOString() }] }, during).state).toBe('exited');
  });

  it('keeps the old version in force until every partner signed the amendment, then records it as amended', () => {
    const v1 = version(declarationFor([deu, nld]), [deu, nld]);
    const v2decl = declarationFor([deu, nld], { version: 2, purpose: 'Extended to incidents both ways' });
    const pending = evaluate(record([v1, version(v2decl, [deu])]), during);
    expect(pending).toMatchObject({ state: 'active', inForce: { declaration: { version: 1 } }, amended: [] });
    expect(evaluate(record([v1, version(v2decl, [deu, nld])]), during)).toMatchObject({ inForce: { declaration: { version: 2 } }, amended: [1] });
  });

  it('refuses rollback, fast-forward and a known version with other content', () => {
    const v1 = version(declarationFor([deu, nld]), [deu, nld]);
    const v2 = version(declarationFor([deu, nld], { version: 2, purpose: 'amended' }), [deu, nld]);
    const onRecord = record([v1, v2]);
    expect(admitVersion(onRecord, v1.declaration, v1.digest, during)).toMatchObject({ ok: false, reason: 'rollback' });
    const pendingV3 = version(declarationFor([deu, nld], { version: 3 }), [deu]);
    const otherV3 = parseDeclaration(declarationFor([deu, nld], { version: 3, purpose: 'altered' }));
    expect(admitVersion(record([v1, v2, pendingV3]), otherV3, declarationDigest(otherV3), during)).toMatchObject({ ok: false, reason: 'conflicting-version' });
    expect(admitVersion(onRecord, v2.declaration, v2.digest, during)).toEqual({ ok: true, known: true });
    const far = parseDeclaration(declarationFor([deu, nld], { version: 9 }));
    expect(admitVersion(onRecord, far, declarationDigest(far), during)).toMatchObject({ ok: false, reason: 'fast-forward' });
    const next = parseDeclaration(declarationFor([deu, nld], { version: 3 }));
    expect(admitVersion(onRecord, next, declarationDigest(next), during)).toEqual({ ok: true, known: false });
    expect(admitVersion(null, far, declarationDigest(far), during)).toMatchObject({ ok: false, reason: 'fast-forward' });
    // A version older than the one in force, never seen before, is a rollback.
    const v3 = version(declarationFor([deu, nld], { version: 3 }), [deu, nld]);
    const gap = record([v1, v3].map((v, i) => ({ ...v, declaration: { ...v.declaration, version: i === 0 ? 1 : 3 } })));
    const two = parseDeclaration(declarationFor([deu, nld], { version: 2 }));
    expect(admitVersion(gap, two, declarationDigest(two), during)).toMatchObject({ ok: false, reason: 'rollback' });
  });

  it('refuses a version that leaves out a partner of the one in force, and admits one that adds a partner', () => {
    const three = record([version(declarationFor([deu, nld, pol]), [deu, nld, pol])]);
    // DEU and NLD alone cannot amend POL out: POL would never have signed it.
    const withoutPol = parseDeclaration(declarationFor([deu, nld], { version: 2 }));
    const refused = admitVersion(three, withoutPol, declarationDigest(withoutPol), during);
    expect(refused).toMatchObject({ ok: false, reason: 'partner-dropped' });
    expect(refused.ok ? '' : refused.message).toMatch(/leaves out POL, partner of version 1 in force/);
    // Nor one partner with a stranger in the other's place.
    const two = record([version(declarationFor([deu, nld]), [deu, nld])]);
    const swapped = parseDeclaration(declarationFor([deu, pol], { version: 2 }));
    expect(admitVersion(two, swapped, declarationDigest(swapped), during)).toMatchObject({ ok: false, reason: 'partner-dropped' });
    // Adding a partner is an amendment like any other: every partner, old and new, signs it.
    const joined = parseDeclaration(declarationFor([deu, nld, pol], { version: 2 }));
    expect(admitVersion(two, joined, declarationDigest(joined), during)).toEqual({ ok: true, known: false });
    // A partner that withdrew has left already: a version without it is no amendment behind its back.
    const polWithdrew = { ...three, withdrawals: [{ partner: 'POL', at: during.toISOString(), reason: 'national decision' }] };
    expect(admitVersion(polWithdrew, withoutPol, declarationDigest(withoutPol), during)).toEqual({ ok: true, known: false });
    // Before anything is in force, a draft's partners may still change.
    const draft = record([version(declarationFor([deu, nld, pol]), [deu])]);
    expect(admitVersion(draft, withoutPol, declarationDigest(withoutPol), during)).toEqual({ ok: true, known: false });
  });
});

describe('enforcement', () => {
  it('answers may-this-cross from the version in force only', () => {
    const active = record([version(declarationFor([deu, nld]), [deu, nld])]);
    expect(mayCross([active], 'DEU', 'NLD', 'incident', during)).toMatchObject({ allowed: true, version: 1, ceiling: { classification: 'SECRET' }, caveats: ['EXERCISE ONLY'] });
    expect(mayCross([active], 'NLD', 'DEU', 'incident', during)).toMatchObject({ allowed: false, reason: 'out-of-scope' });
    expect(mayCross([active], 'DEU', 'NLD', 'track', after)).toMatchObject({ allowed: false, reason: 'not-active' });
    expect(mayCross([active], 'DEU', 'POL', 'track', during)).toMatchObject({ allowed: false, reason: 'no-federation' });
    const proposedOnly = record([version(declarationFor([deu, nld]), [deu])]);
    expect(mayCross([proposedOnly], 'DEU', 'NLD', 'track', during)).toMatchObject({ allowed: false, reason: 'not-active' });
  });

  it('tells intended silence from tolerated silence from an integrity event', () => {
    const declaration = parseDeclaration(declarationFor([deu, nld]));
    const windowStart = atDay(9);
    const minutes = (from: Date, n: number) => new Date(from.getTime() + n * 60_000);
    expect(judgeSilence(declaration, 'NLD', minutes(windowStart, -2), atDay(9, 5))).toMatchObject({ verdict: 'intended', window: { reason: 'planned EMCON' } });
    expect(judgeSilence(declaration, 'NLD', atDay(4, 12), minutes(atDay(4, 12), 4))).toEqual({ verdict: 'tolerated' });
    expect(judgeSilence(declaration, 'NLD', atDay(4, 12), atDay(4, 13))).toMatchObject({ verdict: 'integrity-event' });
    expect(judgeSilence(declaration, 'NLD', minutes(windowStart, -30), atDay(9, 5))).toMatchObject({ verdict: 'integrity-event' });
    expect(judgeSilence(declaration, 'DEU', minutes(windowStart, -2), atDay(9, 5))).toMatchObject({ verdict: 'integrity-event' });
  });
});
