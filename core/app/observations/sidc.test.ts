import { describe, expect, it } from 'vitest';
import { sidcOf } from './observation-views.js';

describe('the symbol code a payload names', () => {
  it('reads a letter or number SIDC under sidc, symbol or symbolCode', () => {
    expect(sidcOf({ lat: 54.1, sidc: 'SFGPUCI----K' })).toBe('SFGPUCI----K');
    expect(sidcOf({ symbol: 'SHAPMF----*****' })).toBe('SHAPMF----*****');
    expect(sidcOf({ symbolCode: '10031000001211000000' })).toBe('10031000001211000000');
    expect(sidcOf({ sidc: '100310000012110000000000000000' })).toBe('100310000012110000000000000000');
  });

  it('is null for anything that is not a code', () => {
    for (const payload of [null, 42, 'SFGPUCI----K', ['SFGPUCI----K'], {}, { sidc: 'SFGPUCI' }, { sidc: '1003100000121100000' }, { sidc: 'SFGPUCI----K<script>' }, { sidc: 12 }]) {
      expect(sidcOf(payload), JSON.stringify(payload)).toBeNull();
    }
  });
});
