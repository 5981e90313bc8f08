/**
 * A link's state told apart at a glance without colour (WCAG 1.4.1): each state has its own
 * glyph and word — a filled disc for up, a pause bar for an intended disconnection, a warning
 * triangle for an unexpected loss, an open ring for a partner never reached.
 */
import type { MethodResult } from '../../../../core/api/index.js';

export type LinkState = MethodResult<'listLinks'>['links'][number]['state'];

const LOOKS: Record<LinkState, { glyph: string; word: string; tone: string }> = {
  up: { glyph: '●', word: 'Up', tone: 'link-up' },
  'intentionally-disconnected': { glyph: '❚❚', word: 'Disconnected (intended)', tone: 'link-paused' },
  'unexpectedly-lost': { glyph: '▲', word: 'Lost (unexpected)', tone: 'link-lost' },
  'never-contacted': { glyph: '○', word: 'Never contacted', tone: 'link-never' },
};

/** Worst first: the card's headline is the worst of its links. */
export const STATE_ORDER: readonly LinkState[] = ['unexpectedly-lost', 'intentionally-disconnected', 'never-contacted', 'up'];

export function worstState(states: readonly LinkState[]): LinkState | null {
  return STATE_ORDER.find((state) => states.includes(state)) ?? null;
}

export function LinkStateBadge({ state }: { state: LinkState }) {
  const look = LOOKS[state];
  return (
    <span className={`link-state ${look.tone}`} data-state={state}>
      <span className="link-glyph" aria-hidden="true">{look.glyph}</span> {look.word}
    </span>
  );
}
