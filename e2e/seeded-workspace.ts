/**
 * A workspace prepared the way an engineer would script it: the built CLI initialises a mesh,
 * enrols two devices, records two observations and one derived from both.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '..', 'bin', 'entente.mjs');

export interface SeededWorkspace {
  readonly ids: { readonly uav: string; readonly radar: string; readonly fused: string };
}

export function seedWorkspace(home: string): SeededWorkspace {
  const env = { ...process.env, ENTENTE_PASSPHRASE: 'e2e exercise passphrase' };
  const entente = (args: string[], input?: string) =>
    execFileSync(process.execPath, [CLI, ...args, '--home', home], { env, input, encoding: 'utf8' }).trim();
  const label = join(home, 'label.json');
  writeFileSync(
    label,
    JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU', 'NLD'] }], createdAt: '2026-11-23T08:00:00Z' }),
  );
  entente(['mesh', 'init', '--mesh', 'DEU', '--name', 'Bundeswehr exercise mesh']);
  entente(['device', 'enroll', '--device', 'uav-7']);
  entente(['device', 'enroll', '--device', 'radar-2', '--algorithm', 'p256']);
  const observeArgs = (device: string, subject: string) => ['observe', '--device', device, '--class', 'track', '--subject', subject, '--label', label];
  const uav = entente(observeArgs('uav-7', 'track:4711'), '{"lat":52.1,"lon":5.2}');
  const radar = entente(observeArgs('radar-2', 'track:4711'), '{"lat":52.2,"lon":5.3}');
  const fused = entente([...observeArgs('uav-7', 'track:4711'), '--derived-from', `${uav},${radar}`, '--fn', 'fuse-tracks@1.0'], '{"lat":52.15,"lon":5.25}');
  return { ids: { uav, radar, fused } };
}
