/**
 * The trusted clock: now, as this workspace trusts it — never earlier than a moment it has
 * already acted at, so setting the workstation clock back cannot re-open an expired federation.
 * Readers read the floor; only writers (holding a WriteDb) raise it. Tests fake time here.
 */
import type { ReadDb, WriteDb } from '../../store/database.js';
import { raiseTimeFloor, readTimeFloor } from '../../store/federation-store.js';

/** The workstation's clock; a test gives its own. */
export type WallClock = () => Date;

export const systemClock: WallClock = () => new Date();

export interface TrustedClock {
  /** The workstation's clock as it reads: when something happened here (an enrolment, a checkpoint). */
  wall(): Date;
  /** Now for a reader: the wall clock, or the floor when the wall clock is behind it. The floor is left as it is. */
  now(): Date;
  /** Now for a writer: as `now()`, and the floor raised to it in the same store. */
  advance(db: WriteDb): Date;
}

export function createTrustedClock(db: ReadDb, wall: WallClock = systemClock): TrustedClock {
  const now = (): Date => {
    const clock = wall();
    const floor = readTimeFloor(db);
    return floor && floor > clock.toISOString() ? new Date(floor) : clock;
  };
  return {
    wall,
    now,
    advance: (writer) => {
      const at = now();
      raiseTimeFloor(writer, at.toISOString());
      return at;
    },
  };
}
