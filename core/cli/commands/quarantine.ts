/**
 * `entente quarantine list|release|reject`: what crossed with a term this mesh cannot translate
 * waits for an operator; deciding signs with the operator's own credential.
 */
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { passphrasePrompt } from '../passphrase.js';
import { refusing } from './shared.js';

export const quarantineListCommand: Command = {
  name: 'quarantine list',
  summary: 'List what waits in quarantine (translation loss), or --all with the decisions taken.',
  usage: 'entente quarantine list [--all] [--home DIR] [--json]',
  options: { all: { type: 'boolean' } },
  run: async (context) =>
    withCore(context.home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const items = services.crossing.quarantine({ all: context.values.all === true });
      return {
        json: { items },
        text:
          items.length === 0
            ? 'Nothing waits in quarantine.'
            : items
                .map((q) =>
                  [
                    `${q.id}  ${q.class} ${q.subject}  from ${q.origin} via ${q.partner} (${q.federation})  ${q.classification}`,
                    `  held ${q.heldAt}: no mapping for ${q.missing.map((m) => `${m.vocabulary} "${m.term}"`).join(', ')}`,
                    ...(q.decision ? [`  ${q.decision.outcome} by ${q.decision.by} at ${q.decision.at}: ${q.decision.reason}`] : []),
                  ].join('\n'),
                )
                .join('\n'),
      };
    }),
};

function decisionOf(context: CommandContext, release: boolean) {
  const [id] = context.positionals;
  const { operator, reason, classification } = context.values;
  if (typeof id !== 'string' || !/^[0-9a-f]{64}$/.test(id)) throw new UsageError('Name the quarantined observation by its id (64 hex digits).');
  if (typeof operator !== 'string' || operator.length === 0) throw new UsageError('--operator needs the enrolled operator who decides (their key signs).');
  if (typeof reason !== 'string' || reason.trim().length === 0) throw new UsageError('--reason needs the reason for the decision.');
  if (release && (typeof classification !== 'string' || classification.length === 0)) throw new UsageError('--classification needs the marking, in this mesh’s policy, the item is released under.');
  return { id, operator, reason, ...(release ? { classification: classification as string } : {}) };
}

const decisionOptions = { operator: { type: 'string' }, reason: { type: 'string' } } as const;

export const quarantineReleaseCommand: Command = {
  name: 'quarantine release',
  summary: 'Release a quarantined item under a marking an operator gives it (signed decision).',
  usage: 'entente quarantine release ID --operator ID --classification LEVEL --reason TEXT [--home DIR] [--json]',
  options: { ...decisionOptions, classification: { type: 'string' } },
  maxPositionals: 1,
  run: async (context) => {
    const decision = decisionOf(context, true);
    return withCore(
      context.home,
      async ({ services }) => {
        await refusing(async () => services.mesh.require());
        const { view, statement } = await refusing(() => services.crossing.release(decision));
        return { json: { item: view, statement }, text: `Released ${view.id} as ${decision.classification}, signed by operator ${decision.operator}.` };
      },
      passphrasePrompt(context.io.env, 'sign the decision with the operator’s key'),
    );
  },
};

export const quarantineRejectCommand: Command = {
  name: 'quarantine reject',
  summary: 'Reject a quarantined item (signed decision); it is never admitted.',
  usage: 'entente quarantine reject ID --operator ID --reason TEXT [--home DIR] [--json]',
  options: decisionOptions,
  maxPositionals: 1,
  run: async (context) => {
    const decision = decisionOf(context, false);
    return withCore(
      context.home,
      async ({ services }) => {
        await refusing(async () => services.mesh.require());
        const { view, statement } = await refusing(() => services.crossing.reject(decision));
        return { json: { item: view, statement }, text: `Rejected ${view.id}, signed by operator ${decision.operator}.` };
      },
      passphrasePrompt(context.io.env, 'sign the decision with the operator’s key'),
    );
  },
};
