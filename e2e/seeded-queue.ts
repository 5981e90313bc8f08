/**
 * A divergence queue made with the built CLI: the boundaries of seeded-boundaries.ts (DEU with NLD
 * over a live link), then DEU's and NLD's sensors report the same contacts at the same moment with
 * different findings — what each saw of ship q-1's type, q-2's position and type, and q-3's
 * speed — and DEU syncs once more. Each disagreement is concurrent and above the federation's
 * threshold (0.2), so DEU holds the subject and a queue item opens. DEU's operator `officer-1`
 * can decide them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { entente, seedBoundaries, syncOnce, type SeededBoundaries } from './seeded-boundaries.js';

export const OPERATOR = 'officer-1';

export interface SeededQueue extends SeededBoundaries {
  /** Per subject, DEU's and NLD's competing observations. */
  readonly contacts: Readonly<Record<string, { readonly deu: string; readonly nld: string }>>;
}

const REPORTS: Record<string, readonly [deu: object, nld: object]> = {
  'ship:q-1': [{ lat: 54.312, lon: 13.104, kind: 'frigate', speedKn: 14 }, { lat: 54.312, lon: 13.104, kind: 'fishing vessel', speedKn: 14 }],
  'ship:q-2': [{ lat: 54.5, lon: 12.9, kind: 'corvette' }, { lat: 54.61, lon: 12.75, kind: 'patrol boat' }],
  'ship:q-3': [{ lat: 55.02, lon: 14.2, speedKn: 22 }, { lat: 55.02, lon: 14.2, speedKn: 9 }],
};

export async function seedQueue(home: string): Promise<SeededQueue> {
  const boundaries = await seedBoundaries(home);
  entente(home, 'DEU', ['device', 'enroll', '--role', 'operator', '--device', OPERATOR]);
  const labels: Record<string, string> = {};
  for (const [code, classification] of [['DEU', 'VS-VERTRAULICH'], ['NLD', 'Stg. CONFIDENTIEEL']] as const) {
    labels[code] = join(home, 'partners', `${code}.contact.label.json`);
    writeFileSync(labels[code], JSON.stringify({ kind: 'originator', policy: { id: code }, classification, categories: [], createdAt: '2026-11-23T08:00:00Z' }));
  }
  const contacts: Record<string, { deu: string; nld: string }> = {};
  for (const [subject, [deu, nld]] of Object.entries(REPORTS)) {
    const observe = (code: string, payload: object) => entente(home, code, ['observe', '--device', 'sensor-1', '--class', 'track', '--subject', subject, '--label', labels[code]!], JSON.stringify(payload));
    contacts[subject] = { deu: observe('DEU', deu), nld: observe('NLD', nld) };
  }
  await syncOnce(home);
  return { ...boundaries, contacts };
}
