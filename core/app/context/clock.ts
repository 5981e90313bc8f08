/**
 * The trusted clock: now, as this workspace trusts it — never earlier than a moment it has
 * already acted at, so setting the workstation clock back cannot re-open an expired federation.
 * Readers read the floor; only writers (holding a WriteDb) raise it. Tests fake time here.
 *
 * A writer raises the floor by at most a declared bound (7 days unless the context says otherwise)
 * past it: a wall clock further ahead is a jump, an integrity event. The floor stays where it was
 * until an operator confirms the clock (`confirm`), so one command under a clock set years ahead
 * cannot end every federation for good; what a jump would destroy waits for that confirmation.
 */
import type { ReadDb, WriteDb } from '../../store/database.js';
import { raiseTimeFloor, readTimeFloor } from '../../store/federation-store.js';

/** The workstation's clock; a test gives its own. */
export type WallClock = () => Date;

export const systemClock: WallClock = () => new Date();

/**
 * How far past the floor a writer may move it without an operator's confirmation: a week, so a
 * workstation left over a weekend or a short leave (the floor moves only when something is
 * written) does not cry wolf, while a clock set months or years ahead is caught.
 */
export const DEFAULT_MAX_CLOCK_JUMP_MS = 7 * 24 * 3_600_000;

/** The wall clock ahead of the floor by more than the bound: not trusted until confirmed. */
export interface ClockJump {
  /** The floor: the last moment this workspace trusted. */
  readonly from: Date;
  /** The wall clock as it reads now. */
  readonly to: Date;
  readonly boundMs: number;
}

export interface TrustedClock {
  /** The workstation's clock as it reads: when something happened here (an enrolment, a checkpoint). */
  wall(): Date;
  /** Now for a reader: the wall clock, or the floor when the wall clock is behind it. The floor is left as it is. */
  now(): Date;
  /** Now for a writer: as `now()`, and the floor raised to it in the same store — unless that would be a jump. */
  advance(db: WriteDb): Date;
  /** The jump the wall clock makes past the floor, or null when it is within the bound (or behind). */
  jump(): ClockJump | null;
  /** The operator's word that the wall clock is right: the floor rises to it. Returns the jump confirmed, if any. */
  confirm(db: WriteDb): ClockJump | null;
}

export function createTrustedClock(db: ReadDb, wall: WallClock = systemClock, maxJumpMs = DEFAULT_MAX_CLOCK_JUMP_MS): TrustedClock {
  if (!(Number.isFinite(maxJumpMs) && maxJumpMs > 0)) throw new RangeError(`The clock's jump bound must be a positive number of milliseconds, not ${maxJumpMs}.`);
  const judge = () => {
    const clock = wall();
    const floor = readTimeFloor(db);
    const now = floor && floor > clock.toISOString() ? new Date(floor) : clock;
    // A fresh store has no floor to jump from: its first writer sets it.
    const jump: ClockJump | null = floor && clock.getTime() - Date.parse(floor) > maxJumpMs ? { from: new Date(floor), to: clock, boundMs: maxJumpMs } : null;
    return { now, jump };
  };
  return {
    wall,
    now: () => judge().now,
    advance: (writer) => {
      const { now, jump } = judge();
      if (!jump) raiseTimeFloor(writer, now.toISOString());
      return now;
    },
    jump: () => judge().jump,
    confirm: (writer) => {
      const { jump } = judge();
      if (jump) raiseTimeFloor(writer, jump.to.toISOString());
      return jump;
    },
  };
}
