// The allow-list both rules take: exact file pairs, each with its reason. Keyed by pair so an
// exception tightens by itself: once the importing file is gone or stops importing the target,
// the entry matches nothing and the rule is back to full strength there.

export const exceptionSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    exceptions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to', 'reason'],
        properties: {
          from: { type: 'string', pattern: '^[^/].*\\.[a-z]+$', description: 'importing file, project-relative' },
          to: { type: 'string', pattern: '^[^/].*\\.[a-z]+$', description: 'imported file, project-relative, its real name (.ts)' },
          reason: { type: 'string', minLength: 10, description: 'one line saying why, and for a temporary one when it goes' },
        },
      },
    },
  },
};

/** `from → to` keys of the exceptions in a rule's options. */
export function exceptionsByPair(options) {
  return new Set((options?.exceptions ?? []).map(({ from, to }) => `${from} → ${to}`));
}
