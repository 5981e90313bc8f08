/** The record's schema (docs/decisions/0002) and the builder that normalises into it. */
import { describe, expect, it } from 'vitest';
import { buildObservation, type ObservationDraft } from './build.js';
import { observationId } from './canonical-form.js';
import { ObservationError, UnsignedObservation } from './record.js';
import { deviceFixture } from './test-fixtures.js';

const device = deviceFixture('Ed25519');
const a = 'a'.repeat(64);
const b = 'b'.repeat(64);

function problem(change: (record: Record<string, unknown> & UnsignedObservation) => unknown): string {
  const record = structuredClone(device.record(1)) as Record<string, unknown> & UnsignedObservation;
  const changed = change(record) ?? record;
  const result = UnsignedObservation.safeParse(changed);
  return result.success ? 'valid' : result.error.issues.map((i) => i.path.join('.')).join(' ');
}

describe('the observation record', () => {
  it('accepts the record of the decision record', () => {
    expect(problem(() => undefined)).toBe('valid');
  });

  it.each([
    ['v', (r: Record<string, unknown>) => void (r.v = 2)],
    ['mesh', (r: Record<string, unknown>) => void (r.mesh = 'deu')],
    ['mesh', (r: Record<string, unknown>) => void (r.mesh = 'D')],
    ['mesh', (r: Record<string, unknown>) => void (r.mesh = 'ABCDEFGHIJKLMNOPQ')],
    ['subject', (r: Record<string, unknown>) => void (r.subject = '')],
    ['subject', (r: Record<string, unknown>) => void (r.subject = 'x'.repeat(257))],
    ['subject', (r: Record<string, unknown>) => void (r.subject = 'track\n4711')],
    ['class', (r: Record<string, unknown>) => void (r.class = 'Track')],
    ['class', (r: Record<string, unknown>) => void (r.class = 'two words')],
    ['class', (r: Record<string, unknown>) => void (r.class = '4track')],
    ['time.reference', (r: UnsignedObservation) => void ((r.time as { reference: string }).reference = 'gps')],
    ['time.wall', (r: UnsignedObservation) => void ((r.time as { wall: string }).wall = '2026-02-30T00:00:00Z')],
    ['time.wall', (r: UnsignedObservation) => void ((r.time as { wall: string }).wall = '23 Nov 2026')],
    ['time.hlc.l', (r: UnsignedObservation) => void ((r.time.hlc as { l: number }).l = 1.5)],
    ['time.hlc.l', (r: UnsignedObservation) => void ((r.time.hlc as { l: number }).l = 2 ** 60)],
    ['authority.anchor', (r: UnsignedObservation) => void ((r.authority as { anchor: string }).anchor = 'A'.repeat(64))],
    ['device.certificate', (r: UnsignedObservation) => void ((r.device as { certificate: string }).certificate = 'abc')],
    ['lineage.device', (r: UnsignedObservation) => void ((r.lineage as { device: string }).device = 'someone-else')],
    ['lineage.sources', (r: UnsignedObservation) => ({ ...r, lineage: { ...r.lineage, sources: [b, a], derivation: { name: 'f', version: '1' } } })],
    ['lineage.sources', (r: UnsignedObservation) => ({ ...r, lineage: { ...r.lineage, sources: [a, a], derivation: { name: 'f', version: '1' } } })],
    ['lineage.sources.0', (r: UnsignedObservation) => ({ ...r, lineage: { ...r.lineage, sources: ['A'.repeat(64)], derivation: { name: 'f', version: '1' } } })],
    ['lineage.derivation', (r: UnsignedObservation) => ({ ...r, lineage: { ...r.lineage, sources: [a], derivation: null } })],
    ['lineage.sources', (r: UnsignedObservation) => ({ ...r, lineage: { ...r.lineage, sources: [], derivation: { name: 'f', version: '1' } } })],
    ['lineage.derivation.name', (r: UnsignedObservation) => ({ ...r, lineage: { ...r.lineage, sources: [a], derivation: { name: 'f g', version: '1' } } })],
    ['label', (r: Record<string, unknown>) => void (r.label = 'SECRET')],
    ['', (r: Record<string, unknown>) => void (r.extra = true)],
    ['lineage', (r: UnsignedObservation) => ({ ...r, lineage: { ...r.lineage, integrity: { type: 'signature', alg: 'Ed25519', sig: 'AA' } } })],
  ])('refuses a wrong %s', (path, change) => {
    expect(problem(change as (r: UnsignedObservation) => unknown)).toBe(path);
  });
});

describe('buildObservation', () => {
  const draft: ObservationDraft = {
    mesh: 'DEU',
    subject: 'track:4711',
    class: 'track',
    payload: { lat: 52.1 },
    label: { kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [], createdAt: '2026-11-23T08:00:00Z' },
    time: { reference: 'local', wall: new Date('2026-11-23T08:00:00Z'), hlc: { l: 1_795_420_800_000, c: 0 } },
    authority: { anchor: a, issuer: b },
    device: { id: 'uav-7', certificate: a },
  };

  it('normalises sources, derivation, lineage device and wall time', () => {
    const built = buildObservation({ ...draft, sources: [b, a.toUpperCase(), b], derivation: { name: 'fuse', version: '1.0' } });
    expect(built.lineage).toEqual({ device: 'uav-7', sources: [a, b], derivation: { name: 'fuse', version: '1.0' } });
    expect(built.time.wall).toBe('2026-11-23T08:00:00.000Z');
    expect(buildObservation(draft).lineage).toEqual({ device: 'uav-7', sources: [], derivation: null });
  });

  it('gives the same record, and id, whatever order the sources come in', () => {
    const one = buildObservation({ ...draft, sources: [a, b], derivation: { name: 'fuse', version: '1' } });
    const other = buildObservation({ ...draft, sources: [b, a], derivation: { name: 'fuse', version: '1' } });
    expect(observationId(one)).toBe(observationId(other));
  });

  it('refuses an invalid draft, naming the field', () => {
    expect(() => buildObservation({ ...draft, sources: [a] })).toThrow(/record\.lineage\.derivation: a derived observation must name its derivation/);
    expect(() => buildObservation({ ...draft, derivation: { name: 'fuse', version: '1' } })).toThrow(/a derivation needs at least one source/);
    expect(() => buildObservation({ ...draft, mesh: 'deu' })).toThrow(ObservationError);
    expect(() => buildObservation({ ...draft, time: { ...draft.time, wall: new Date(Number.NaN) } })).toThrow(/not a real moment/);
    try {
      buildObservation({ ...draft, class: 'Bad Class' });
    } catch (error) {
      expect(error).toMatchObject({ reason: 'malformed-record' });
    }
  });
});
