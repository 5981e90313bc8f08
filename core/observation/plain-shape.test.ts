/**
 * The quick shape check against the schema it stands in for: it accepts the usual records, and
 * whatever it accepts, the schema accepts too — over thousands of damaged records per run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../canonical/jcs.js';
import { signBatch } from './batch.js';
import { signedText } from './canonical-form.js';
import { hasPlainShape, signedTextOfPlain, textsOfPlain } from './plain-shape.js';
import { GovernedObservation } from './record.js';
import { signObservation } from './sign.js';
import { deviceFixture } from './test-fixtures.js';

const ed = deviceFixture('Ed25519');
const p256 = deviceFixture('ES256', 'NLD', 'radar-2');
const runs = Number(process.env.MUTATION_RUNS ?? 2_000);

const fullLabel = {
  kind: 'alternative',
  policy: { id: 'DEU-VS', uri: 'urn:oid:1.2.3' },
  classification: 'GEHEIM',
  privacyMark: 'NUR FÜR DEN DIENSTGEBRAUCH',
  categories: [
    { tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU', 'NLD'] },
    { tagName: 'Sensitive', type: 'RESTRICTIVE', uri: 'urn:x', values: ['CRYPTO'] },
  ],
  originator: { idType: 'mesh', id: 'DEU' },
  createdAt: '2026-11-23T08:00:00.123+01:00',
  reviewAt: '2027-11-23T08:00:00Z',
};

const samples = {
  original: signObservation(ed.record(1), ed.privateKey),
  es256: signObservation(p256.record(2), p256.privateKey),
  derived: signObservation(ed.record(7, { lineage: { device: 'uav-7', sources: ['0'.repeat(64), 'f'.repeat(64)], derivation: { name: 'fuse', version: '1.2' } } }), ed.privateKey),
  batched: signBatch(Array.from({ length: 11 }, (_, i) => ed.record(i)), ed.privateKey)[6]!,
  quotedSubject: signObservation(ed.record(4, { subject: 'contact "Zürich" \\ 7' }), ed.privateKey),
  fullLabel: signObservation(ed.record(3, { label: fullLabel as never, payload: { nested: [1, 'two', null, true, { deep: [] }], '': -0.5 } }), ed.privateKey),
};

/** Values a damaged member might hold: near misses of every rule in the schema. */
const oddValues = fc.oneof(
  fc.constantFrom<unknown>(null, undefined),
  fc.constantFrom<unknown>(
    undefined, null, true, 0, -1, 1.5, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, 1_000_001, 1 << 20, (1 << 20) + 1,
    '', ' ', 'x', ' padded ', 'a\nb', '\u0085', '\ud800', 'e\u0301', '\uffff', 'DEU', 'deu', 'D', 'track', 'Track', 'signature', 'batch',
    'Ed25519', 'ES256', 'RS256', 'originator', 'alternative', 'PERMISSIVE', 'local', 'global', '2026-11-23T08:00:00Z', '2026-02-30T08:00:00Z',
    '2026-11-23T08:00:00', '1999-01-01T00:00:00Z', '0'.repeat(64), 'F'.repeat(64), 'f'.repeat(63), 'A'.repeat(513), 'x'.repeat(257),
    [], [1], ['0'.repeat(64)], ['f'.repeat(64), '0'.repeat(64)], {}, { name: 'fuse', version: '1' }, { id: 'NATO' }, new Date(0), [undefined], Object.create(null),
  ),
  fc.string(),
  fc.integer(),
  fc.jsonValue({ maxDepth: 2 }),
);

type Path = (string | number)[];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- records damaged member by member, whatever their type says.
type Loose = any;

/** signedTextOfPlain writes what signedText writes, or refuses what it refuses. */
function expectSameSignedText(record: GovernedObservation): void {
  const written = (sign: (r: GovernedObservation) => string): string => {
    try {
      return sign(record);
    } catch (error) {
      return `refused: ${(error as Error).message}`;
    }
  };
  expect(written(signedTextOfPlain)).toBe(written(signedText));
  // The whole record's text written beside it is the store's canonical form, or left to canonicalize when it falls back.
  let texts: ReturnType<typeof textsOfPlain> | undefined;
  try {
    texts = textsOfPlain(record);
  } catch {
    texts = undefined;
  }
  if (texts?.record !== undefined) {
    expect(texts.signed).toBe(signedText(record));
    expect(texts.record).toBe(canonicalize(record));
  }
}

/** Every member path of a JSON value, with the containers first. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...children.flatMap((key) => pathsOf((value as Record<string | number, unknown>)[key], [...prefix, key]))];
}

type Damage =
  | { kind: 'set'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'add'; key: string; value: unknown }
  /** Swap an array element with its predecessor, or append a copy of it (order and uniqueness rules). */
  | { kind: 'swap' }
  | { kind: 'repeat' }
  /** Put the value found at another path here (a member valid elsewhere, e.g. another id). */
  | { kind: 'copy'; from: number };

function at(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root);
}

function damaged(record: unknown, paths: Path[], target: number, damage: Damage): unknown {
  const copy = structuredClone(record) as Record<string | number, unknown>;
  const path = paths[target]!;
  if (path.length === 0) return damage.kind === 'set' ? damage.value : copy;
  const parent = at(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path.at(-1)!;
  switch (damage.kind) {
    case 'set':
      parent[key] = damage.value;
      break;
    case 'delete':
      Reflect.deleteProperty(parent, key);
      break;
    case 'add': {
      const node = parent[key];
      if (node !== null && typeof node === 'object') (node as Record<string, unknown>)[damage.key] = damage.value;
      break;
    }
    case 'swap':
      if (Array.isArray(parent) && typeof key === 'number' && key > 0) [parent[key - 1], parent[key]] = [parent[key], parent[key - 1]];
      break;
    case 'repeat':
      if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
      break;
    case 'copy':
      parent[key] = structuredClone(at(record, paths[damage.from % paths.length]!));
      break;
  }
  return copy;
}

const damages: fc.Arbitrary<Damage> = fc.oneof(
  oddValues.map((value): Damage => ({ kind: 'set', value })),
  fc.constant<Damage>({ kind: 'delete' }),
  fc.constant<Damage>({ kind: 'swap' }),
  fc.constant<Damage>({ kind: 'repeat' }),
  fc.nat().map((from): Damage => ({ kind: 'copy', from })),
  fc.tuple(fc.constantFrom('extra', 'uri', 'reviewAt', 'privacyMark', 'originator', '__proto__', 'constructor', 'proof', 'index'), oddValues).map(([key, value]): Damage => ({ kind: 'add', key, value })),
);

describe('hasPlainShape', () => {
  it.each(Object.entries(samples))('accepts the usual record (%s), as the schema does', (_name, record) => {
    expect(GovernedObservation.safeParse(record).success).toBe(true);
    expect(hasPlainShape(record)).toBe(true);
    expect(hasPlainShape(JSON.parse(canonicalize(record)))).toBe(true);
    expectSameSignedText(record);
  });

  it.each(Object.entries(samples))('never accepts a damaged record (%s) that the schema refuses', (_name, record) => {
    const paths = pathsOf(record);
    let refusedBySchema = 0;
    let acceptedByBoth = 0;
    fc.assert(
      fc.property(fc.nat(paths.length - 1), damages, (target, damage) => {
        const candidate = damaged(record, paths, target, damage);
        const schema = GovernedObservation.safeParse(candidate).success;
        if (!schema) refusedBySchema += 1;
        if (hasPlainShape(candidate)) {
          expect(schema).toBe(true);
          expectSameSignedText(candidate);
          acceptedByBoth += 1;
        }
      }),
      { numRuns: runs },
    );
    // Not vacuous: the damage does break records, and harmless damage is still recognised.
    expect(refusedBySchema).toBeGreaterThan(runs / 4);
    expect(acceptedByBoth).toBeGreaterThan(0);
  });

  // A derived record with every optional label member: each rule below has something to break.
  const complete = { ...samples.derived, label: samples.fullLabel.label };
  const nearMisses: [string, (record: Loose) => void][] = [
    ['a derivation without sources', (r) => (r.lineage.sources = [])],
    ['sources without a derivation', (r) => (r.lineage.derivation = null)],
    ['unsorted sources', (r) => r.lineage.sources.reverse()],
    ['a repeated source', (r) => (r.lineage.sources = [r.lineage.sources[0], r.lineage.sources[0]])],
    ['another contributing device', (r) => (r.lineage.device = 'radar-2')],
    ['a batch index equal to its size', (r) => (r.lineage.integrity = { ...samples.batched.lineage.integrity, index: 11 })],
    ['a proof of 65 hashes', (r) => (r.lineage.integrity = { ...samples.batched.lineage.integrity, proof: Array(65).fill('0'.repeat(64)) })],
    ['a category named twice', (r) => r.label.categories.push({ ...r.label.categories[0] })],
    ['a category without values', (r) => (r.label.categories[0].values = [])],
    ['a review before creation', (r) => (r.label.reviewAt = '2020-01-01T00:00:00Z')],
    ['a decomposed accent', (r) => (r.label.classification = 'TRE\u0300S SECRET')],
    ['an HLC counter past its bound', (r) => (r.time.hlc.c = 1_000_001)],
    ['an unsafe HLC time', (r) => (r.time.hlc.l = 2 ** 53)],
    ['February 30th', (r) => (r.time.wall = '2026-02-30T08:00:00Z')],
    ['a payload with NaN', (r) => (r.payload = { x: Number.NaN })],
    ['a subject with a newline', (r) => (r.subject = 'a\nb')],
    ['an unknown member', (r) => (r.time.zone = 'CET')],
    ['a padded signature', (r) => (r.lineage.integrity.sig += '=')],
  ];

  it.each(nearMisses)('refuses %s, as the schema does', (_what, damage) => {
    const record = structuredClone(complete) as Loose;
    damage(record);
    expect(GovernedObservation.safeParse(record).success).toBe(false);
    expect(hasPlainShape(record)).toBe(false);
  });

  it('never accepts what the schema refuses in re-parsed text with a character changed', () => {
    const text = canonicalize(samples.fullLabel);
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.integer({ min: 0x20, max: 0x7e }), (position, code) => {
        let candidate: unknown;
        try {
          candidate = JSON.parse(text.slice(0, position) + String.fromCharCode(code) + text.slice(position + 1));
        } catch {
          return;
        }
        if (hasPlainShape(candidate)) {
          expect(GovernedObservation.safeParse(candidate).success).toBe(true);
          expectSameSignedText(candidate);
        }
      }),
      { numRuns: runs },
    );
  });
});
