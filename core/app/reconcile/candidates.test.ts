/**
 * The picture's candidates read by SQLite's JSON operators (core/store/reconcile-store.ts's
 * `subjectCandidateRows`) must be the ones the parsed signed record gives (`candidateOf`): any
 * difference — a number re-rendered, a string re-escaped, a scalar payload unquoted — would move
 * the picture digest away from a partner's that holds the same records.
 */
import { describe, expect, it } from 'vitest';
import type { GovernedObservation } from '../../observation/index.js';
import { candidateOf } from '../../reconcile/picture.js';
import { nationalLabel } from '../../test-support/federated-homes.js';
import { useTestHomes } from '../../test-support/test-homes.js';
import { subjectCandidates } from './candidates.js';

const home = useTestHomes('entente-candidates-');

describe('subjectCandidates', () => {
  it('gives every observation of a subject exactly as its parsed record does, awkward payloads included', async () => {
    const h = await home('DEU');
    const payloads: unknown[] = [
      { lat: 52.10000000000001, lon: -0.000001, big: 12345678901234567000, tiny: 5e-324, huge: 1e21, n: 0 },
      { name: 'Fregatte \u00e9\u2028 "Hamburg" \\ \ud83d\udea2', nested: { list: [1, [2, { deep: null }]], flag: true } },
      'a bare string payload',
      42.5,
      null,
      [1, 'two', { three: 3 }],
    ];
    const ids: string[] = [];
    for (const payload of payloads) {
      const { id } = await h.observations.observe({ device: 'sensor-1', class: 'track', subject: 'track:awkward', labelText: nationalLabel('DEU', 'GEHEIM'), payloadText: JSON.stringify(payload), derivedFrom: ids.slice(-1), derivation: ids.length > 0 ? { name: 'fuse', version: '1' } : null });
      ids.push(id);
    }
    const fromRecords = (h.db.prepare('SELECT id, record FROM observations WHERE subject = ?').all('track:awkward') as { id: string; record: string }[])
      .map(({ id, record }) => ({ candidate: candidateOf(id, JSON.parse(record) as GovernedObservation), certificate: (JSON.parse(record) as GovernedObservation).device.certificate }));
    const read = subjectCandidates(h.db, 'track:awkward');
    const byId = (list: typeof read) => [...list].sort((a, b) => (a.candidate.id < b.candidate.id ? -1 : 1));
    expect(read).toHaveLength(payloads.length);
    expect(byId(read)).toEqual(byId(fromRecords));
    expect(read.find((r) => r.candidate.payload === 'a bare string payload')).toBeDefined();
  });
});
