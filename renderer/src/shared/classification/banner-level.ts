/**
 * Which classification the banner shows: the highest of the markings on screen, ranked on the
 * NATO scale the core gives (`getMarkingLevels`). A marking the core cannot rank is never taken
 * as low: the banner then says so and takes the colour of the highest tier, so it can only
 * overstate, never understate, what is on screen.
 */
import type { MethodResult } from '../../../../core/api/index.js';

type Levels = MethodResult<'getMarkingLevels'>;

export interface BannerLevel {
  /** The text the banner shows. */
  readonly text: string;
  /** 0 UNCLASSIFIED … 4 TOP SECRET; the colour. */
  readonly tier: number;
  /** The NATO level of that tier, for a foreign marking's equivalent. */
  readonly nato: string;
  /** Markings on screen the core could not rank. */
  readonly unranked: readonly string[];
  /** Nothing labelled is on screen: the banner shows this mesh's lowest level. */
  readonly nothingShown: boolean;
}

/** A display marking's level: what precedes the first category ("GEHEIM // REL TO NLD" → "GEHEIM"). */
export function levelPart(marking: string): string {
  const cut = marking.indexOf(' // ');
  return (cut < 0 ? marking : marking.slice(0, cut)).trim();
}

export function bannerLevel(levels: Levels, shown: readonly string[]): BannerLevel {
  const top = levels.tiers.length - 1;
  const byMarking = new Map(levels.levels.map((l) => [l.marking, l]));
  const unranked: string[] = [];
  let best: Levels['levels'][number] | null = null;
  for (const marking of shown) {
    const level = byMarking.get(levelPart(marking));
    if (!level) unranked.push(levelPart(marking));
    // Our own marking wins a tie: the banner speaks this mesh's policy where it can.
    else if (!best || level.tier > best.tier || (level.tier === best.tier && level.own && !best.own)) best = level;
  }
  const ownAt = (tier: number) => levels.levels.find((l) => l.own && l.tier === tier) ?? null;
  if (unranked.length > 0 && (!best || best.tier < top)) {
    return { text: `${[...new Set(unranked)].join(', ')} (not ranked here)`, tier: top, nato: levels.tiers[top] ?? '', unranked, nothingShown: false };
  }
  if (!best) {
    const lowest = levels.levels.filter((l) => l.own || levels.policy === 'NATO').sort((a, b) => a.tier - b.tier)[0];
    return { text: lowest?.marking ?? levels.tiers[0] ?? '', tier: lowest?.tier ?? 0, nato: levels.tiers[lowest?.tier ?? 0] ?? '', unranked, nothingShown: true };
  }
  // A partner's marking is shown as marked, with our own equivalent beside it.
  const own = best.own ? null : ownAt(best.tier);
  const text = own && own.marking !== best.marking ? `${best.marking} (${own.marking})` : best.marking;
  return { text, tier: best.tier, nato: levels.tiers[best.tier] ?? '', unranked, nothingShown: false };
}
