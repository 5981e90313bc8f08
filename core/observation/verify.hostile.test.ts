/**
 * Hostile input for the verifier: random mutations of signed records' canonical JSON, character
 * by character and member by member, never verify and never throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../canonical/jcs.js';
import { readStrictJson } from '../canonical/strict-json.js';
import { signBatch } from './batch.js';
import { signObservation } from './sign.js';
import { deviceFixture, FIXTURE_ADMITTED_AT } from './test-fixtures.js';
import { ObservationVerifier } from './verify.js';

const ed = deviceFixture('Ed25519');
const p256 = deviceFixture('ES256', 'NLD', 'radar-2');
const runs = Number(process.env.MUTATION_RUNS ?? 1_000);

const samples = [
  { name: 'a derived, Ed25519-signed record', fixture: ed, record: signObservation(ed.record(7, { lineage: { device: 'uav-7', sources: ['0'.repeat(64), 'f'.repeat(64)], derivation: { name: 'fuse', version: '1' } } }), ed.privateKey) },
  { name: 'an ES256-signed record', fixture: p256, record: signObservation(p256.record(2), p256.privateKey) },
  { name: 'a record of a batch of 11', fixture: ed, record: signBatch(Array.from({ length: 11 }, (_, i) => ed.record(i)), ed.privateKey)[6]! },
  { name: 'an original, Ed25519-signed record', fixture: ed, record: signObservation(ed.record(1), ed.privateKey) },
];

/** Whether a value canonicalizes to the text (the mutation changed nothing that is signed or attested). */
function sameCanonicalText(value: unknown, text: string): boolean {
  try {
    return canonicalize(value) === text;
  } catch {
    return false;
  }
}

const characters = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\\', '"', '\\u0000', '\ud800', 'é', '0', '1', '9', 'e', '-', '.', 'A', 'a', 'f', '_'),
);

describe.each(samples)('$name, mutated', ({ fixture, record }) => {
  const text = canonicalize(record);
  const verifier = new ObservationVerifier(fixture.credentialCheck);

  it('verifies unmutated', () => {
    expect(verifier.verify(JSON.parse(text), FIXTURE_ADMITTED_AT).ok).toBe(true);
  });

  it('never verifies, and never throws, when a character is replaced, inserted or deleted', () => {
    const mutation = fc.record({ at: fc.nat(text.length - 1), kind: fc.constantFrom('replace', 'insert', 'delete'), with: characters });
    fc.assert(
      fc.property(mutation, ({ at, kind, with: ch }) => {
        const mutated = text.slice(0, at) + (kind === 'delete' ? '' : ch) + text.slice(kind === 'insert' ? at : at + 1);
        for (const read of [JSON.parse, readStrictJson]) {
          let parsed: unknown;
          try {
            parsed = read(mutated);
          } catch {
            continue; // not JSON, or refused by the strict reader: never reaches the verifier
          }
          if (sameCanonicalText(parsed, text)) continue;
          const result = verifier.verify(parsed, FIXTURE_ADMITTED_AT);
          expect(result.ok, mutated).toBe(false);
        }
      }),
      { numRuns: runs },
    );
  });

  it('never verifies, and never throws, when a member is replaced, added or removed', () => {
    const paths = memberPaths(JSON.parse(text));
    const mutation = fc.record({ path: fc.constantFrom(...paths), kind: fc.constantFrom('replace', 'add', 'remove'), value: fc.jsonValue({ maxDepth: 2 }) });
    fc.assert(
      fc.property(mutation, ({ path, kind, value }) => {
        const mutated = JSON.parse(text) as unknown;
        const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], mutated) as Record<string | number, unknown>;
        const key = path.at(-1)!;
        if (kind === 'replace') parent[key] = value;
        else if (kind === 'remove') {
          if (Array.isArray(parent)) parent.splice(Number(key), 1);
          else Reflect.deleteProperty(parent, key);
        } else if (Array.isArray(parent)) parent.splice(Number(key), 0, value);
        else parent[`${String(key)}_`] = value;
        if (sameCanonicalText(mutated, text)) return;
        expect(verifier.verify(mutated, FIXTURE_ADMITTED_AT).ok).toBe(false);
      }),
      { numRuns: runs },
    );
  });
});

/** Paths to every member and element of a JSON value (not the root). */
function memberPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, member]) => [[...path, key], ...memberPaths(member, [...path, key])]);
}

describe('a record nested absurdly deep', () => {
  it.each([100_000, 600, 500])('is refused by name, never by a stack overflow (payload %i levels deep)', (levels) => {
    // As a stored record edited in the file reads back: JSON.parse has no depth limit.
    const text = JSON.stringify({ ...samples[3]!.record, payload: 'DEEP' }).replace('"DEEP"', `${'['.repeat(levels)}1${']'.repeat(levels)}`);
    const candidate = JSON.parse(text) as unknown;
    const result = new ObservationVerifier(ed.credentialCheck).verify(candidate, FIXTURE_ADMITTED_AT);
    expect(result.ok).toBe(false);
    if (levels > 512) expect(result).toMatchObject({ reason: 'malformed-record', message: expect.stringContaining('deeper than 512') });
  });
});
