/**
 * What the XML readers (STANAG 4774 labels, Cursor on Target) share: text from bytes or a string
 * with a byte bound — UTF-8 only and strictly (an invalid sequence is refused, never replaced), a
 * leading byte order mark dropped as XML 1.0 §4.3.3 allows, the bound checked before anything is
 * decoded, the caller naming its own refusals — and the predefined entities.
 */
export interface BoundedUtf8Refusals {
  readonly tooLarge: () => Error;
  readonly notUtf8: () => Error;
}

export function decodeBoundedUtf8(input: string | Uint8Array, maxBytes: number, refuse: BoundedUtf8Refusals): string {
  if (typeof input === 'string') {
    // A UTF-8 encoding is never shorter than the UTF-16 length, so the cheap test goes first.
    if (input.length > maxBytes || Buffer.byteLength(input, 'utf8') > maxBytes) throw refuse.tooLarge();
    return input.startsWith('\uFEFF') ? input.slice(1) : input;
  }
  if (input.byteLength > maxBytes) throw refuse.tooLarge();
  try {
    // ignoreBOM false: a leading UTF-8 byte order mark is consumed.
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw refuse.notUtf8();
  }
}

/** XML 1.0 §4.6: the five entities every processor knows; any other entity reference is refused by the readers. */
export const XML_PREDEFINED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);
