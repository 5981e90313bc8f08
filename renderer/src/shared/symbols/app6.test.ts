import { describe, expect, it } from 'vitest';
import { drawSymbol } from './app6.js';

describe('APP-6 symbols', () => {
  it('draws a letter SIDC and a number SIDC as an SVG data: image, described in words', () => {
    const friendInfantry = drawSymbol('SFGPUCI----K');
    expect(friendInfantry).toMatchObject({ description: 'Friend ground' });
    expect(friendInfantry!.src.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(friendInfantry!.src.split(',')[1]!)).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(drawSymbol('SHAPMF----*****')).toMatchObject({ description: expect.stringMatching(/^Hostile air/) });
    expect(drawSymbol('10031000001211000000')).toMatchObject({ description: expect.stringMatching(/^Friend/) });
    expect(friendInfantry!.width).toBeGreaterThan(10);
  });

  it('does not draw a code milsymbol does not recognise', () => {
    expect(drawSymbol('not a code')).toBeNull();
    expect(drawSymbol('')).toBeNull();
  });
});
