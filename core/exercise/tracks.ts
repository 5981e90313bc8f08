/**
 * The track and observation generator behind `entente demo` and `entente simulate`: platforms
 * (UAS, USV, ground sensors) moving along great-circle steps at plausible speeds with headings
 * that turn smoothly (a bounded turn rate, never a jump), contacts moving the same way, sensor
 * detections of the contacts within each platform's range, and derived assessments that fuse a
 * contact's detections and cite them as their lineage. Deterministic from a seed: the same seed
 * and the same step times give the same emissions.
 *
 * It knows nothing of meshes' keys or stores: each emission names its device, class, subject,
 * payload and the earlier emissions it derives from (by key); the caller stores them through the
 * pipeline and maps keys to observation ids.
 */
import { bearingTo, destination, distanceBetween, normaliseHeading, rounded, turnBetween, type Position } from './geo.js';
import { seededRandom, type Random } from './random.js';

export type PlatformKind = 'uas' | 'usv' | 'ground-sensor';

/** Speeds, turn rates and sensor ranges of the kinds, as such platforms plausibly have them. */
export const PLATFORM_KINDS: Readonly<Record<PlatformKind, { readonly speedMps: readonly [number, number]; readonly maxTurnDegPerS: number; readonly sensorRangeM: number }>> = {
  // A MALE UAS loiters at 60–90 kn and banks at a standard rate (3°/s).
  uas: { speedMps: [30, 46], maxTurnDegPerS: 3, sensorRangeM: 25_000 },
  // A patrol USV at 10–20 kn, turning more slowly.
  usv: { speedMps: [5, 10], maxTurnDegPerS: 1.5, sensorRangeM: 12_000 },
  // An unattended ground sensor does not move; a coastal radar-sized range.
  'ground-sensor': { speedMps: [0, 0], maxTurnDegPerS: 0, sensorRangeM: 18_000 },
};

export interface PlatformSpec {
  /** Unique within the generator, e.g. gbr-uas-1. */
  readonly id: string;
  readonly kind: PlatformKind;
  /** The enrolled device that signs this platform's observations. */
  readonly device: string;
  /** The platform type in the mesh's own vocabulary (the payload's `platform`), if it has one. */
  readonly term?: string;
  readonly start: Position;
  readonly heading?: number;
  /** Whose picture the platform feeds (a mesh): its detections are fused with its group's only. */
  readonly group?: string;
}

export interface ContactSpec {
  readonly id: string;
  /** What the contact really is; sensors report it as they classify it. */
  readonly identity: 'hostile' | 'suspect' | 'neutral' | 'unknown' | 'friend';
  readonly description: string;
  readonly start: Position;
  readonly speedMps: number;
  readonly heading?: number;
}

export interface GeneratorOptions {
  readonly seed: string;
  /** Where the exercise happens: platforms and contacts turn back towards it beyond `radiusM`. */
  readonly area: { readonly centre: Position; readonly radiusM: number };
  readonly platforms: readonly PlatformSpec[];
  readonly contacts: readonly ContactSpec[];
  /** Detections of one contact by one mesh before an assessment fuses them (default 3). */
  readonly assessEvery?: number;
  /** Names subjects: `assessment:<group or prefix>:<contact>` (default: none). */
  readonly prefix?: string;
}

export type EmissionKind = 'track' | 'detection' | 'assessment';

export interface Emission {
  /** Unique within the generator; `derivedFrom` cites these. */
  readonly key: string;
  readonly kind: EmissionKind;
  readonly class: 'track' | 'assessment';
  readonly subject: string;
  readonly device: string;
  readonly at: Date;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly derivedFrom: readonly string[];
  readonly derivation: { readonly name: string; readonly version: string } | null;
}

export interface TrackGenerator {
  /** Moves everything to `at` (integrated in steps of at most 10 s) and returns what it observed there. */
  step(at: Date): Emission[];
  /** Where a platform or contact is now (tests, the demo's staged events). */
  positionOf(id: string): Position;
}

/** Longest integration step: at 46 m/s and 3°/s a platform turns 30° and moves 460 m in it. */
const MAX_STEP_S = 10;

interface Mover {
  readonly id: string;
  position: Position;
  heading: number;
  targetHeading: number;
  speed: number;
  readonly speedRange: readonly [number, number];
  readonly maxTurn: number;
}

export function createTrackGenerator(options: GeneratorOptions): TrackGenerator {
  const random = seededRandom(options.seed);
  const assessEvery = options.assessEvery ?? 3;
  const prefixOf = (platform: PlatformSpec) => (platform.group ?? options.prefix ? `${platform.group ?? options.prefix}:` : '');
  const ids = new Set<string>();
  for (const id of [...options.platforms.map((p) => p.id), ...options.contacts.map((c) => c.id)]) {
    if (ids.has(id)) throw new RangeError(`${id} is named twice`);
    ids.add(id);
  }
  const platforms = options.platforms.map((spec) => {
    const kind = PLATFORM_KINDS[spec.kind];
    return { spec, range: kind.sensorRangeM, mover: mover(spec.id, spec.start, spec.heading ?? random.between(0, 360), kind.speedMps, kind.maxTurnDegPerS, random) };
  });
  const contacts = options.contacts.map((spec) => ({ spec, mover: mover(spec.id, spec.start, spec.heading ?? random.between(0, 360), [spec.speedMps * 0.8, spec.speedMps * 1.2], 1, random) }));
  const everything = new Map<string, Mover>([...platforms.map((p) => [p.spec.id, p.mover] as const), ...contacts.map((c) => [c.spec.id, c.mover] as const)]);
  /** Per group and contact, the detections since its last assessment. */
  const pending = new Map<string, { key: string; fix: Position }[]>();
  let last: number | null = null;
  let serial = 0;

  const emit = (emission: Omit<Emission, 'key'>): Emission => ({ key: `${emission.kind}-${++serial}`, ...emission });

  return {
    positionOf: (id) => {
      const found = everything.get(id);
      if (!found) throw new RangeError(`no platform or contact ${id}`);
      return found.position;
    },
    step: (at) => {
      const now = at.getTime();
      if (last !== null && now < last) throw new RangeError(`the generator's time goes forward only (${at.toISOString()} is before the last step)`);
      let remaining = last === null ? 0 : (now - last) / 1_000;
      last = now;
      while (remaining > 0) {
        const dt = Math.min(MAX_STEP_S, remaining);
        for (const m of everything.values()) advance(m, dt, options.area, random);
        remaining -= dt;
      }
      const out: Emission[] = [];
      for (const { spec, mover: m } of platforms) {
        out.push(emit({
          kind: 'track', class: 'track', subject: `track:${spec.id}`, device: spec.device, at, derivedFrom: [], derivation: null,
          payload: { ...(spec.term ? { platform: spec.term } : {}), kind: spec.kind, ...rounded(m.position), course: Math.round(m.heading), speedMps: Math.round(m.speed * 10) / 10 },
        }));
      }
      for (const { spec: platform, mover: sensor, range } of platforms) {
        for (const { spec: contact, mover: target } of contacts) {
          const distance = distanceBetween(sensor.position, target.position);
          if (distance > range) continue;
          // The fix's error grows with range: about 1% of it, at least 20 m.
          const errorM = Math.max(20, distance * 0.01);
          const fix = destination(target.position, random.between(0, 360), Math.abs(random.gauss()) * errorM);
          const detection = emit({
            kind: 'detection', class: 'track', subject: `detection:${platform.id}:${contact.id}`, device: platform.device, at, derivedFrom: [], derivation: null,
            payload: { contact: contact.id, sensor: platform.id, ...rounded(fix), rangeM: Math.round(distance), bearing: Math.round(bearingTo(sensor.position, target.position)), errorM: Math.round(errorM), classifiedAs: classify(contact, distance, range, random) },
          });
          out.push(detection);
          const group = `${platform.group ?? ''}|${contact.id}`;
          const seen = [...(pending.get(group) ?? []), { key: detection.key, fix }];
          pending.set(group, seen);
          if (seen.length >= assessEvery) {
            pending.set(group, []);
            out.push(emit({
              kind: 'assessment', class: 'assessment', subject: `assessment:${prefixOf(platform)}${contact.id}`, device: platform.device, at, derivedFrom: seen.map((s) => s.key),
              derivation: { name: 'fuse-detections', version: '1' },
              payload: { contact: contact.id, ...meanFix(seen.map((s) => s.fix)), detections: seen.length, assessedAs: contact.identity, sidc: seaSurfaceSidc(contact.identity), confidence: Math.round(Math.min(0.95, 0.5 + 0.1 * seen.length) * 100) / 100 },
            }));
          }
        }
      }
      return out;
    },
  };
}

function mover(id: string, start: Position, heading: number, speedRange: readonly [number, number], maxTurn: number, random: Random): Mover {
  return { id, position: start, heading: normaliseHeading(heading), targetHeading: normaliseHeading(heading), speed: random.between(speedRange[0], speedRange[1]), speedRange, maxTurn };
}

/** One integration step: turn towards the target heading at most maxTurn·dt, then move along the great circle. */
function advance(m: Mover, dt: number, area: GeneratorOptions['area'], random: Random): void {
  if (m.speedRange[1] === 0) return;
  if (distanceBetween(m.position, area.centre) > area.radiusM) m.targetHeading = bearingTo(m.position, area.centre);
  else if (Math.abs(turnBetween(m.heading, m.targetHeading)) < 1 && random.next() < dt / 120) {
    // About every two minutes a new leg, up to ±90° off the present one.
    m.targetHeading = normaliseHeading(m.heading + random.gauss() * 35);
  }
  const turn = turnBetween(m.heading, m.targetHeading);
  const limit = m.maxTurn * dt;
  m.heading = normaliseHeading(m.heading + Math.max(-limit, Math.min(limit, turn)));
  // Speed wanders a little within the kind's range.
  m.speed = Math.max(m.speedRange[0], Math.min(m.speedRange[1], m.speed + random.gauss() * 0.02 * dt));
  m.position = destination(m.position, m.heading, m.speed * dt);
}

/** Near, a sensor classifies what it sees; far, it reports an unknown. */
function classify(contact: ContactSpec, distance: number, range: number, random: Random): string {
  return distance < range * 0.5 || random.next() < 0.3 ? contact.identity : 'unknown';
}

function meanFix(fixes: readonly Position[]): Position {
  const lat = fixes.reduce((s, f) => s + f.lat, 0) / fixes.length;
  const lon = fixes.reduce((s, f) => s + f.lon, 0) / fixes.length;
  return rounded({ lat, lon });
}

/**
 * The APP-6D symbol of a contact at sea as assessed (20 digits: version 10, context 1 = exercise,
 * standard identity, symbol set 30 = sea surface, present, no amplifiers, no entity named).
 */
const STANDARD_IDENTITY: Record<ContactSpec['identity'], string> = { unknown: '1', friend: '3', neutral: '4', suspect: '5', hostile: '6' };

export function seaSurfaceSidc(identity: ContactSpec['identity']): string {
  return `101${STANDARD_IDENTITY[identity]}3000000000000000`;
}
