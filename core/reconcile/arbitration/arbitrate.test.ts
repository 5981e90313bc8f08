import { describe, expect, it } from 'vitest';
import { arbitrate, type Candidate } from './arbitrate.js';
import { Arbitration, effectiveArbitration } from './schema.js';

const T0 = Date.parse('2026-12-01T12:00:00Z');
let serial = 0;
function candidate(over: Partial<Candidate> = {}): Candidate {
  serial += 1;
  return {
    id: over.id ?? serial.toString(16).padStart(64, '0'),
    mesh: 'DEU',
    class: 'track',
    statedAt: T0,
    hlc: { l: T0, c: 0 },
    value: serial,
    payload: {},
    authority: 'DEU-C2',
    device: 'radar-1',
    credentialStrength: 1,
    sources: [],
    ...over,
  };
}
const policy = (over: Partial<Arbitration> = {}): Arbitration => Arbitration.parse({ divergenceThreshold: 0.2, ...over });

describe('arbitrate', () => {
  it('originator-wins: the mesh that first reported the subject keeps it, with its latest observation by HLC', () => {
    const first = candidate({ mesh: 'NLD', statedAt: T0, hlc: { l: T0, c: 0 } });
    const later = candidate({ mesh: 'DEU', statedAt: T0 + 60_000 });
    const nldUpdate = candidate({ mesh: 'NLD', statedAt: T0 - 3_600_000, hlc: { l: T0 + 120_000, c: 3 }, sources: [first.id] });
    const out = arbitrate(policy({ policy: 'originator-wins' }), 'track-7', 'position', [later, nldUpdate, first]);
    expect(out.winner).toBe(nldUpdate);
    expect(out.why).toMatch(/policy originator-wins picked .* from NLD as the latest observation of NLD, which first reported the subject/);
  });

  it('originator-wins: the subject\'s originator given by the picture counts over the candidates\' own earliest root, and when it does not assert the field the latest by HLC wins', () => {
    const deuFirstHere = candidate({ mesh: 'DEU', statedAt: T0 - 60_000, hlc: { l: T0, c: 0 } });
    const nld = candidate({ mesh: 'NLD', statedAt: T0, hlc: { l: T0 + 5, c: 0 } });
    const pol = candidate({ mesh: 'POL', statedAt: T0, hlc: { l: T0 + 9, c: 0 } });
    // NLD first reported the subject, in an observation no longer among these candidates.
    const named = arbitrate(policy({ policy: 'originator-wins' }), 's', 'f', [deuFirstHere, nld, pol], { originator: 'NLD' });
    expect(named.winner).toBe(nld);
    expect(arbitrate(policy({ policy: 'originator-wins' }), 's', 'f', [deuFirstHere, nld, pol]).winner).toBe(deuFirstHere);
    const absent = arbitrate(policy({ policy: 'originator-wins' }), 's', 'f', [deuFirstHere, pol], { originator: 'NLD' });
    expect(absent.winner).toBe(pol);
    expect(absent.why).toContain('as the latest by HLC, since NLD, which first reported the subject, does not assert it');
  });

  it('most-recent: the later stated time wins, but a candidate another cites is superseded whatever the clocks say', () => {
    const old = candidate({ statedAt: T0 - 7_200_000 });
    const newer = candidate({ mesh: 'NLD', statedAt: T0 + 10_000 });
    expect(arbitrate(policy({ policy: 'most-recent' }), 's', 'f', [old, newer]).winner).toBe(newer);
    // A correction written on a clock running an hour slow still supersedes what it corrects.
    const correction = candidate({ statedAt: T0 - 3_600_000, sources: [newer.id] });
    expect(arbitrate(policy({ policy: 'most-recent' }), 's', 'f', [old, newer, correction]).winner).toBe(correction);
  });

  it('priority by mesh and by authority, unlisted last', () => {
    const deu = candidate({ mesh: 'DEU', authority: 'DEU-C2' });
    const nld = candidate({ mesh: 'NLD', authority: 'NLD-JFC' });
    const fra = candidate({ mesh: 'FRA', authority: 'FRA-CDAOA' });
    const byMesh = policy({ default: { kind: 'priority', by: 'mesh', order: ['NLD', 'DEU'] } });
    expect(arbitrate(byMesh, 's', 'f', [deu, fra, nld]).winner).toBe(nld);
    expect(arbitrate(byMesh, 's', 'f', [deu, fra]).winner).toBe(deu);
    const byAuthority = policy({ default: { kind: 'priority', by: 'authority', order: ['FRA-CDAOA'] } });
    const out = arbitrate(byAuthority, 's', 'f', [deu, fra, nld]);
    expect(out.winner).toBe(fra);
    expect(out.why).toContain('authority FRA-CDAOA comes first');
  });

  it('authority-weight: the value backed by more declared weight wins, each mesh counted once', () => {
    const a1 = candidate({ mesh: 'DEU', value: 'hostile' });
    const a2 = candidate({ mesh: 'DEU', value: 'hostile' });
    const b = candidate({ mesh: 'NLD', value: 'friend' });
    const c = candidate({ mesh: 'FRA', value: 'friend' });
    const weights = policy({ default: { kind: 'authority-weight', weights: { DEU: 0.5, NLD: 0.3, FRA: 0.3 } } });
    const out = arbitrate(weights, 's', 'identity', [a1, a2, b, c]);
    expect(out.winner.value).toBe('friend');
    expect(out.scores?.[a1.id]).toBe(0.5);
    expect(out.scores?.[b.id]).toBeCloseTo(0.6, 12);
    expect(out.why).toMatch(/backed by weight 0\.6 against 0\.6, 2 candidates tied on that and the tie-break/);
  });

  it('composite: freshness relative to the newest candidate, confidence, source class and credential strength, weighted', () => {
    const fresh = candidate({ mesh: 'DEU', statedAt: T0 + 3_600_000, payload: { confidence: 0.2 }, credentialStrength: 0.5 });
    const confident = candidate({ mesh: 'NLD', class: 'assessment', statedAt: T0, payload: { confidence: 0.95 }, credentialStrength: 1 });
    const composite = policy({
      default: { kind: 'composite', weights: { freshness: 0.4, confidence: 0.3, sourceClass: 0.1, credentialStrength: 0.2 }, sourceClassScores: { assessment: 1, track: 0.5 } },
    });
    const out = arbitrate(composite, 's', 'f', [fresh, confident]);
    // fresh: 0.4·1 + 0.3·0.2 + 0.1·0.5 + 0.2·0.5 = 0.61; confident: 0.4·½ + 0.3·0.95 + 0.1·1 + 0.2·1 = 0.785
    expect(out.scores?.[fresh.id]).toBeCloseTo(0.61, 12);
    expect(out.scores?.[confident.id]).toBeCloseTo(0.785, 12);
    expect(out.winner).toBe(confident);
    expect(out.why).toContain('scoring 0.785 on composite admissibility against 0.61');
    // Moving both by a day changes nothing: freshness is relative to the newest, not to now.
    const shifted = [fresh, confident].map((c) => ({ ...c, statedAt: c.statedAt + 86_400_000 }));
    expect(arbitrate(composite, 's', 'f', shifted).scores).toEqual(Object.fromEntries(shifted.map((c) => [c.id, out.scores![c.id]])));
  });

  it('rules: first match wins by class and field, then the default', () => {
    const deu = candidate({ mesh: 'DEU', statedAt: T0 + 1 });
    const nld = candidate({ mesh: 'NLD', statedAt: T0 });
    const p = policy({
      rules: [
        { fields: ['identity'], strategy: { kind: 'priority', by: 'mesh', order: ['NLD'] } },
        { classes: ['track'], strategy: { kind: 'priority', by: 'mesh', order: ['DEU'] } },
        { classes: ['track'], fields: ['position'], strategy: { kind: 'priority', by: 'mesh', order: ['NLD'] } },
      ],
      default: { kind: 'most-recent' },
    });
    expect(arbitrate(p, 's', 'identity', [deu, nld]).winner).toBe(nld);
    expect(arbitrate(p, 's', 'identity', [deu, nld]).why).toContain('rule 1 (fields identity), priority');
    expect(arbitrate(p, 's', 'position', [deu, nld]).winner).toBe(deu);
    const assessments = [{ ...deu, class: 'assessment' }, { ...nld, class: 'assessment', statedAt: T0 + 5 }];
    expect(arbitrate(p, 's', 'position', assessments).winner.mesh).toBe('NLD');
    expect(arbitrate(p, 's', 'position', assessments).why).toContain('the default, most-recent');
  });

  it('custom: the rule scores each candidate, highest wins', () => {
    const p = policy({
      default: { kind: 'custom', rule: { op: 'if', args: [{ class: 'incident' }, 10, { op: '+', args: [{ attr: 'confidence' }, { op: '*', args: [0.5, { mesh: 'NLD' }] }] }] } },
      classWeights: {},
    });
    const deu = candidate({ mesh: 'DEU', payload: { confidence: 0.9 } });
    const nld = candidate({ mesh: 'NLD', payload: { confidence: 0.6 } });
    const incident = candidate({ mesh: 'DEU', class: 'incident' });
    expect(arbitrate(p, 's', 'f', [deu, nld]).winner).toBe(nld);
    expect(arbitrate(p, 's', 'f', [deu, nld]).scores).toEqual({ [deu.id]: 0.9, [nld.id]: 1.1 });
    expect(arbitrate(p, 's', 'f', [deu, nld, incident]).winner).toBe(incident);
  });

  it('tie-break: declared keys in order, ending in the observation id', () => {
    const a = candidate({ id: 'b'.repeat(64), mesh: 'DEU', statedAt: T0 });
    const b = candidate({ id: 'a'.repeat(64), mesh: 'NLD', statedAt: T0 });
    const c = candidate({ id: 'c'.repeat(64), mesh: 'FRA', statedAt: T0 - 1 });
    const meshFirst = policy({ policy: 'human-decision', tieBreak: ['mesh-order', 'observation-id'], meshOrder: ['FRA', 'DEU', 'NLD'] });
    expect(arbitrate(meshFirst, 's', 'f', [a, b, c]).winner).toBe(c);
    expect(arbitrate(meshFirst, 's', 'f', [a, b, c]).why).toContain('3 candidates tied and the tie-break mesh-order decided');
    const timeFirst = policy({ policy: 'human-decision', tieBreak: ['stated-time', 'observation-id'] });
    const out = arbitrate(timeFirst, 's', 'f', [a, b, c]);
    expect(out.winner).toBe(b);
    expect(out.why).toContain('tie-break observation-id decided');
  });

  it('one candidate wins alone; none is refused', () => {
    const only = candidate();
    expect(arbitrate(policy({ policy: 'most-recent' }), 's', 'f', [only])).toEqual({ winner: only, why: `s.f: the policy most-recent picked ${only.id.slice(0, 12)}… from DEU as the only candidate.` });
    expect(() => arbitrate(policy({ policy: 'most-recent' }), 's', 'f', [])).toThrow(expect.objectContaining({ reason: 'no-candidates' }));
  });
});

describe('effectiveArbitration', () => {
  it('fills what a shorthand declaration leaves out, and keeps what a full one declares', () => {
    expect(effectiveArbitration(policy({ policy: 'originator-wins' }), ['DEU', 'NLD'])).toEqual({ tieBreak: ['stated-time', 'observation-id'], concurrencyWindowSeconds: 300, decisionPrecedence: ['DEU', 'NLD'] });
    expect(effectiveArbitration(policy({ policy: 'most-recent', meshOrder: ['NLD', 'DEU'] }), ['DEU', 'NLD']).decisionPrecedence).toEqual(['NLD', 'DEU']);
    const full = policy({ default: { kind: 'most-recent' }, tieBreak: ['observation-id'], concurrencyWindowSeconds: 30, decisionPrecedence: ['NLD'] });
    expect(effectiveArbitration(full, ['DEU', 'NLD'])).toEqual({ tieBreak: ['observation-id'], concurrencyWindowSeconds: 30, decisionPrecedence: ['NLD'] });
  });
});
