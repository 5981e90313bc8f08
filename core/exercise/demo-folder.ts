/**
 * Where `entente demo` builds, and how a run killed half-way is recovered: the exercise is built
 * in a staging folder beside the target (`DIR.demo-partial`, marked with `entente-demo.json`) and
 * renamed into place only once complete, so DIR is never half-written. A re-run finds the marked
 * staging folder of a killed run, removes it and builds again; a folder there without our marker
 * is someone else's, and refused.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Refused } from '../common/refused.js';

export const DEMO_MARKER = 'entente-demo.json';
export const MARKER_TYPE = 'entente.demo/v1';

export interface DemoFolder {
  /** Where the exercise ends up. */
  readonly target: string;
  /** Where it is built. */
  readonly staging: string;
  /** A killed run's staging folder was found and removed. */
  readonly recovered: boolean;
  /** Writes the marker's final state and moves the staging folder into place. */
  finish(summary: unknown): void;
}

/** Refuses a target that holds anything; prepares the staging folder. */
export function prepareDemoFolder(dir: string): DemoFolder {
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new Refused('home-not-empty', `${target} already holds data; the demo builds its exercise only into a new or empty folder (nothing was changed): choose another --home.`);
  }
  const staging = `${target}.demo-partial`;
  let recovered = false;
  if (existsSync(staging)) {
    if (!isOurStaging(staging)) {
      throw new Refused('staging-in-use', `${staging} exists and is not a demo's unfinished build; move it away and run the demo again.`);
    }
    rmSync(staging, { recursive: true, force: true });
    recovered = true;
  }
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  writeFileSync(join(staging, DEMO_MARKER), `${JSON.stringify({ type: MARKER_TYPE, state: 'building', startedAt: new Date().toISOString() }, null, 2)}\n`);
  return {
    target,
    staging,
    recovered,
    finish: (summary) => {
      writeFileSync(join(staging, DEMO_MARKER), `${JSON.stringify({ type: MARKER_TYPE, state: 'complete', summary }, null, 2)}\n`);
      if (existsSync(target)) rmdirSync(target);
      renameSync(staging, target);
    },
  };
}

function isOurStaging(staging: string): boolean {
  try {
    const marker = JSON.parse(readFileSync(join(staging, DEMO_MARKER), 'utf8')) as { type?: unknown };
    return marker.type === MARKER_TYPE;
  } catch {
    return false;
  }
}
