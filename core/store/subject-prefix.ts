/**
 * "Subject starts with": a range on the subject column, not LIKE or GLOB, so no wildcard in the
 * officer's text can widen it and the subject's index (or primary key) serves it. Every code
 * point sorts below U+10FFFF in SQLite's BINARY (UTF-8 byte) order, so the range holds exactly the
 * subjects that begin with the prefix.
 */
export function subjectPrefixRange(prefix: string | undefined, conditions: string[], params: Record<string, string>): void {
  if (prefix === undefined || prefix === '') return;
  conditions.push('subject >= @prefix AND subject < @prefixEnd');
  params.prefix = prefix;
  params.prefixEnd = `${prefix}\u{10FFFF}`;
}
