/**
 * A labelling policy, the small SPIF-like description each mesh gives of its markings (after
 * the Open XML SPIF idea): classifications in order from lowest to highest with how each is
 * marked, and the categories a label may carry with the values each allows.
 */
import { z } from 'zod';

export const PolicyFile = z.strictObject({
  id: z.string().min(1).max(64),
  uri: z.string().max(256).optional(),
  /** Prefix shown before a classification, e.g. "NATO". */
  markingPrefix: z.string().max(32).optional(),
  classifications: z
    .array(z.strictObject({ name: z.string().min(1).max(64), marking: z.string().max(128).optional() }))
    .min(1)
    .max(32),
  categories: z
    .array(
      z.strictObject({
        tagName: z.string().min(1).max(128),
        type: z.enum(['PERMISSIVE', 'RESTRICTIVE', 'INFORMATIVE']),
        uri: z.string().max(256).optional(),
        /** Short form used in the marking, e.g. "REL TO". */
        marking: z.string().max(32).optional(),
        values: z.union([z.literal('ISO-3166-alpha-3'), z.array(z.string().min(1).max(128)).min(1).max(1024)]),
      }),
    )
    .max(32),
});

export type LabelPolicy = z.infer<typeof PolicyFile>;
