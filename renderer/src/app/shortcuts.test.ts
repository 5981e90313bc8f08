/** The keymap: `g` then a letter, Alt and a digit, `?`; nothing while typing or with Ctrl/Meta. */
import { describe, expect, it } from 'vitest';
import { altDigitOf, shortcutFor, type KeyPress } from './shortcuts.js';
import { formatRoute, parseRoute } from './route.js';

const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({ key, altKey: false, ctrlKey: false, metaKey: false, inField: false, code: '', ...more });

describe('shortcuts', () => {
  it('goes to a view by g and its letter, or Alt and its digit', () => {
    expect(shortcutFor(press('g'), false)).toEqual({ kind: 'prefix' });
    expect(shortcutFor(press('f'), true)).toEqual({ kind: 'view', view: 'federations' });
    expect(shortcutFor(press('A'), true)).toEqual({ kind: 'view', view: 'audit' });
    expect(shortcutFor(press('f'), false)).toBeNull();
    expect(shortcutFor(press('z'), true)).toBeNull();
    // The digit by its physical key: Alt+2 types "™" or "@" on some layouts.
    expect(shortcutFor(press('™', { altKey: true, code: 'Digit2' }), false)).toEqual({ kind: 'view', view: 'picture' });
    expect(shortcutFor(press('9', { altKey: true, code: 'Digit9' }), false)).toEqual({ kind: 'view', view: 'federations' });
    // The tenth view is Alt and 0, the key after 9; the eleventh has its letter only.
    expect(shortcutFor(press('0', { altKey: true, code: 'Digit0' }), false)).toEqual({ kind: 'view', view: 'audit' });
    expect(shortcutFor(press('j'), true)).toEqual({ kind: 'view', view: 'picture' });
    expect(shortcutFor(press('i'), true)).toEqual({ kind: 'view', view: 'integrity' });
    expect(altDigitOf(9)).toBe('0');
    expect(altDigitOf(10)).toBeNull();
    expect(shortcutFor(press('?'), false)).toEqual({ kind: 'help' });
  });

  it('leaves keys typed into a field, and Ctrl or Meta chords, to the browser', () => {
    expect(shortcutFor(press('g', { inField: true }), false)).toBeNull();
    expect(shortcutFor(press('f', { inField: true }), true)).toBeNull();
    expect(shortcutFor(press('1', { altKey: true, code: 'Digit1', inField: true }), false)).toBeNull();
    expect(shortcutFor(press('g', { ctrlKey: true }), false)).toBeNull();
    expect(shortcutFor(press('f', { metaKey: true }), true)).toBeNull();
  });
});

describe('routes', () => {
  it('reads and writes the view and its selection in the hash, unknown ones falling back to the overview', () => {
    expect(parseRoute('#/federations/deu-1a2b3c4d')).toEqual({ view: 'federations', item: 'deu-1a2b3c4d' });
    expect(parseRoute('#/quarantine')).toEqual({ view: 'quarantine', item: null });
    expect(parseRoute('')).toEqual({ view: 'overview', item: null });
    expect(parseRoute('#/nowhere/x')).toEqual({ view: 'overview', item: null });
    expect(parseRoute('#/federations/<script>')).toEqual({ view: 'federations', item: null });
    expect(formatRoute({ view: 'audit', item: null })).toBe('#/audit');
    expect(formatRoute(parseRoute('#/federations/nld-0001'))).toBe('#/federations/nld-0001');
  });
});
