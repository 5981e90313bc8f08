/**
 * Federations between real meshes on real stores: signing by every partner, the lifecycle
 * under a clock that is set back, foreign observations admitted and then purged on exit with
 * the purge recorded, and each bad input of issue 5 refused by name with nothing written.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalize } from '../canonical/jcs.js';
import { declarationFor, type TestMesh } from '../federation/test-fixtures.js';
import { openDatabase, type WriteDb as Db } from '../store/database.js';
import { readCertificate } from '../store/mesh-store.js';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { verifyAuditLog } from './audit-service.js';
import { enrol, initMesh, requireMesh } from './credentials-service.js';
import { admitForeignObservation } from './foreign-service.js';
import { authoritySigner, exportFederation, federationStatus, importFederation, mayCrossNow, meshCard, propose, sign, withdraw } from './federation-service.js';
import { observe, verifyAll } from './observation-service.js';

let dir: TempDir;
const homes: Db[] = [];
beforeEach(() => (dir = makeTempDir('entente-federation-')));
afterEach(() => {
  for (const db of homes.splice(0)) db.close();
  dir.remove();
});

async function home(code: string): Promise<Db> {
  const db = openDatabase(dir.file(`${code}.db`));
  homes.push(db);
  await initMesh(db, { mesh: code, algorithm: 'Ed25519', passphrase: null });
  await enrol(db, { role: 'device', id: 'sensor-1', algorithm: 'Ed25519', passphrase: null });
  return db;
}

/** The fixtures' declaration, with these homes' real cards. */
function declarationOf(dbs: Db[], overrides: Parameters<typeof declarationFor>[1] = {}) {
  const meshes = dbs.map((db) => ({ code: requireMesh(db).code, card: meshCard(db) }) as unknown as TestMesh);
  return declarationFor(meshes, overrides);
}

const carry = (from: Db, to: Db, id: string) => importFederation(to, JSON.stringify(exportFederation(from, id)), null);

async function refusal(work: () => unknown): Promise<string> {
  try {
    await work();
    return 'accepted';
  } catch (error) {
    return (error as { reason?: string }).reason ?? `threw ${(error as Error).message}`;
  }
}

const label = (classification: string) => JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification, categories: [], createdAt: '2026-11-23T08:00:00Z' });

/** A partner records an observation; what would cross: its record and its device certificate. */
async function partnerObservation(db: Db, cls: string, classification = 'CONFIDENTIAL') {
  const { record } = await observe(db, { device: 'sensor-1', class: cls, subject: `${cls}:1`, labelText: label(classification), payloadText: '{"x":1}', derivedFrom: [], derivation: null, passphrase: null });
  return { recordText: canonicalize(record), deviceCertificatePem: readCertificate(db, record.device.certificate)!.pem };
}

describe('federations between homes', () => {
  it('is active only once every partner signed, across three homes', async () => {
    const [deu, nld, pol] = [await home('DEU'), await home('NLD'), await home('POL')];
    const { id } = propose(deu, declarationOf([deu, nld, pol]), null);
    expect(federationStatus(deu, null)[0]).toMatchObject({ state: 'proposed', partners: [{ signature: 'signed' }, { signature: 'missing' }, { signature: 'missing' }] });
    carry(deu, nld, id);
    sign(nld, id, null);
    carry(nld, pol, id);
    expect(sign(pol, id, null).state).toBe('active');
    carry(pol, deu, id);
    expect(federationStatus(deu, null)[0]).toMatchObject({ state: 'active', version: 1 });
    expect(mayCrossNow(deu, 'NLD', 'DEU', 'track')).toMatchObject({ allowed: true, ceiling: { classification: 'CONFIDENTIAL' } });
    expect(verifyAuditLog(deu).failures).toEqual([]);
    const reasons = deu.prepare("SELECT json_extract(entry, '$.why.reasons[0]') FROM audit_entries WHERE type = 'federation' ORDER BY seq").pluck().all();
    expect(reasons).toEqual(['proposed', 'imported', 'activated']);

    // DEU and NLD cannot amend POL out of it, by proposing such a version or by carrying one over.
    const before = deu.prepare('SELECT COUNT(*) FROM federation_versions').pluck().get();
    const withoutPol = { ...declarationOf([deu, nld]), id, version: 2 };
    expect(await refusal(() => propose(deu, withoutPol, null))).toBe('partner-dropped');
    const carried = { ...exportFederation(nld, id), declaration: withoutPol, signatures: [] };
    expect(await refusal(() => importFederation(deu, JSON.stringify(carried), null))).toBe('partner-dropped');
    expect(deu.prepare('SELECT COUNT(*) FROM federation_versions').pluck().get()).toBe(before);
  });

  it('stays expired when the workstation clock is set back', async () => {
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    const expires = new Date(Date.now() + 3_600_000);
    const { id } = propose(deu, declarationOf([deu, nld], { validity: { start: new Date(Date.now() - 60_000).toISOString(), expires: expires.toISOString() } }), null);
    carry(deu, nld, id);
    sign(nld, id, null);
    carry(nld, deu, id);
    expect(federationStatus(deu, null)[0]!.state).toBe('active');
    const later = new Date(expires.getTime() + 60_000);
    expect(federationStatus(deu, authoritySigner(deu, null), later)[0]!.state).toBe('exited');
    // Back to "now": the floor remembers the later moment.
    expect(federationStatus(deu, null, new Date())[0]!.state).toBe('exited');
    expect(mayCrossNow(deu, 'NLD', 'DEU', 'track', new Date())).toMatchObject({ allowed: false });
  });

  it('admits a partner’s observation under the federation, then purges it and what was derived from it when the partner withdraws', async () => {
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    const retainIncidents = declarationOf([deu, nld]);
    retainIncidents.scope[1] = { ...retainIncidents.scope[1]!, classes: ['track', 'incident'] };
    const { id } = propose(deu, retainIncidents, null);
    carry(deu, nld, id);
    sign(nld, id, null);
    carry(nld, deu, id);

    const signer = authoritySigner(deu, null);
    const track = admitForeignObservation(deu, signer, await partnerObservation(nld, 'track'));
    const incident = admitForeignObservation(deu, signer, await partnerObservation(nld, 'incident'));
    expect(await refusal(async () => admitForeignObservation(deu, signer, await partnerObservation(nld, 'track', 'SECRET')))).toBe('above-ceiling');
    expect(await refusal(async () => admitForeignObservation(deu, signer, await partnerObservation(nld, 'logistics')))).toBe('out-of-scope');
    const derived = await observe(deu, { device: 'sensor-1', class: 'track', subject: 'track:1', labelText: label('CONFIDENTIAL'), payloadText: '{"fused":true}', derivedFrom: [track.id], derivation: { name: 'fuse', version: '1' }, passphrase: null });
    expect(await verifyAll(deu)).toMatchObject({ checked: 3, verified: 3 });

    withdraw(nld, id, 'Exercise ended early for NLD', null);
    carry(nld, deu, id);
    expect(federationStatus(deu, null)[0]!.state).toBe('exited');
    const held = deu.prepare('SELECT id FROM observations ORDER BY id').pluck().all();
    expect(held).toEqual([incident.id]);
    const purge = deu.prepare("SELECT entry FROM audit_entries WHERE type = 'purge'").pluck().get() as string;
    const entry = JSON.parse(purge) as { what: { ids: string[]; detail: Record<string, unknown> }; why: { reasons: string[] } };
    expect(entry.what.ids.sort()).toEqual([track.id, derived.id].sort());
    expect(entry.what.detail).toMatchObject({ partner: 'NLD', foreignPurged: 1, derivedPurged: 1, retained: 1 });
    expect(entry.why.reasons).toEqual(['federation-withdrawn']);
    expect(purge).not.toContain('"x":1');
    expect(verifyAuditLog(deu).failures).toEqual([]);
    expect(await verifyAll(deu)).toMatchObject({ checked: 1, verified: 1 });
  });
});

describe('bad federation input, each refused by name with nothing written', () => {
  it('refuses a signature by a non-partner key, an altered declaration and a replayed older version', async () => {
    const [deu, nld, pol] = [await home('DEU'), await home('NLD'), await home('POL')];
    const { id } = propose(deu, declarationOf([deu, nld]), null);
    const exchange = exportFederation(deu, id);
    const before = nld.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get();

    // POL is no partner: its authority's signature over the same bytes is refused.
    const polSigner = authoritySigner(pol, null);
    const { signDeclaration } = await import('../federation/signatures.js');
    const { parseDeclaration } = await import('../federation/declaration.js');
    const stranger = signDeclaration(parseDeclaration(exchange.declaration), { keyid: polSigner.certificateSha256, key: polSigner.key });
    expect(await refusal(() => importFederation(nld, JSON.stringify({ ...exchange, signatures: [...exchange.signatures, stranger] }), null))).toBe('not-a-partner-signature');

    const altered = { ...exchange, declaration: { ...(exchange.declaration as object), purpose: 'Quietly widened' } };
    expect(await refusal(() => importFederation(nld, JSON.stringify(altered), null))).toBe('bad-signature');
    expect(nld.prepare('SELECT COUNT(*) FROM federation_versions').pluck().get()).toBe(0);
    expect(nld.prepare('SELECT COUNT(*) FROM audit_entries').pluck().get()).toBe(before);

    // Version 2 is signed by both; then version 1 is replayed to a home that holds only version 2 in force.
    carry(deu, nld, id);
    sign(nld, id, null);
    carry(nld, deu, id);
    const v2 = { ...declarationOf([deu, nld]), id, version: 2, purpose: 'Amended' };
    const v1Exchange = exportFederation(deu, id);
    propose(deu, v2, null);
    carry(deu, nld, id);
    sign(nld, id, null);
    expect(federationStatus(nld, null)[0]).toMatchObject({ version: 2, inForce: 2, amended: [1] });
    // The genuine version 1, fully signed, replayed after version 2 came into force.
    expect(await refusal(() => importFederation(nld, JSON.stringify(v1Exchange), null))).toBe('rollback');
  });

  it('refuses a card that does not match its anchor, an expiry in the past, an unknown class and a malformed file', async () => {
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    const mismatched = declarationOf([deu, nld]);
    mismatched.partners[1] = { ...mismatched.partners[1]!, card: { ...mismatched.partners[1]!.card, trustAnchor: { ...mismatched.partners[1]!.card.trustAnchor, sha256: 'ab'.repeat(32) } } };
    expect(await refusal(() => propose(deu, mismatched, null))).toBe('card-mismatch');
    const ours = declarationOf([deu, nld]);
    ours.partners[0] = { ...ours.partners[0]!, card: meshCard(nld) as never };
    expect(await refusal(() => propose(deu, { ...ours, partners: [{ ...ours.partners[0]!, mesh: 'DEU', card: { ...meshCard(nld), mesh: 'DEU' } }, ours.partners[1]!] }, null))).toBe('card-mismatch');
    expect(await refusal(() => propose(deu, declarationOf([deu, nld], { validity: { start: '2020-01-01T00:00:00Z', expires: '2020-02-01T00:00:00Z' } }), null))).toBe('expired-declaration');
    const unknownClass = declarationOf([deu, nld]);
    unknownClass.scope[0] = { ...unknownClass.scope[0]!, classes: ['weather'] };
    expect(await refusal(() => propose(deu, unknownClass, null))).toBe('unknown-class');
    expect(await refusal(() => importFederation(nld, '{"type":"entente.federation-exchange/v1"', null))).toBe('malformed-file');
    expect(await refusal(() => importFederation(nld, '{"type":"something else"}', null))).toBe('malformed-file');
    expect(deu.prepare('SELECT COUNT(*) FROM federation_versions').pluck().get()).toBe(0);
  });

  it('refuses a version far ahead of the last one, and a missing signature leaves it proposed', async () => {
    const [deu, nld] = [await home('DEU'), await home('NLD')];
    const { id } = propose(deu, declarationOf([deu, nld]), null);
    expect(await refusal(() => propose(deu, { ...declarationOf([deu, nld]), id, version: 5 }, null))).toBe('fast-forward');
    carry(deu, nld, id);
    expect(federationStatus(nld, null)[0]).toMatchObject({ state: 'proposed', partners: [{ mesh: 'DEU', signature: 'signed' }, { mesh: 'NLD', signature: 'missing' }] });
    expect(mayCrossNow(nld, 'DEU', 'NLD', 'track')).toMatchObject({ allowed: false, reason: 'not-active' });
  });
});
