/**
 * Storing the generator's emissions through the pipeline: each one is a device's observation
 * (`observations.observe`, the path `entente observe` takes: stamped, signed by the device's
 * credential, checked, stored, indexed and logged), its `derivedFrom` keys turned into the ids
 * its sources were stored under.
 */
import type { Services } from '../app/services.js';
import { canonicalize } from '../canonical/jcs.js';
import type { Emission, EmissionKind } from './tracks.js';

export type Counts = Record<EmissionKind, number>;

export const noCounts = (): Counts => ({ track: 0, detection: 0, assessment: 0 });

/** An originator label (STANAG 4774) in the mesh's national policy, as `observe --label` reads it. */
export function originatorLabel(policy: string, classification: string, at: Date, releasableTo?: readonly string[]): string {
  return canonicalize({
    kind: 'originator',
    policy: { id: policy },
    classification,
    categories: releasableTo ? [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: [...releasableTo].sort() }] : [],
    createdAt: new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString(),
  });
}

export interface Publisher {
  /** Stores one emission; returns its observation id. */
  publish(emission: Emission): Promise<string>;
  /** The id an emission was stored under. */
  idOf(key: string): string | undefined;
  readonly counts: Counts;
}

export function publisher(services: Services, label: (emission: Emission) => string): Publisher {
  const ids = new Map<string, string>();
  const counts = noCounts();
  return {
    counts,
    idOf: (key) => ids.get(key),
    publish: async (emission) => {
      const derivedFrom = emission.derivedFrom.map((key) => {
        const id = ids.get(key);
        if (id === undefined) throw new RangeError(`${emission.key} derives from ${key}, which was not stored`);
        return id;
      });
      const { id } = await services.observations.observe({
        device: emission.device,
        class: emission.class,
        subject: emission.subject,
        labelText: label(emission),
        payloadText: JSON.stringify(emission.payload),
        derivedFrom,
        derivation: emission.derivation ? { ...emission.derivation } : null,
      });
      ids.set(emission.key, id);
      counts[emission.kind] += 1;
      return id;
    },
  };
}
