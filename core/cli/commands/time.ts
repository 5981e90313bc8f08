/**
 * `entente time confirm`: after the workstation clock jumped past the last trusted time by more
 * than the bound, an operator who has checked the clock says it is right; the trusted time rises
 * to it, the confirmation is logged, and the exits the jump held run.
 */
import type { Command } from '../command.js';
import { withCore } from '../open-core.js';
import { passphrasePrompt } from '../passphrase.js';
import { refusing } from './shared.js';

export const timeConfirmCommand: Command = {
  name: 'time confirm',
  summary: 'Confirm the workstation clock after a jump: it becomes the trusted time and the exits it held run.',
  usage: 'entente time confirm [--home DIR] [--json]',
  options: {},
  run: async (context) =>
    withCore(
      context.home,
      async ({ services }) => {
        await refusing(async () => services.mesh.require());
        const { confirmed, exited } = await refusing(async () => services.federations.confirmClock());
        if (!confirmed) {
          return { json: { confirmed: false, trustedTime: services.context.reading().clock.now().toISOString(), exited: [] }, text: 'The clock is within the bound of the last trusted time: nothing to confirm.' };
        }
        const [from, to] = [confirmed.from.toISOString(), confirmed.to.toISOString()];
        return {
          json: { confirmed: true, from, to, exited },
          text: [`Confirmed the workstation clock: the trusted time moved from ${from} to ${to}.`, exited.length > 0 ? `Exits run: ${exited.join(', ')}.` : 'No exit was held.'].join('\n'),
        };
      },
      passphrasePrompt(context.io.env, 'record the confirmation with the mesh’s issuing key'),
    ),
};
