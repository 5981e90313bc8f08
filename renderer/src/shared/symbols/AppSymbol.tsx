/**
 * An observation's APP-6 symbol from the SIDC in its payload, or — without one, or with a code
 * milsymbol does not recognise — a plain dotted frame with the class's initial, so a track with
 * no symbol never looks like one with an unknown affiliation.
 */
import { drawSymbol } from './app6.js';

interface Props {
  readonly sidc: string | null;
  /** The observation's class (track, incident…), for the fallback. */
  readonly cls: string;
  readonly size?: number;
}

export function AppSymbol({ sidc, cls, size = 22 }: Props) {
  const drawn = sidc ? drawSymbol(sidc, size) : null;
  if (drawn) {
    return <img className="app6" src={drawn.src} width={drawn.width} height={drawn.height} alt={`APP-6 symbol ${sidc}: ${drawn.description}`} title={`${sidc} · ${drawn.description}`} data-testid="app6-symbol" data-sidc={sidc} />;
  }
  const why = sidc ? `symbol code ${sidc} not recognised` : 'no symbol code in the payload';
  return (
    <span className="app6-fallback" style={{ width: size, height: size }} role="img" aria-label={`${cls}: ${why}`} title={why} data-testid="app6-fallback">
      {cls.slice(0, 1).toUpperCase()}
    </span>
  );
}
