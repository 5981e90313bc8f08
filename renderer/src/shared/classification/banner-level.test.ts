import { describe, expect, it } from 'vitest';
import { bannerLevel, levelPart } from './banner-level.js';

// What the core answers for DEU holding NLD's attestations (core/app/mesh/marking-levels.ts).
const levels = {
  policy: 'DEU',
  tiers: ['UNCLASSIFIED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET'],
  levels: [
    { policy: 'NATO', classification: 'SECRET', marking: 'NATO SECRET', tier: 3, own: false },
    { policy: 'NATO', classification: 'TOP SECRET', marking: 'COSMIC TOP SECRET', tier: 4, own: false },
    { policy: 'DEU', classification: 'OFFEN', marking: 'OFFEN', tier: 0, own: true },
    { policy: 'DEU', classification: 'VS-VERTRAULICH', marking: 'VS-VERTRAULICH', tier: 2, own: true },
    { policy: 'DEU', classification: 'GEHEIM', marking: 'GEHEIM', tier: 3, own: true },
    { policy: 'NLD', classification: 'Stg. GEHEIM', marking: 'NLD Stg. GEHEIM', tier: 3, own: false },
    { policy: 'NLD', classification: 'Stg. ZEER GEHEIM', marking: 'NLD Stg. ZEER GEHEIM', tier: 4, own: false },
  ],
};

describe('the classification banner’s level', () => {
  it('takes the level of a marking, before its categories', () => {
    expect(levelPart('GEHEIM // REL TO NLD, POL')).toBe('GEHEIM');
    expect(levelPart('COSMIC TOP SECRET // ATOMAL // REL TO DEU')).toBe('COSMIC TOP SECRET');
    expect(levelPart('OFFEN')).toBe('OFFEN');
  });

  it('shows the highest marking on screen, our own wording winning a tie', () => {
    expect(bannerLevel(levels, ['VS-VERTRAULICH', 'GEHEIM // REL TO NLD'])).toMatchObject({ text: 'GEHEIM', tier: 3, nato: 'SECRET' });
    expect(bannerLevel(levels, ['NLD Stg. GEHEIM', 'GEHEIM'])).toMatchObject({ text: 'GEHEIM', tier: 3 });
    expect(bannerLevel(levels, ['NATO SECRET', 'VS-VERTRAULICH'])).toMatchObject({ text: 'NATO SECRET (GEHEIM)', tier: 3 });
  });

  it('shows a partner’s higher marking as marked, with no own equivalent invented', () => {
    expect(bannerLevel(levels, ['GEHEIM', 'NLD Stg. ZEER GEHEIM'])).toMatchObject({ text: 'NLD Stg. ZEER GEHEIM', tier: 4, nato: 'TOP SECRET' });
  });

  it('never understates: a marking it cannot rank takes the top tier and is named', () => {
    expect(bannerLevel(levels, ['GEHEIM', 'POL ŚCIŚLE TAJNE'])).toMatchObject({ text: 'POL ŚCIŚLE TAJNE (not ranked here)', tier: 4, unranked: ['POL ŚCIŚLE TAJNE'] });
    // Unless something ranked at the top is on screen anyway.
    expect(bannerLevel(levels, ['COSMIC TOP SECRET', 'POL ŚCIŚLE TAJNE'])).toMatchObject({ text: 'COSMIC TOP SECRET', tier: 4 });
  });

  it('shows this mesh’s lowest level when nothing labelled is on screen', () => {
    expect(bannerLevel(levels, [])).toMatchObject({ text: 'OFFEN', tier: 0, nothingShown: true });
  });
});
