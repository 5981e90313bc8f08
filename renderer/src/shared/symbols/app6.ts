/**
 * APP-6 symbols drawn by milsymbol (bundled into the renderer: no network): a letter SIDC
 * (APP-6(B), MIL-STD-2525B/C) or a number SIDC (APP-6(D), MIL-STD-2525D/E) becomes an SVG, shown as
 * an image from a data: URL (the console's content policy allows data: images and nothing
 * else). A code milsymbol does not recognise is not drawn as if it were one.
 */
// The package's entry registers the letter (APP-6(B), 2525B/C) and number (APP-6(D), 2525D/E) icon sets.
import ms from 'milsymbol';

export interface DrawnSymbol {
  readonly src: string;
  readonly width: number;
  readonly height: number;
  /** In words, for the image's alternative text: affiliation and dimension, "Friend ground". */
  readonly description: string;
}

const cache = new Map<string, DrawnSymbol | null>();

/** The symbol for `sidc` at `size` px, or null when milsymbol does not recognise the code. */
export function drawSymbol(sidc: string, size = 22): DrawnSymbol | null {
  const key = `${sidc}@${size}`;
  if (cache.has(key)) return cache.get(key)!;
  const symbol = new ms.Symbol(sidc, { size, standard: 'APP6' } as never);
  let drawn: DrawnSymbol | null = null;
  if (symbol.isValid() === true) {
    const { width, height } = symbol.getSize();
    const meta = symbol.getMetadata();
    const description = [meta.affiliation, meta.dimension?.toLowerCase()].filter(Boolean).join(' ');
    drawn = { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(symbol.asSVG())}`, width: Math.ceil(width), height: Math.ceil(height), description };
  }
  if (cache.size > 2_000) cache.clear();
  cache.set(key, drawn);
  return drawn;
}
