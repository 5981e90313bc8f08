/** The console's wording of numbers, instants and field names. */
import { describe, expect, it } from 'vitest';
import { duration, formatCount, humanise, instant, plural, utc } from './format.js';

describe('format', () => {
  it('writes counts with separators and plurals', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(plural(1, 'observation')).toBe('1 observation');
    expect(plural(10000, 'entry', 'entries')).toBe('10,000 entries');
  });

  it('writes instants in UTC first, then the local time', () => {
    expect(utc('2026-11-23T08:00:05Z')).toBe('UTC 2026-11-23 08:00');
    expect(utc('2026-11-23T08:00:05.123+02:00', true)).toBe('UTC 2026-11-23 06:00:05');
    expect(instant('2026-11-23T08:00:00Z')).toMatch(/^UTC 2026-11-23 08:00 \(local (2026-11-2\d )?\d\d:\d\d\)$/);
    expect(utc('not a time')).toBe('not a time');
  });

  it('writes durations and field names for people', () => {
    expect(duration(300)).toBe('5 min');
    expect(duration(21_600)).toBe('6 h');
    expect(duration(93_784)).toBe('1 d 2 h');
    expect(duration(0)).toBe('0 s');
    expect(humanise('derivedPurged')).toBe('derived purged');
    expect(humanise('backlog-limit')).toBe('backlog limit');
  });
});
