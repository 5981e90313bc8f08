/**
 * The text a label or policy may hold: bounded, one line, trimmed, Unicode NFC. Internal to
 * core/labels; it is what lets every label string survive XML (XML 1.0 §2.2 Char) unchanged.
 */
import { z } from 'zod';

// C0/C1 controls (tab and newline included: markings are one line, and XML would rewrite
// CR and attribute whitespace), lone surrogates, and the XML non-characters U+FFFE/U+FFFF.
const FORBIDDEN = /[\p{Cc}\p{Cs}\uFFFE\uFFFF]/u;

export function isLabelText(value: string): boolean {
  return !FORBIDDEN.test(value) && value.trim() === value && value.normalize('NFC') === value;
}

/** What `boundedText(max)` accepts, as a plain predicate for quick shape checks. */
export function isBoundedText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= max && isLabelText(value);
}

/**
 * NFC because the same marking typed on two systems may arrive composed or decomposed
 * ("TRÈS SECRET"), and equal labels must be equal bytes.
 */
export const boundedText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !FORBIDDEN.test(value), 'must not contain control characters, lone surrogates or U+FFFE/U+FFFF')
    .refine((value) => value.trim() === value, 'must not start or end with whitespace')
    .refine((value) => value.normalize('NFC') === value, 'must be in Unicode NFC');

/** UTF-16 code unit order, the order RFC 8785 §3.2.3 sorts keys in: the same on every platform. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
