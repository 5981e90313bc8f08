/**
 * The lineage answer names the display markings of what it draws (issue 16: the banner shows the
 * highest classification on screen): each held observation's once, sorted; none of an observation
 * outside the answer, so a graph never claims a marking it does not show, nor hides one it does.
 */
import { describe, expect, it } from 'vitest';
import { useTestHomes } from '../../test-support/test-homes.js';

const home = useTestHomes('entente-lineage-markings-');
const label = (classification: string) =>
  JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification, categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU'] }], createdAt: '2026-11-23T08:00:00Z' });

describe('the lineage answer’s markings', () => {
  it('names each drawn observation’s marking once, and none of what it does not draw', async () => {
    const deu = await home('DEU');
    const observe = (subject: string, classification: string, derivedFrom: string[] = []) =>
      deu.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: label(classification), payloadText: '{"lat":52}', derivedFrom, derivation: derivedFrom.length ? { name: 'fuse', version: '1' } : null });
    const a = await observe('track:1', 'CONFIDENTIAL');
    const b = await observe('track:2', 'CONFIDENTIAL');
    const fused = await observe('track:3', 'SECRET', [a.id, b.id]);
    const apart = await observe('track:4', 'RESTRICTED');

    const around = deu.provenance.neighbourhood({ ids: [fused.id], depth: 2, direction: 'both', limit: 100 });
    expect(around.observations).toBe(3);
    expect(around.markings).toHaveLength(2);
    expect(around.markings.some((m) => m.includes('SECRET') && !m.includes('CONFIDENTIAL'))).toBe(true);
    expect(around.markings.some((m) => m.includes('CONFIDENTIAL'))).toBe(true);
    expect([...around.markings].sort()).toEqual(around.markings);
    expect(around.markings.some((m) => m.includes('RESTRICTED'))).toBe(false);

    // A source alone draws only its own marking.
    const alone = deu.provenance.neighbourhood({ ids: [apart.id], depth: 2, direction: 'both', limit: 100 });
    expect(alone.markings).toHaveLength(1);
    expect(alone.markings[0]).toContain('RESTRICTED');
  });
});
