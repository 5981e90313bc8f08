/** The core's one door: every method answered as the contract says; anything else refused with a code and a sentence. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from './open-core.js';
import { declarationFor, testMesh } from '../federation/test-fixtures.js';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { methodNames, methods, type MethodName } from './contract/index.js';
import { dispatch } from './dispatch.js';
import { Refused } from '../common/refused.js';
import { ObservationError } from '../observation/record.js';

let dir: TempDir;
let core: Core;
let observationId: string;
let federationId: string;
let newDraft: unknown;
let exported: string;
beforeAll(async () => {
  dir = makeTempDir();
  core = openCore(dir.file('home'));
  // A workspace with something in it, so every method has a real answer to give.
  const { mesh, credentials, federations, observations } = core.services;
  await mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: false });
  await credentials.enrol({ role: 'device', id: 'uav-7', algorithm: 'Ed25519' });
  const nld = await testMesh('NLD');
  ({ id: federationId } = await federations.propose(declarationFor([{ code: 'DEU', card: mesh.card(), signer: nld.signer }, nld])));
  newDraft = { ...(federations.startDraft({ partners: ['NLD'] }) as object), purpose: 'A second federation, from the editor' };
  exported = JSON.stringify(federations.export(federationId));
  const label = { kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU'] }], createdAt: '2026-11-23T08:00:00Z' };
  ({ id: observationId } = await observations.observe({
    device: 'uav-7', class: 'track', subject: 'track:1', labelText: JSON.stringify(label), payloadText: '{"lat":52.1}', derivedFrom: [], derivation: null,
  }));
});
afterAll(() => {
  core.close();
  dir.remove();
});

/** Valid calls for each method; a new method fails to compile until it is listed here. */
const validCalls = (): Record<MethodName, unknown[]> => ({
  getAppInfo: [{}, undefined],
  getMeshIdentity: [{}],
  getWorkspaceInfo: [{}],
  listPrincipals: [{}, { role: 'device' }, { role: 'boundary-agent' }],
  listObservations: [
    {},
    { subject: 'track:1', limit: 1 },
    { mesh: 'DEU', class: 'track', offset: 0, limit: 500 },
    { subjectPrefix: 'track:', observedFrom: '2026-01-01T00:00:00Z', observedBefore: '2099-01-01T00:00:00Z', sort: 'subject', descending: true },
  ],
  getObservation: [{ id: observationId }],
  listAuditEntries: [{}, { type: 'observation', limit: 5 }, { subject: 'track:1', from: '2026-01-01T00:00:00Z', to: '2099-01-01T00:00:00Z' }, { federation: federationId }],
  getAuditLogState: [{}],
  verifyAuditLog: [{}, { operation: 'c'.repeat(32) }],
  listFederations: [{}],
  getFederation: [{ federation: federationId }],
  getFederationVersion: [{ federation: federationId, version: 1 }],
  listKnownPartners: [{}],
  startFederationDraft: [{ amend: federationId }, { partners: ['NLD'] }],
  checkFederationDraft: [{ draft: {} }, { draft: newDraft }],
  previewDraftEffect: [{ draft: newDraft }],
  proposeFederationDraft: [{ draft: newDraft, passphrase: null }],
  // Signing and withdrawing change what every later call sees: core/app/federations/federation-drafts.test.ts calls them.
  signFederation: [],
  withdrawFederation: [],
  exportFederation: [{ federation: federationId }],
  importFederation: [{ text: exported }],
  listIntegrityEvents: [{}, { kind: 'taint', limit: 5 }, { partner: 'NLD', offset: 0, limit: 500 }],
  listQuarantine: [{}, { all: true, limit: 5 }, { offset: 0, limit: 500 }],
  listBundleImports: [{}, { limit: 500 }],
  // Nothing is held or staged in this home: core/api/staged-imports.test.ts decides and imports real ones.
  releaseQuarantined: [],
  rejectQuarantined: [],
  importStagedBundle: [],
  cancelBundleImport: [{ staged: 'f'.repeat(32) }],
  exportAuditLog: [{ operation: 'd'.repeat(32), format: 'html' }, { operation: 'e'.repeat(32), format: 'bundle', subject: 'track:1' }, { operation: 'e'.repeat(32), format: 'json' }],
  exportAfterAction: [{ operation: 'a1'.repeat(16), criteria: { ids: [observationId] } }, { operation: 'a2'.repeat(16), criteria: { subjectPrefix: 'track:', label: 'SECRET' } }],
  cancelOperation: [{ operation: 'f'.repeat(32) }],
  getMarkingLevels: [{}],
  listLinks: [{}],
  getPicture: [{}, { subject: 'track:1' }, { limit: 500, offset: 0 }],
  listQueue: [{}, { all: true, limit: 5 }, { status: 'decided', cause: 'translation-seam', mesh: 'NLD', subjectPrefix: 'track:', search: 'x', sort: 'score', descending: true }],
  // No item is held in this home: the app's own tests decide real ones (core/app/reconcile).
  getQueueItem: [],
  decideQueueItem: [],
  // A replay needs a valid declaration: core/app/reconcile and the console's e2e replay real ones.
  replayPolicy: [],
  listBoundaryCredentials: [{}, { partner: 'NLD' }],
  getLineage: [{ ids: [observationId] }, { ids: [observationId], depth: 200, direction: 'descendants', maxNodes: 5000 }, { ids: ['b'.repeat(64)], direction: 'ancestors' }],
  getProvenance: [{ id: observationId }],
  listClockOffsets: [{}, { partner: 'NLD' }],
});

describe('dispatch', () => {
  it('answers every valid call of every method with a result that matches the contract', async () => {
    for (const method of methodNames) {
      for (const args of validCalls()[method]) {
        const answer = await core.call(method, args);
        expect(answer, `${method}(${JSON.stringify(args)})`).toMatchObject({ ok: true });
        if (answer.ok) expect(methods[method].result.safeParse(answer.value).success, method).toBe(true);
      }
    }
  });

  it('answers with what the workspace holds', async () => {
    expect(await core.call('getMeshIdentity', {})).toMatchObject({ ok: true, value: { mesh: { code: 'DEU', keysEncrypted: false } } });
    expect(await core.call('listPrincipals', { role: 'device' })).toMatchObject({ ok: true, value: { principals: [{ id: 'uav-7', status: 'active' }] } });
    expect(await core.call('listPrincipals', { role: 'operator' })).toEqual({ ok: true, value: { principals: [] } });
    expect(await core.call('listObservations', {})).toMatchObject({ ok: true, value: { total: 1, observations: [{ id: observationId, verification: { ok: true } }] } });
    expect(await core.call('listObservations', { subject: 'track:2' })).toEqual({ ok: true, value: { total: 0, observations: [] } });
    expect(await core.call('listObservations', { subjectPrefix: 'track:' })).toMatchObject({ ok: true, value: { total: 1 } });
    expect(await core.call('listObservations', { subjectPrefix: 'track:2' })).toMatchObject({ ok: true, value: { total: 0 } });
    // A wildcard in the prefix is a character, not a pattern.
    expect(await core.call('listObservations', { subjectPrefix: '%' })).toMatchObject({ ok: true, value: { total: 0 } });
    expect(await core.call('listObservations', { observedBefore: '2000-01-01T00:00:00Z' })).toMatchObject({ ok: true, value: { total: 0 } });
    expect(await core.call('getObservation', { id: observationId })).toMatchObject({ ok: true, value: { summary: { id: observationId }, lineage: { device: 'uav-7', sources: [] } } });
  });

  it('answers not-found for an observation the workspace does not hold', async () => {
    expect(await core.call('getObservation', { id: 'a'.repeat(64) })).toMatchObject({ ok: false, error: { code: 'not-found', message: expect.stringContaining('a'.repeat(64)) } });
  });

  it('refuses an unknown method, naming it', async () => {
    expect(await core.call('dropAllTables', {})).toMatchObject({ ok: false, error: { code: 'unknown-method', message: expect.stringContaining('dropAllTables') } });
    expect(await core.call({ toString: () => 'getAppInfo' }, {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    for (const name of ['__proto__', 'toString', 'hasOwnProperty', '', 'GETAPPINFO']) {
      expect(await core.call(name, {}), name).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    }
  });

  it('says where arguments were wrong', async () => {
    expect(await core.call('getAppInfo', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-arguments', issues: [expect.objectContaining({ path: '$' })] } });
    expect(await core.call('listObservations', { limit: 501 })).toMatchObject({ ok: false, error: { code: 'invalid-arguments', issues: [expect.objectContaining({ path: '$.limit' })] } });
  });

  it('refuses, and does not throw, arguments that cannot even be read', async () => {
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    const throwingTrap = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    for (const args of [revocable.proxy, throwingTrap]) {
      await expect(core.call('getAppInfo', args)).resolves.toMatchObject({ ok: false, error: { code: 'invalid-arguments', message: expect.stringMatching(/plain data/) } });
    }
  });

  it('reports a failing or misbehaving handler without its stack, keeping a deliberate code', async () => {
    const handlers = { ...core.handlers };
    const call = (replace: Partial<typeof handlers>) => dispatch({ ...handlers, ...replace }, 'getAppInfo', {});
    const malformed = await call({ getAppInfo: () => ({ name: 'Entente', version: '1', contractVersion: -1 }) });
    expect(malformed).toEqual({ ok: false, error: { code: 'internal', message: 'The core answered getAppInfo with a malformed result.' } });
    const crashed = await call({ getAppInfo: () => { throw new Error('disk on fire'); } });
    expect(crashed).toEqual({ ok: false, error: { code: 'internal', message: 'getAppInfo failed: disk on fire.' } });
    expect(await call({ getAppInfo: () => Promise.reject(new Error('later')) })).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await call({ getAppInfo: () => { throw new Refused('unavailable', 'Not now.'); } })).toEqual({ ok: false, error: { code: 'unavailable', reason: 'unavailable', message: 'Not now.' } });
  });

  it('carries a refusal’s reason to the caller, from any part of the core', async () => {
    const handlers = { ...core.handlers };
    const call = (replace: Partial<typeof handlers>) => dispatch({ ...handlers, ...replace }, 'getAppInfo', {});
    expect(await call({ getAppInfo: () => { throw new Refused('above-ceiling', 'The label is above the federation’s ceiling.'); } })).toEqual({
      ok: false,
      error: { code: 'refused', reason: 'above-ceiling', message: 'The label is above the federation’s ceiling.' },
    });
    // A domain part's own error is a Refused too: its reason crosses as written.
    expect(await call({ getAppInfo: () => { throw new ObservationError('revoked', 'The device was revoked.'); } })).toEqual({
      ok: false,
      error: { code: 'refused', reason: 'revoked', message: 'The device was revoked.' },
    });
    const missing = await dispatch(handlers, 'getObservation', { id: 'a'.repeat(64) });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found', reason: 'not-found' } });
  });
});
