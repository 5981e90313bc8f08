/**
 * The trusted clock on a real store: a writer raises the floor, so setting the workstation clock
 * back never takes "now" back; a reader reads the floor and leaves it as it is. That a reader
 * cannot raise it is checked by tsc (`@ts-expect-error` below).
 */
import { describe, expect, it } from 'vitest';
import { type ReadDb } from '../../store/database.js';
import { readTimeFloor } from '../../store/federation-store.js';
import { useTempDatabase } from '../../test-support/temp-database.js';
import { createTrustedClock } from './clock.js';

const temp = useTempDatabase('entente-clock-');

const at = (iso: string) => new Date(iso);

describe('the trusted clock', () => {
  it('never goes back once a writer has acted, and a read leaves the floor where it was', () => {
    let wall = at('2027-01-02T00:00:00.000Z');
    const clock = createTrustedClock(temp.db, () => wall);
    expect(clock.advance(temp.db).toISOString()).toBe('2027-01-02T00:00:00.000Z');

    wall = at('2026-06-01T00:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2027-01-02T00:00:00.000Z');
    expect(clock.advance(temp.db).toISOString()).toBe('2027-01-02T00:00:00.000Z');
    expect(clock.wall().toISOString()).toBe('2026-06-01T00:00:00.000Z');

    wall = at('2027-01-02T20:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2027-01-02T20:00:00.000Z');
    expect(readTimeFloor(temp.db)).toBe('2027-01-02T00:00:00.000Z');
    clock.advance(temp.db);
    expect(readTimeFloor(temp.db)).toBe('2027-01-02T20:00:00.000Z');
  });

  it('does not raise the floor by a jump beyond the bound until it is confirmed', () => {
    let wall = at('2027-01-02T00:00:00.000Z');
    const clock = createTrustedClock(temp.db, () => wall, 3_600_000);
    clock.advance(temp.db);
    expect(clock.jump()).toBeNull();

    wall = at('2031-01-02T00:00:00.000Z');
    expect(clock.jump()).toEqual({ from: at('2027-01-02T00:00:00.000Z'), to: wall, boundMs: 3_600_000 });
    // Readers and writers see the wall clock, but the floor stays at the last trusted moment.
    expect(clock.advance(temp.db).toISOString()).toBe('2031-01-02T00:00:00.000Z');
    expect(readTimeFloor(temp.db)).toBe('2027-01-02T00:00:00.000Z');

    wall = at('2027-01-02T00:30:00.000Z');
    expect(clock.jump()).toBeNull();
    expect(clock.confirm(temp.db)).toBeNull();
    expect(readTimeFloor(temp.db)).toBe('2027-01-02T00:00:00.000Z');

    wall = at('2031-01-02T00:00:00.000Z');
    expect(clock.confirm(temp.db)).toMatchObject({ to: wall });
    expect(readTimeFloor(temp.db)).toBe('2031-01-02T00:00:00.000Z');
    expect(clock.jump()).toBeNull();
  });

  it('refuses a bound that is not a positive duration', () => {
    expect(() => createTrustedClock(temp.db, undefined, 0)).toThrow(/positive number of milliseconds/);
  });

  it('reads the real clock on a fresh store, and writes nothing for it', () => {
    const clock = createTrustedClock(temp.db);
    const before = Date.now();
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(before);
    expect(readTimeFloor(temp.db)).toBeUndefined();
  });

  it('raises the floor only through a write handle', () => {
    const reader: ReadDb = temp.db;
    const clock = createTrustedClock(reader, () => at('2030-01-01T00:00:00.000Z'));
    // @ts-expect-error a ReadDb cannot raise the floor
    const attempt = () => clock.advance(reader);
    expect(typeof attempt).toBe('function');
    expect(readTimeFloor(reader)).toBeUndefined();
  });
});
