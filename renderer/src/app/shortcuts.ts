/**
 * The console's keyboard shortcuts, as a pure function of the key pressed and the one before it:
 * `g` then a view's letter, Alt and the view's digit, `?` for the list. Keys typed into a field
 * are never shortcuts.
 */
import { VIEWS, type ViewId } from './views.js';

export type Shortcut = { kind: 'view'; view: ViewId } | { kind: 'help' } | { kind: 'prefix' } | null;

export interface KeyPress {
  readonly key: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  /** Whether the key went to a text field, a select or an editable element. */
  readonly inField: boolean;
  /** Alt with a digit gives another character on some layouts: the physical key's code. */
  readonly code: string;
}

/** How long after `g` its letter may come. */
export const PREFIX_MS = 1500;

/** The digit that goes with Alt to the view at `index` in the rail (1–9, then 0), or null past the tenth. */
export function altDigitOf(index: number): string | null {
  return index < 9 ? String(index + 1) : index === 9 ? '0' : null;
}

export function shortcutFor(press: KeyPress, prefixed: boolean): Shortcut {
  if (press.inField || press.ctrlKey || press.metaKey) return null;
  if (press.altKey) {
    // Digits 1–9 then 0 for the tenth view, in the order of the keys on the keyboard.
    const digit = /^Digit([0-9])$/.exec(press.code)?.[1];
    const view = digit === undefined ? undefined : VIEWS[(Number(digit) + 9) % 10];
    return view ? { kind: 'view', view: view.id } : null;
  }
  if (prefixed) {
    const view = VIEWS.find((v) => v.letter === press.key.toLowerCase());
    return view ? { kind: 'view', view: view.id } : null;
  }
  if (press.key === 'g') return { kind: 'prefix' };
  if (press.key === '?') return { kind: 'help' };
  return null;
}

export function isField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
