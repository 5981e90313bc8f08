/**
 * Hostile arguments against every method of the contract, kept apart from the fast suite:
 * thousands of payloads a compromised or broken console could send. None is accepted, each
 * refusal names a code in one short sentence, no planted getter runs, nothing pollutes a
 * prototype, nothing throws.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from './open-core.js';
import { makeTempDir, type TempDir } from '../test-support/temp-dir.js';
import { methodNames, methods, type MethodName } from './contract/index.js';

let dir: TempDir;
let core: Core;
beforeAll(() => {
  dir = makeTempDir();
  core = openCore(dir.file('home'));
});
afterAll(() => {
  core.close();
  dir.remove();
});

/** A valid argument object per method; every hostile payload is one change away from it. */
const valid: Record<MethodName, Record<string, unknown>> = {
  getAppInfo: {},
  getMeshIdentity: {},
  getWorkspaceInfo: {},
  listPrincipals: { role: 'device' },
  listObservations: { subject: 'track:1', class: 'track', mesh: 'DEU', federation: 'baltic-shield', label: 'SECRET', limit: 10, offset: 0 },
  getObservation: { id: 'a'.repeat(64) },
  listAuditEntries: { type: 'decision', subject: 'track:1', federation: 'baltic-shield', from: '2026-11-23T00:00:00Z', to: '2026-11-24T00:00:00Z', limit: 10, offset: 0 },
  getAuditLogState: {},
  verifyAuditLog: {},
  listFederations: {},
  getFederation: { federation: 'baltic-shield' },
  getFederationVersion: { federation: 'baltic-shield', version: 1 },
  listKnownPartners: {},
  startFederationDraft: { amend: 'baltic-shield', partners: ['NLD'], cards: [] },
  checkFederationDraft: { draft: {} },
  previewDraftEffect: { draft: {} },
  proposeFederationDraft: { draft: {}, passphrase: null },
  signFederation: { federation: 'baltic-shield', passphrase: 'a passphrase' },
  withdrawFederation: { federation: 'baltic-shield', reason: 'mission over', passphrase: null },
  exportFederation: { federation: 'baltic-shield' },
  importFederation: { text: '{}' },
  listBoundaryCredentials: { partner: 'NLD' },
  getLineage: { ids: ['a'.repeat(64)], depth: 2, direction: 'both', maxNodes: 100 },
  getProvenance: { id: 'a'.repeat(64) },
  listIntegrityEvents: { kind: 'taint', partner: 'NLD', limit: 10, offset: 0 },
  listQuarantine: { all: false, limit: 10, offset: 0 },
  listBundleImports: { limit: 10 },
  releaseQuarantined: { id: 'a'.repeat(64), operator: 'lt-dupont', classification: 'SECRET', reason: 'handled as SECRET', passphrase: null },
  rejectQuarantined: { id: 'a'.repeat(64), operator: 'lt-dupont', reason: 'not for this mission', passphrase: 'a passphrase' },
  importStagedBundle: { staged: 'ab'.repeat(16), passphrase: 'a passphrase' },
  cancelBundleImport: { staged: 'ab'.repeat(16) },
  exportAuditLog: { operation: 'ab'.repeat(16), format: 'html', subject: 'track:1', federation: 'baltic-shield', from: '2026-11-23T00:00:00Z', to: '2026-11-24T00:00:00Z', passphrase: null },
  exportAfterAction: { operation: 'ab'.repeat(16), criteria: { subjectPrefix: 'track:' }, passphrase: null },
  cancelOperation: { operation: 'ab'.repeat(16) },
  getMarkingLevels: {},
  listLinks: {},
  getPicture: { subject: 'track:1', subjectPrefix: 'track:', state: 'held', limit: 10, offset: 0 },
  listQueue: { all: false, status: 'open', cause: 'genuine-disagreement', mesh: 'NLD', subjectPrefix: 'track:', search: 'frigate', sort: 'score', descending: true, limit: 10, offset: 0 },
  getQueueItem: { id: 'a'.repeat(64) },
  decideQueueItem: { item: 'a'.repeat(64), action: 'choose', choose: 'b'.repeat(64), reason: 'seen by the boarding team', operator: 'op-1', passphrase: null },
  replayPolicy: { policyText: '{}', from: '2026-11-23T00:00:00Z', to: '2026-11-24T00:00:00Z' },
  listClockOffsets: { partner: 'NLD' },
};

const fieldsOf = (method: MethodName): string[] => Object.keys(methods[method].args.shape);

const wrongType = fc.oneof(fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }));
const notAnInteger = fc.oneof(fc.double().filter((x) => !Number.isInteger(x)), fc.integer().map(String));
const hex = (length: number, digits = '0123456789abcdef') => fc.string({ unit: fc.constantFrom(...digits), minLength: length, maxLength: length });

/** Not a lowercase SHA-256 hex id: wrong types, lengths, case, or free text. */
const wrongId = fc.oneof(wrongType, fc.integer(), hex(63), hex(65), hex(64, '0123456789ABCDEF'), fc.string({ maxLength: 80 }));

/** For each argument any method takes: values it must refuse, wrong in type or out of range. */
const wrongValues: Record<string, fc.Arbitrary<unknown>> = {
  role: fc.oneof(wrongType, fc.integer(), fc.string().filter((s) => !['device', 'operator', 'boundary-agent'].includes(s)), fc.constantFrom('Device', 'root', 'device ')),
  subject: fc.oneof(wrongType, fc.double(), fc.string({ minLength: 257, maxLength: 300 })),
  class: fc.oneof(wrongType, fc.integer(), fc.string({ minLength: 65, maxLength: 100 })),
  mesh: fc.oneof(wrongType, fc.integer(), fc.constantFrom('deu', 'D', 'DE U', 'ABCDEFGHIJKLMNOPQ', '', 'DEU\n')),
  limit: fc.oneof(wrongType, notAnInteger, fc.integer({ max: 0 }), fc.integer({ min: 501 })),
  offset: fc.oneof(wrongType, notAnInteger, fc.integer({ max: -1 }), fc.integer({ min: 1_000_000_001 })),
  id: wrongId,
  /** replayPolicy's past decision: an observation id, so the same wrong ids. */
  decision: wrongId,
  type: fc.oneof(wrongType, fc.integer(), fc.constantFrom('Decision', 'checkpoint', '', 'decision ')),
  from: fc.oneof(wrongType, fc.integer(), fc.constantFrom('yesterday', '2026-13-01T00:00:00Z', '2026-11-23', '')),
  to: fc.oneof(wrongType, fc.integer(), fc.constantFrom('tomorrow', '2026-11-23T25:00:00Z', '')),
  kind: fc.oneof(wrongType, fc.integer(), fc.constantFrom('Taint', '', 'taint ', '-taint', 'taint\n', 'x'.repeat(65))),
  partner: fc.oneof(wrongType, fc.integer(), fc.constantFrom('nld', 'N', 'NL D', 'ABCDEFGHIJKLMNOPQ', '', 'NLD\n')),
  all: fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 })),
  subjectPrefix: fc.oneof(wrongType, fc.double(), fc.string({ minLength: 257, maxLength: 300 })),
  observedFrom: fc.oneof(wrongType, fc.integer(), fc.constantFrom('yesterday', '2026-13-01T00:00:00Z', '2026-11-23', '')),
  observedBefore: fc.oneof(wrongType, fc.integer(), fc.constantFrom('tomorrow', '2026-11-23T25:00:00Z', '')),
  sort: fc.oneof(wrongType, fc.integer(), fc.constantFrom('HLC', 'observed_at', 'subject; DROP TABLE observations', '')),
  descending: fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.array(fc.jsonValue(), { maxLength: 3 })),
  amend: fc.oneof(wrongType, fc.integer(), fc.constantFrom('AB', '-abc', 'abc def', 'Baltic-Shield', 'x'.repeat(65))),
  version: fc.oneof(wrongType, notAnInteger, fc.integer({ max: 0 }), fc.integer({ min: 1_000_001 })),
  // Any JSON is a draft (the core's checker says what is wrong with it); only what JSON cannot carry is refused here.
  draft: fc.constantFrom(Number.NaN, Infinity, -Infinity, undefined, 1n),
  cards: fc.oneof(fc.boolean(), fc.constant(null), fc.string(), fc.integer(), fc.array(fc.jsonValue(), { minLength: 16, maxLength: 20 })),
  partners: fc.oneof(fc.boolean(), fc.string(), fc.array(fc.constantFrom('nld', 'N', ''), { minLength: 1, maxLength: 3 }), fc.array(fc.constant('NLD'), { minLength: 16, maxLength: 20 })),
  passphrase: fc.oneof(fc.boolean(), fc.integer(), fc.constant(''), fc.array(fc.string(), { maxLength: 2 }), fc.string({ minLength: 1025, maxLength: 1100 })),
  text: fc.oneof(wrongType, fc.integer(), fc.constant('')),
  ids: fc.oneof(wrongType, fc.string(), fc.constant([]), fc.array(hex(63), { minLength: 1, maxLength: 3 }), fc.array(hex(64, '0123456789ABCDEF'), { minLength: 1, maxLength: 2 }), fc.array(fc.constant('a'.repeat(64)), { minLength: 101, maxLength: 120 })),
  depth: fc.oneof(wrongType, notAnInteger, fc.integer({ max: 0 }), fc.integer({ min: 201 })),
  direction: fc.oneof(wrongType, fc.integer(), fc.constantFrom('up', 'Both', '', 'ancestors ')),
  maxNodes: fc.oneof(wrongType, notAnInteger, fc.integer({ max: 0 }), fc.integer({ min: 5001 })),
  federation: fc.oneof(wrongType, fc.integer(), fc.constantFrom('AB', 'ab', '-abc', 'abc def', 'abc\n', 'Baltic-Shield', 'x'.repeat(65)), fc.string({ minLength: 65, maxLength: 100 })),
  item: fc.oneof(wrongType, fc.integer(), hex(63), hex(65), hex(64, '0123456789ABCDEF')),
  action: fc.oneof(wrongType, fc.integer(), fc.constantFrom('Choose', 'accept', '', 'merge ')),
  choose: fc.oneof(wrongType, fc.integer(), hex(63), hex(64, '0123456789ABCDEF')),
  merge: fc.oneof(fc.boolean(), fc.constant(null), fc.integer(), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.constantFrom({ lat: 'short' }, { kind: 42 }, { ['x'.repeat(257)]: 'a'.repeat(64) })),
  // Invalid for every method taking a reason: a withdrawal (1–1,000 characters) and a decision (up to 2,000).
  reason: fc.oneof(wrongType, fc.integer(), fc.string({ minLength: 2_001, maxLength: 2_100 })),
  operator: fc.oneof(wrongType, fc.integer(), fc.string({ minLength: 129, maxLength: 200 })),
  classification: fc.oneof(wrongType, fc.integer(), fc.constant(''), fc.string({ minLength: 129, maxLength: 200 })),
  // A staged id is 32 lowercase hex digits and never a path.
  staged: fc.oneof(wrongType, fc.integer(), hex(31), hex(33), hex(32, '0123456789ABCDEF'), fc.constantFrom('../../etc/passwd', '/tmp/x.bundle', `${'a'.repeat(31)}/`)),
  status: fc.oneof(wrongType, fc.integer(), fc.constantFrom('Open', 'closed', '', 'open ')),
  state: fc.oneof(wrongType, fc.integer(), fc.constantFrom('Held', 'open', '', 'merged ')),
  cause: fc.oneof(wrongType, fc.integer(), fc.constantFrom('injection', 'Genuine-disagreement', '', 'translation-seam ')),
  search: fc.oneof(wrongType, fc.double(), fc.string({ minLength: 257, maxLength: 300 })),
  policyText: fc.oneof(wrongType, fc.integer(), fc.constant('')),
  // An operation id is the console's own name for a long operation: 32 lowercase hex digits, never a path.
  operation: fc.oneof(wrongType, fc.integer(), hex(31), hex(33), hex(32, '0123456789ABCDEF'), fc.constantFrom('../../etc/passwd', `${'a'.repeat(31)}/`)),
  format: fc.oneof(wrongType, fc.integer(), fc.constantFrom('pdf', 'HTML', '', 'bundle ')),
  label: fc.oneof(wrongType, fc.integer(), fc.string({ minLength: 65, maxLength: 100 })),
  criteria: fc.oneof(fc.boolean(), fc.constant(null), fc.string(), fc.integer(), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.constantFrom({ mesh: 'deu' }, { ids: [] }, { unknown: 1 }, { from: 'yesterday' }, { subjectPrefix: 'x'.repeat(257) })),
};

const nest = (depth: number, arrays: boolean): unknown => Array.from({ length: depth }).reduce<unknown>((inner) => (arrays ? [inner] : { n: inner }), 0);

/** An own key that an object literal or Object.assign would turn into a prototype change. */
function withOwnKey(base: Record<string, unknown>, key: string, value: unknown, viaJson: boolean): unknown {
  if (!viaJson) return Object.defineProperty({ ...base }, key, { value, enumerable: true, writable: true, configurable: true });
  const members = [[key, value], ...Object.entries(base)].map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return JSON.parse(`{${members.join(',')}}`);
}

/** Getters planted in arguments count their calls here: the boundary must never run one. */
let gettersRun = 0;

class Arguments {
  readonly from = 'a class';
}

/** Wraps an argument that throws when read, so that only dispatch ever reads it. */
class Unreadable {
  constructor(readonly make: () => unknown) {}
}

function hostileArguments(method: MethodName): fc.Arbitrary<unknown> {
  const base = valid[method];
  const fields = fieldsOf(method);
  // Where a hostile value goes: in a real argument's place, or under a key of its own.
  const slot = fc.constantFrom(...fields, 'extra');
  const replace = (key: string, value: unknown) => ({ ...base, [key]: value });
  const kinds: fc.Arbitrary<unknown>[] = [
    // Not an argument object at all.
    fc.oneof(fc.constant(null), fc.double(), fc.integer(), fc.string(), fc.boolean(), fc.bigInt(), fc.array(fc.jsonValue()), fc.constantFrom(Number.NaN, Infinity, -Infinity, Symbol('args'), () => base)),
    // An argument the method does not take.
    fc.tuple(fc.string().filter((k) => !fields.includes(k)), fc.jsonValue()).map(([key, value]) => replace(key, value)),
    // Keys that pollute prototypes, as real own keys (JSON.parse and defineProperty make them so).
    fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.jsonValue(), fc.boolean()).map(([key, value, viaJson]) => withOwnKey(base, key, value, viaJson)),
    fc.tuple(slot, fc.constantFrom('__proto__', 'constructor'), fc.jsonValue()).map(([key, polluting, value]) => replace(key, withOwnKey({}, polluting, value, true))),
    // Strings and keys over a megabyte.
    fc.tuple(slot, fc.integer({ min: 1, max: 1_000 })).map(([key, more]) => replace(key, 'x'.repeat(1_000_000 + more))),
    fc.integer({ min: 1, max: 1_000 }).map((more) => replace('k'.repeat(1_000_000 + more), 1)),
    // Wrong types and values for each argument the method does take.
    ...(fields.length > 0 ? [fc.constantFrom(...fields).chain((key) => wrongValues[key]!.map((value) => replace(key, value)))] : []),
    // Nesting past the boundary's depth, and more values than it admits.
    fc.tuple(slot, fc.integer({ min: 33, max: 400 }), fc.boolean()).map(([key, depth, arrays]) => replace(key, nest(depth, arrays))),
    slot.map((key) => replace(key, new Array<number>(100_001).fill(0))),
    // Getters (even ones answering a valid value), hidden properties and symbol keys.
    slot.map((key) => Object.defineProperty({ ...base }, key, { get: () => ((gettersRun += 1), base[key] ?? 'value'), enumerable: true })),
    fc.tuple(slot, fc.jsonValue()).map(([key, value]) => Object.defineProperty({ ...base }, key, { value, enumerable: false })),
    fc.jsonValue().map((value) => ({ ...base, [Symbol('extra')]: value })),
    // Class instances and borrowed prototypes, some carrying valid fields.
    fc.constantFrom(
      () => Object.assign(new Arguments(), base),
      () => Object.create(base) as unknown,
      () => Object.setPrototypeOf({ ...base }, { admin: true }) as unknown,
      () => new Date(0),
      () => new Map(Object.entries(base)),
      () => new Uint8Array(4),
      () => /args/,
      () => new String('{}'),
      () => new Error('args'),
      () => Promise.resolve(base),
    ).map((make) => make()),
    // Arrays JSON could not carry, in an argument's place.
    fc.constantFrom(
      () => Object.assign(new Array<number>(3), { 0: 1, 2: 3 }),
      () => new Array(2 ** 32 - 1),
      () => Object.defineProperty([0], '0', { get: () => 1, enumerable: true }),
      () => Object.assign(['a'], { extra: true }),
    ).chain((make) => slot.map((key) => replace(key, make()))),
    // Objects that cannot be read at all (made inside the property: fast-check itself reads values).
    fc.constantFrom(
      () => {
        const { proxy, revoke } = Proxy.revocable({ ...base }, {});
        revoke();
        return proxy;
      },
      () => new Proxy({ ...base }, { ownKeys: () => { throw new Error('trap'); } }),
      () => new Proxy({ ...base }, { getPrototypeOf: () => { throw new Error('trap'); } }),
    ).map((make) => new Unreadable(make)),
  ];
  return fc.oneof(...kinds);
}

describe('dispatch under hostile arguments', () => {
  const prototypeKeys = Reflect.ownKeys(Object.prototype);

  it('has wrong values listed for every argument the contract takes', () => {
    for (const method of methodNames) for (const field of fieldsOf(method)) expect(wrongValues, `${method}.${field}`).toHaveProperty(field);
  });

  it('starts from arguments each method accepts', async () => {
    for (const method of methodNames) expect(methods[method].args.safeParse(valid[method]).success, method).toBe(true);
  });

  it('previewDraftEffect: any JSON that is no valid declaration is refused as invalid-draft, in one sentence, never thrown', async () => {
    const declarationLike = fc.record({ type: fc.constantFrom('entente.federation/v1', 'x'), id: fc.string(), version: fc.oneof(fc.integer(), fc.string()), partners: fc.jsonValue(), scope: fc.jsonValue() });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 6 }), declarationLike), async (draft) => {
        const answer = await core.call('previewDraftEffect', { draft });
        expect(answer.ok).toBe(false);
        if (answer.ok) return;
        if (answer.error.code === 'invalid-arguments') {
          // A `__proto__`, `constructor` or `prototype` key anywhere is refused by the contract itself (plain-data.ts), before the draft is read.
          expect(JSON.stringify(draft)).toMatch(/"(?:__proto__|constructor|prototype)":/);
          expect(answer.error.message).toMatch(/^Arguments to previewDraftEffect refused: .+\.$/s);
        } else {
          expect(answer.error).toMatchObject({ code: 'refused', reason: 'invalid-draft' });
          expect(answer.error.message).toMatch(/^The draft is not valid yet.*\.$/s);
        }
        expect(answer.error.message.length).toBeLessThan(4_096);
      }),
      { numRuns: 300 },
    );
    expect(Reflect.ownKeys(Object.prototype)).toEqual(prototypeKeys);
  });

  for (const method of methodNames) {
    it(`${method}: refuses every hostile argument with a code and a short sentence, and never throws`, async () => {
      await fc.assert(
        fc.asyncProperty(hostileArguments(method), async (generated) => {
          const answer = await core.call(method, generated instanceof Unreadable ? generated.make() : generated);
          expect(answer.ok).toBe(false);
          if (answer.ok) return;
          expect(answer.error.code).toBe('invalid-arguments');
          expect(answer.error.message).toMatch(new RegExp(`^Arguments to ${method} refused: .+\\.$`, 's'));
          // The refusal does not echo a huge payload back, and crosses a boundary as JSON.
          expect(answer.error.message.length).toBeLessThan(4_096);
          expect(JSON.parse(JSON.stringify(answer))).toEqual(answer);
        }),
        { numRuns: 2_000 },
      );
      expect(gettersRun).toBe(0);
      expect(Reflect.ownKeys(Object.prototype)).toEqual(prototypeKeys);
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });
  }
});
