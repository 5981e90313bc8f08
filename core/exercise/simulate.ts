/**
 * `entente simulate`: observation streams through one home's own pipeline at a chosen rate, for
 * demos and benchmarks — tracks of platforms moving along plausible paths, sensor detections of
 * contacts in range, and assessments derived from them (their lineage citing the detections).
 * Paced on the real clock: each observation is stored when the rate says it is due, so the
 * achieved rate is what the pipeline sustained (lower than asked when the store is the limit).
 */
import { Refused } from '../common/refused.js';
import type { Services } from '../app/services.js';
import { demoMarkingStatements } from '../taxonomy/demo-markings.js';
import type { Position } from './geo.js';
import { destination } from './geo.js';
import { originatorLabel, publisher, type Counts } from './publish.js';
import { seededRandom } from './random.js';
import { createTrackGenerator, type ContactSpec, type Emission, type PlatformKind, type PlatformSpec } from './tracks.js';

export const SIMULATE_LIMITS = { maxRate: 10_000, maxDurationS: 86_400 } as const;

export interface SimulateOptions {
  /** Observations per second asked for. */
  readonly rate: number;
  readonly durationS: number;
  readonly seed?: string;
  readonly signal?: AbortSignal;
  /** Called about once a second with the counts so far. */
  readonly onProgress?: (progress: { stored: number; elapsedS: number }) => void;
  /** The pacing clock and sleep (tests); the real ones otherwise. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface SimulateReport {
  readonly mesh: string;
  readonly seed: string;
  /** Devices enrolled because the home had none active. */
  readonly enrolled: readonly string[];
  readonly devices: readonly string[];
  readonly counts: Counts & { readonly total: number };
  readonly requestedRate: number;
  readonly achievedRate: number;
  readonly elapsedS: number;
  readonly stopped: boolean;
}

/** The devices a home with none gets, one per platform kind. */
export const SIMULATOR_DEVICES: readonly { readonly id: string; readonly kind: PlatformKind }[] = [
  { id: 'sim-uas-1', kind: 'uas' },
  { id: 'sim-usv-1', kind: 'usv' },
  { id: 'sim-sensor-1', kind: 'ground-sensor' },
];

export function checkSimulateOptions(options: Pick<SimulateOptions, 'rate' | 'durationS'>): void {
  if (!Number.isFinite(options.rate) || options.rate <= 0 || options.rate > SIMULATE_LIMITS.maxRate) {
    throw new Refused('bad-rate', `The rate must be more than 0 and at most ${SIMULATE_LIMITS.maxRate} observations a second, not ${String(options.rate)}.`);
  }
  if (!Number.isFinite(options.durationS) || options.durationS <= 0 || options.durationS > SIMULATE_LIMITS.maxDurationS) {
    throw new Refused('bad-duration', `The duration must be more than 0 and at most ${SIMULATE_LIMITS.maxDurationS} seconds, not ${String(options.durationS)}.`);
  }
}

export async function simulate(services: Services, options: SimulateOptions): Promise<SimulateReport> {
  checkSimulateOptions(options);
  const { mesh } = services.mesh.require();
  const seed = options.seed ?? 'entente-simulate';
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const active = services.credentials.principals(['device']).filter((p) => p.status === 'active').map((p) => p.id);
  const enrolled: string[] = [];
  if (active.length === 0) {
    for (const device of SIMULATOR_DEVICES) {
      await services.credentials.enrol({ role: 'device', id: device.id, algorithm: 'Ed25519' });
      enrolled.push(device.id);
    }
  }
  const devices = active.length > 0 ? active : enrolled;
  const policy = services.mesh.identity().mesh!.labelPolicy;
  const classification = simulationLevel(services, mesh.code);
  const generator = createTrackGenerator({ seed, prefix: mesh.code, ...simulationArea(seed, devices) });
  const out = publisher(services, (e: Emission) => originatorLabel(policy, classification, e.at));

  const started = now();
  const endsAt = started + options.durationS * 1_000;
  let backlog: Emission[] = [];
  let stored = 0;
  let reported = started;
  let stopped = false;
  while (now() < endsAt) {
    if (options.signal?.aborted) {
      stopped = true;
      break;
    }
    const due = Math.floor(((now() - started) / 1_000) * options.rate) + 1;
    if (stored >= due) {
      // Ahead of the rate: wait for the next observation's moment (never past the end).
      const nextAt = started + ((stored) / options.rate) * 1_000;
      await sleep(Math.max(1, Math.min(nextAt, endsAt) - now()));
      continue;
    }
    if (backlog.length === 0) backlog = generator.step(new Date());
    await out.publish(backlog.shift()!);
    stored += 1;
    if (options.onProgress && now() - reported >= 1_000) {
      reported = now();
      options.onProgress({ stored, elapsedS: (reported - started) / 1_000 });
    }
  }
  const elapsedS = Math.max((now() - started) / 1_000, 0.001);
  return {
    mesh: mesh.code,
    seed,
    enrolled,
    devices,
    counts: { ...out.counts, total: stored },
    requestedRate: options.rate,
    achievedRate: Math.round((stored / elapsedS) * 10) / 10,
    elapsedS: Math.round(elapsedS * 1000) / 1000,
    stopped,
  };
}

/**
 * The level simulated observations carry: the mesh's equivalent of NATO SECRET where the demo
 * markings name one exactly (what a coalition picture is usually held at), else its lowest level.
 */
function simulationLevel(services: Services, mesh: string): string {
  const exact = demoMarkingStatements(mesh).find((s) => s.pivot === 'SECRET' && s.relation === 'exact');
  if (exact) return exact.term;
  const markings = services.taxonomy.vocabularies().find((v) => v.name === 'markings');
  return markings!.terms[0]!.term;
}

const KINDS: readonly PlatformKind[] = ['uas', 'usv', 'ground-sensor'];

/** An area in the North Sea placed by the seed, a platform per device, and five contacts. */
function simulationArea(seed: string, devices: readonly string[]): { area: { centre: Position; radiusM: number }; platforms: PlatformSpec[]; contacts: ContactSpec[] } {
  const random = seededRandom(`${seed}:area`);
  const centre = { lat: random.between(54.5, 57.5), lon: random.between(2, 6) };
  const radiusM = 40_000;
  const platforms = devices.map((device, i): PlatformSpec => {
    const known = SIMULATOR_DEVICES.find((d) => d.id === device)?.kind;
    const kind = known ?? KINDS[i % KINDS.length]!;
    return { id: `${device}-${kind}`, kind, device, start: destination(centre, random.between(0, 360), random.between(0, radiusM * 0.6)) };
  });
  const identities: ContactSpec['identity'][] = ['hostile', 'suspect', 'neutral', 'unknown', 'neutral'];
  const contacts = identities.map((identity, i): ContactSpec => ({
    id: `contact-${i + 1}`,
    identity,
    description: identity === 'neutral' ? 'merchant vessel' : 'small fast craft',
    start: destination(centre, random.between(0, 360), random.between(0, radiusM * 0.5)),
    speedMps: random.between(3, 12),
  }));
  return { area: { centre, radiusM }, platforms, contacts };
}
