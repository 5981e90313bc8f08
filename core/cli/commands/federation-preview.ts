/**
 * `entente federation preview --draft FILE`: before signing, what a draft declaration would have
 * done with this mesh's history beside the version in force — crossings to each partner, what came
 * under the federation admitted again or not, subjects queued or merged (core/app/federations/draft-effect.ts).
 * Reads only: nothing is written or logged, no key is opened.
 */
import type { DraftEffect, EffectChange, EffectTally } from '../../app/federations/draft-effect.js';
import { JsonError, readStrictJson } from '../../canonical/strict-json.js';
import type { Command } from '../command.js';
import { Refusal, UsageError } from '../failures.js';
import { readInputFile, refusing, withMesh } from './shared.js';

const MAX_FILE_BYTES = 4 * 1024 * 1024;

const signed = (n: number) => (n > 0 ? `+${n.toLocaleString('en-GB')}` : n < 0 ? `−${(-n).toLocaleString('en-GB')}` : '0');
const number = (n: number) => n.toLocaleString('en-GB');

/** One table: outcome, in force, draft, the difference; rows padded to line up. */
function table(rows: readonly { words: string; inForce: number; draft: number }[]): string[] {
  if (rows.length === 0) return ['    (nothing to judge)'];
  const width = Math.max(...rows.map((r) => r.words.length), 7);
  const head = `    ${'outcome'.padEnd(width)}  ${'in force'.padStart(9)}  ${'draft'.padStart(9)}  ${'change'.padStart(8)}`;
  return [head, ...rows.map((r) => `    ${r.words.padEnd(width)}  ${number(r.inForce).padStart(9)}  ${number(r.draft).padStart(9)}  ${(r.draft === r.inForce ? '' : signed(r.draft - r.inForce)).padStart(8)}`)];
}

function changeLines(changes: readonly EffectChange[], changed: number, direction: 'to' | 'from'): string[] {
  if (changed === 0) return ['  No observation changes outcome.'];
  return [
    `  ${number(changed)} observation${changed === 1 ? ' changes' : 's change'} outcome${changed > changes.length ? ` (first ${changes.length} shown)` : ''}:`,
    ...changes.map((c) => `    ${c.subject} (${c.class}, ${c.label}) ${direction} ${c.partner}: ${c.inForce.words} → ${c.draft.words}  [${c.observation.slice(0, 16)}…]`),
  ];
}

export function describeEffect(effect: DraftEffect): string {
  const tallyRows = (tally: readonly EffectTally[]) => tally.map((t) => ({ words: t.words, inForce: t.inForce, draft: t.draft }));
  const lines = [
    `Federation ${effect.federation}: draft v${effect.draftVersion} against ${effect.inForce === null ? 'no version in force' : `v${effect.inForce} in force`} (judged ${effect.judgedAt}).`,
    '',
    `Outbound: ${number(effect.outbound.observations)} observation(s) this mesh could release (its own, and relays it may pass on).`,
    ...effect.outbound.partners.flatMap((p) => [`  to ${p.partner}:`, ...table(tallyRows(p.tally))]),
    ...changeLines(effect.outbound.changes, effect.outbound.changed, 'to'),
    '',
    `Inbound: ${number(effect.inbound.observations)} observation(s) that came under ${effect.federation} (admitted, or waiting in quarantine).`,
    ...table(tallyRows(effect.inbound.tally)),
    ...changeLines(effect.inbound.changes, effect.inbound.changed, 'from'),
    '',
    `Queue: ${number(effect.queue.subjects)} subject(s) under each side's arbitration and divergence threshold${effect.queue.governs ? '' : ' (another federation’s arbitration governs this mesh’s picture: the draft changes nothing here)'}.`,
    ...table(effect.queue.tally.map((t) => ({ words: t.state === 'held' ? 'sent to the queue' : 'merged', inForce: t.inForce, draft: t.draft }))),
    ...(effect.queue.changed === 0
      ? ['  No subject changes between merged and queued.']
      : [
          `  ${number(effect.queue.changed)} subject(s) change${effect.queue.changed > effect.queue.changes.length ? ` (first ${effect.queue.changes.length} shown)` : ''}:`,
          ...effect.queue.changes.map((q) => `    ${q.subject}: ${q.inForce} → ${q.draft} (divergence ${q.score.draft.toFixed(2)}, threshold ${q.threshold.inForce} → ${q.threshold.draft})`),
        ]),
  ];
  return lines.join('\n');
}

export const federationPreviewCommand: Command = {
  name: 'federation preview',
  summary: 'Before signing: what a draft declaration would have let cross, refused, quarantined or queued, beside the version in force.',
  usage: 'entente federation preview --draft DECL.json [--home DIR] [--json]',
  options: { draft: { type: 'string' } },
  run: async (context) => {
    const path = context.values.draft;
    if (typeof path !== 'string') throw new UsageError('federation preview needs --draft DECL.json (a declaration, as `entente federation propose --file` takes).');
    let draft: unknown;
    try {
      draft = readStrictJson(readInputFile(path, 'draft', MAX_FILE_BYTES), { maxBytes: MAX_FILE_BYTES });
    } catch (error) {
      if (error instanceof JsonError) throw Refusal.one('malformed-file', `The draft file ${path}: ${error.message}`);
      throw error;
    }
    return withMesh(context, 'read this mesh', async ({ federations }) => {
      const effect = await refusing(async () => federations.previewEffect(draft));
      return { json: { effect }, text: describeEffect(effect) };
    });
  },
};
