/**
 * A workspace prepared the way an engineer would script it: the built CLI initialises a mesh,
 * enrols two devices, records two observations and one derived from both. `recordWithCli`
 * records one more, in its own process, as an engineer would while the console is open.
 */
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const CLI = join(import.meta.dirname, '..', 'bin', 'entente.mjs');
const env = { ...process.env, ENTENTE_PASSPHRASE: 'e2e exercise passphrase' };
const labelFile = (home: string) => join(home, 'label.json');
const observeArgs = (home: string, device: string, subject: string) => ['observe', '--device', device, '--class', 'track', '--subject', subject, '--label', labelFile(home)];

export interface SeededWorkspace {
  readonly ids: { readonly uav: string; readonly radar: string; readonly fused: string };
}

export function seedWorkspace(home: string): SeededWorkspace {
  const entente = (args: string[], input?: string) =>
    execFileSync(process.execPath, [CLI, ...args, '--home', home], { env, input, encoding: 'utf8' }).trim();
  writeFileSync(
    labelFile(home),
    JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU', 'NLD'] }], createdAt: '2026-11-23T08:00:00Z' }),
  );
  entente(['mesh', 'init', '--mesh', 'DEU', '--name', 'Bundeswehr exercise mesh']);
  entente(['device', 'enroll', '--device', 'uav-7']);
  entente(['device', 'enroll', '--device', 'radar-2', '--algorithm', 'p256']);
  const uav = entente(observeArgs(home, 'uav-7', 'track:4711'), '{"lat":52.1,"lon":5.2}');
  const radar = entente(observeArgs(home, 'radar-2', 'track:4711'), '{"lat":52.2,"lon":5.3}');
  const fused = entente([...observeArgs(home, 'uav-7', 'track:4711'), '--derived-from', `${uav},${radar}`, '--fn', 'fuse-tracks@1.0'], '{"lat":52.15,"lon":5.25}');
  return { ids: { uav, radar, fused } };
}

/** Records one observation on a seeded home with `entente observe` in a process of its own; answers its id. */
export async function recordWithCli(home: string, device: string, subject: string, payload: object): Promise<string> {
  const run = promisify(execFile);
  const child = run(process.execPath, [CLI, ...observeArgs(home, device, subject), '--home', home], { env, encoding: 'utf8' });
  child.child.stdin!.end(JSON.stringify(payload));
  const { stdout } = await child;
  return stdout.trim();
}
