/**
 * The classification banner, top and bottom of the window as accredited systems mark a screen:
 * the highest classification among the markings on screen now, coloured by its tier (green
 * unclassified, purple restricted, blue confidential, red secret, orange top secret). The text
 * is the display marking from the label policy (STANAG 4774), never a colour alone.
 */
import { useSyncExternalStore } from 'react';
import { bannerLevel } from '../shared/classification/banner-level.js';
import { shownMarkings } from '../shared/classification/shown-markings.js';
import { useContract } from '../shared/use-contract.js';

export function ClassificationBanner({ position }: { position: 'top' | 'bottom' }) {
  const levels = useContract('getMarkingLevels', {}, { refreshOn: ['meshChanged', 'crossingChanged', 'federationsChanged'] });
  const shown = useSyncExternalStore(shownMarkings.subscribe, shownMarkings.get);
  if (!levels.data) return <div className={`classification-banner classification-${position}`} data-tier="unknown" aria-hidden="true" />;
  const level = bannerLevel(levels.data, shown);
  return (
    <div
      className={`classification-banner classification-${position}`}
      data-tier={level.tier}
      data-testid={`classification-${position}`}
      // Announced once, from the top banner; the bottom one repeats it for the eye.
      {...(position === 'top' ? { role: 'status', 'aria-label': `Highest classification on screen: ${level.text}` } : { 'aria-hidden': true })}
    >
      <span className="classification-text">{level.text}</span>
      {!level.nothingShown && level.nato && !level.text.includes(level.nato) && <span className="classification-nato">NATO {level.nato}</span>}
      {level.nothingShown && <span className="classification-nato">no labelled data on screen</span>}
    </div>
  );
}
