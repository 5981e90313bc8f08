/** The contract's time part: each partner's clock offset interval and the samples it rests on (docs/decisions/0007-reconciliation.md, "Time"). */
import { z } from 'zod';
import { federationId, meshCode, text, type MethodTable } from './atoms.js';

/** Milliseconds, their clock minus ours; null where nothing bounds that side. */
const Bound = z.number().finite().nullable();
export const OffsetInterval = z.strictObject({ lo: Bound, hi: Bound });

export const ClockSampleView = z.strictObject({
  /** `link:<n>` or `bundle:<n>`. */
  key: text(64),
  kind: z.enum(['link', 'bundle']),
  federation: federationId,
  /** RFC 5905 §8's timestamps, each in its side's milliseconds; t1 and t2 are null for a bundle's one-way sample. */
  t1: z.number().int().nullable(),
  t2: z.number().int().nullable(),
  t3: z.number().int(),
  t4: z.number().int(),
  ageMs: z.number().nonnegative(),
  /** What this sample alone bounds the offset to, now. */
  interval: OffsetInterval,
});

export const ClockOffsetView = z.strictObject({
  partner: meshCode,
  interval: OffsetInterval,
  driftPpm: z.number().nonnegative(),
  /** The newest sample's age; null without samples. */
  ageMs: z.number().nonnegative().nullable(),
  /** The two samples that cannot both be true, when the interval fell back to the newest alone. */
  contradiction: z.strictObject({ first: text(64), second: text(64) }).nullable(),
  samples: z.array(ClockSampleView).max(64),
});

export const timeMethods = {
  listClockOffsets: {
    args: z.strictObject({ partner: meshCode.optional() }),
    result: z.strictObject({ offsets: z.array(ClockOffsetView).max(1000) }),
  },
} as const satisfies MethodTable;
