import { describe, expect, it } from 'vitest';
import { showMarking, shownMarkings } from './shown-markings.js';

describe('the markings on screen', () => {
  it('counts each marking while any element shows it, and tells listeners when the set changes', () => {
    let told = 0;
    const stop = shownMarkings.subscribe(() => told++);
    const a = showMarking('GEHEIM');
    const b = showMarking('GEHEIM');
    const c = showMarking('VS-VERTRAULICH');
    expect(shownMarkings.get()).toEqual(['GEHEIM', 'VS-VERTRAULICH']);
    expect(told).toBe(2);
    a();
    a(); // withdrawing twice changes nothing
    expect(shownMarkings.get()).toEqual(['GEHEIM', 'VS-VERTRAULICH']);
    b();
    c();
    expect(shownMarkings.get()).toEqual([]);
    expect(told).toBe(4);
    stop();
  });
});
