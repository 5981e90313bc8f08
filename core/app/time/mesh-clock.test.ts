/**
 * The mesh clock across exchanges on real homes (0007 "The mesh clock"): a partner whose clock
 * runs two hours ahead is followed — the next local observation is stamped after what was
 * admitted from it, its wall time still ours — while a partner three days ahead is admitted but
 * not followed, and named in a `clock-too-far-ahead` integrity event.
 */
import { describe, expect, it } from 'vitest';
import { compare } from '../../time/hlc.js';
import { crossBundle, federate, nationalLabel } from '../../test-support/federated-homes.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import { CLOCK_TOO_FAR_AHEAD, MAX_REMOTE_AHEAD_MS } from './mesh-clock.js';

const home = useTestHomes('entente-mesh-clock-');
const HOUR = 3_600_000;

async function observe(h: TestHome, subject: string) {
  return h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, h.code === 'NLD' ? 'Stg. GEHEIM' : 'GEHEIM'), payloadText: '{"lat":54.1,"lon":12.2}', derivedFrom: [], derivation: null });
}

const tooFarAhead = (h: TestHome) => h.integrity.list({ kind: CLOCK_TOO_FAR_AHEAD, limit: 100 }).events;

describe('the mesh clock', () => {
  it('orders the next local observation after a partner two hours ahead, and refuses to follow one three days ahead', async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const real = Date.now();
    nld!.setClock(new Date(real));
    deu!.setClock(new Date(real + 2 * HOUR));
    const ahead = await observe(deu!, 'track:ahead');
    await crossBundle(deu!, nld!);

    const after = await observe(nld!, 'track:after');
    expect(compare(after.record.time.hlc, ahead.record.time.hlc)).toBe(1);
    expect(after.record.time.hlc.l).toBe(ahead.record.time.hlc.l);
    // The stated wall time stays ours: only the logical part follows the partner.
    expect(Date.parse(after.record.time.wall)).toBe(real);
    expect(tooFarAhead(nld!)).toEqual([]);

    // Three days ahead is beyond the bound: admitted, named, and our clock stays where it was.
    deu!.setClock(new Date(real + 72 * HOUR));
    const far = await observe(deu!, 'track:far');
    const { imported } = await crossBundle(deu!, nld!);
    expect(imported.counts.admitted).toBeGreaterThanOrEqual(1);
    expect(nld!.db.prepare('SELECT COUNT(*) FROM observations WHERE id = ?').pluck().get(far.id)).toBe(1);
    const next = await observe(nld!, 'track:next');
    expect(compare(next.record.time.hlc, after.record.time.hlc)).toBe(1);
    expect(next.record.time.hlc.l).toBeLessThan(far.record.time.hlc.l);
    expect(next.record.time.hlc.l - real).toBeLessThanOrEqual(2 * HOUR);
    const [event, ...others] = tooFarAhead(nld!);
    expect(others).toEqual([]);
    expect(event).toMatchObject({ kind: CLOCK_TOO_FAR_AHEAD, partner: 'DEU' });
    expect(event!.message).toContain('72.0 h ahead');
    expect(event!.evidence).toMatchObject({ boundMs: MAX_REMOTE_AHEAD_MS, origin: 'DEU', observations: [far.id] });

    // Once our own clock comes within the bound of that stamp, the receive rule accepts it: the next stamp orders after it.
    nld!.setClock(new Date(far.record.time.hlc.l - MAX_REMOTE_AHEAD_MS + HOUR));
    const later = await observe(nld!, 'track:later');
    expect(compare(later.record.time.hlc, far.record.time.hlc)).toBe(1);
    expect(nld!.audit.verify().failures).toEqual([]);
  });
});
