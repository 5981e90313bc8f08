/**
 * The generator: the same seed gives the same emissions; platforms keep to their kinds' speeds
 * and turn rates between steps; a detection is only of a contact within the sensor's range; an
 * assessment cites detections emitted before it. The simulator stores them through a real
 * home's pipeline (enrolling devices when there are none), lineage included.
 */
import { describe, expect, it } from 'vitest';
import { distanceBetween, turnBetween } from './geo.js';
import { simulate } from './simulate.js';
import { isSidc } from '../taxonomy/vocabulary.js';
import { createTrackGenerator, PLATFORM_KINDS, seaSurfaceSidc, type Emission, type GeneratorOptions } from './tracks.js';
import { refusal, useTestHomes } from '../test-support/test-homes.js';

const home = useTestHomes('entente-simulate-');

const OPTIONS: GeneratorOptions = {
  seed: 'tracks-test',
  area: { centre: { lat: 56, lon: 3 }, radiusM: 30_000 },
  platforms: [
    { id: 'uas-1', kind: 'uas', device: 'd-uas', start: { lat: 56, lon: 3 } },
    { id: 'usv-1', kind: 'usv', device: 'd-usv', start: { lat: 56.05, lon: 3.1 } },
    { id: 'ugs-1', kind: 'ground-sensor', device: 'd-ugs', start: { lat: 55.95, lon: 2.9 } },
  ],
  contacts: [
    { id: 'k1', identity: 'hostile', description: 'fast craft', start: { lat: 56.02, lon: 3.05 }, speedMps: 10 },
    { id: 'k2', identity: 'neutral', description: 'trawler', start: { lat: 56.6, lon: 4.5 }, speedMps: 4 },
  ],
};

const T0 = Date.UTC(2026, 10, 30, 8, 0, 0);
function run(options: GeneratorOptions, steps: number, stepS = 60): Emission[][] {
  const generator = createTrackGenerator(options);
  return Array.from({ length: steps }, (_, i) => generator.step(new Date(T0 + i * stepS * 1_000)));
}

describe('the track generator', () => {
  it('is deterministic from its seed', () => {
    const a = run(OPTIONS, 20);
    expect(run(OPTIONS, 20)).toEqual(a);
    expect(run({ ...OPTIONS, seed: 'another' }, 20)).not.toEqual(a);
  });

  it('keeps each platform to its kind’s speed and turn rate, and never out of the area for long', () => {
    const steps = run(OPTIONS, 60, 30);
    for (const platform of OPTIONS.platforms) {
      const kind = PLATFORM_KINDS[platform.kind];
      const tracks = steps.map((s) => s.find((e) => e.subject === `track:${platform.id}`)!);
      for (let i = 1; i < tracks.length; i++) {
        const [before, after] = [tracks[i - 1]!.payload, tracks[i]!.payload] as { lat: number; lon: number; course: number }[];
        const speed = distanceBetween(before!, after!) / 30;
        // Great-circle steps within one integration step's chord: a little under the top speed, rounding allowed.
        expect(speed).toBeLessThanOrEqual(kind.speedMps[1] + 0.5);
        expect(Math.abs(turnBetween(before!.course, after!.course))).toBeLessThanOrEqual(kind.maxTurnDegPerS * 30 + 1);
      }
      if (platform.kind === 'ground-sensor') expect(new Set(tracks.map((t) => `${String(t.payload.lat)},${String(t.payload.lon)}`)).size).toBe(1);
      else expect(distanceBetween(tracks.at(-1)!.payload as never, tracks[0]!.payload as never)).toBeGreaterThan(1_000);
    }
  });

  it('detects only contacts in range, and assessments cite earlier detections', () => {
    const all = run(OPTIONS, 40).flat();
    const detections = all.filter((e) => e.kind === 'detection');
    const assessments = all.filter((e) => e.kind === 'assessment');
    expect(detections.length).toBeGreaterThan(0);
    expect(assessments.length).toBeGreaterThan(0);
    for (const d of detections) {
      const sensor = OPTIONS.platforms.find((p) => p.id === d.payload.sensor)!;
      expect(d.payload.rangeM as number).toBeLessThanOrEqual(PLATFORM_KINDS[sensor.kind].sensorRangeM);
    }
    const order = new Map(all.map((e, i) => [e.key, i]));
    for (const a of assessments) {
      expect(a.derivedFrom).toHaveLength(3);
      // The assessed identity is drawn as a sea-surface APP-6D symbol (standard identity at digit 4).
      expect(a.payload.sidc).toBe(seaSurfaceSidc(a.payload.assessedAs as 'suspect'));
      expect(isSidc(a.payload.sidc as string)).toBe(true);
      for (const source of a.derivedFrom) {
        expect(order.get(source)!).toBeLessThan(order.get(a.key)!);
        expect(all[order.get(source)!]!.kind).toBe('detection');
        expect(all[order.get(source)!]!.payload.contact).toBe(a.payload.contact);
      }
    }
    // k2 starts 100 km off: beyond every sensor's range until it closes.
    expect(detections.filter((d) => d.payload.contact === 'k2').length).toBeLessThan(detections.filter((d) => d.payload.contact === 'k1').length);
  });

  it('refuses time going backwards and a name used twice', () => {
    const generator = createTrackGenerator(OPTIONS);
    generator.step(new Date(T0));
    expect(() => generator.step(new Date(T0 - 1))).toThrow(/forward only/);
    expect(() => createTrackGenerator({ ...OPTIONS, contacts: [{ ...OPTIONS.contacts[0]!, id: 'uas-1' }] })).toThrow(/twice/);
  });
});

describe('the simulator', () => {
  it('stores tracks, detections and assessments through the pipeline, enrolling devices when the home has none', async () => {
    const h = await home('GBR', { devices: [] });
    const report = await simulate(h, { rate: 400, durationS: 1.5, seed: 'sim-test' });
    expect(report.enrolled).toEqual(['sim-uas-1', 'sim-usv-1', 'sim-sensor-1']);
    expect(report.counts.total).toBe(report.counts.track + report.counts.detection + report.counts.assessment);
    expect(report.counts.track).toBeGreaterThan(0);
    expect(report.achievedRate).toBeGreaterThan(0);
    expect(report.counts.total).toBeLessThanOrEqual(Math.ceil(400 * 1.5) + 1);
    const stored = h.db.prepare('SELECT COUNT(*) FROM observations').pluck().get() as number;
    expect(stored).toBe(report.counts.total);
    expect((await h.observations.verifyAll()).failures).toEqual([]);
    expect(h.audit.verify().failures).toEqual([]);
    // A second run signs with the devices the home now has: none enrolled again.
    const again = await simulate(h, { rate: 50, durationS: 0.2, seed: 'sim-test' });
    expect(again.enrolled).toEqual([]);
    expect([...again.devices].sort()).toEqual(['sim-sensor-1', 'sim-usv-1', 'sim-uas-1'].sort());
  });

  it('stores assessments with their detections as lineage', async () => {
    const h = await home('FRA', { devices: [] });
    // A fake pacing clock that moves 5 ms a reading: a few hundred observations "in" 2 s, whatever the machine's speed.
    let t = 0;
    const report = await simulate(h, { rate: 200, durationS: 2, seed: 'lineage', now: () => (t += 5), sleep: async () => undefined });
    expect(report.elapsedS).toBeGreaterThanOrEqual(2);
    expect(report.counts.assessment).toBeGreaterThan(0);
    const row = h.db.prepare("SELECT id FROM observations WHERE class = 'assessment' LIMIT 1").pluck().get() as string;
    const shown = await h.observations.show(row);
    expect(shown.sources).toHaveLength(3);
    expect(shown.standing.standing).toBe('verified');
  });

  it('refuses a rate or duration out of bounds, and a home without a mesh', async () => {
    const h = await home('DEU');
    expect(await refusal(() => simulate(h, { rate: 0, durationS: 1 }))).toBe('bad-rate');
    expect(await refusal(() => simulate(h, { rate: 1, durationS: Number.NaN }))).toBe('bad-duration');
  });
});
