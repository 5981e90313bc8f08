/**
 * A workstation clock set years ahead, between real homes: the jump is logged as an integrity
 * event, the federation it seems to end shows expired with its exit held (nothing purged), the
 * trusted time stays put so the clock set right again brings everything back, and only the
 * operator's confirmation runs the held exit — logged like any other.
 */
import { describe, expect, it } from 'vitest';
import { declarationFor, type TestMesh } from '../../federation/test-fixtures.js';
import { readTimeFloor } from '../../store/federation-store.js';
import { crossBundle, readyToCross } from '../../test-support/federated-homes.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';

const home = useTestHomes('entente-clock-jump-');

type Home = TestHome;

const seat = (h: Home) => ({ code: h.mesh.require().mesh.code, card: h.mesh.card() }) as unknown as TestMesh;
const carry = (from: Home, to: Home, id: string) => to.federations.import(JSON.stringify(from.federations.export(id)));
const label = JSON.stringify({ kind: 'originator', policy: { id: 'NATO' }, classification: 'CONFIDENTIAL', categories: [], createdAt: '2026-11-23T08:00:00Z' });
const integrity = (h: Home) =>
  (h.db.prepare("SELECT entry FROM audit_entries WHERE type = 'integrity' ORDER BY seq").pluck().all() as string[]).map((e) => JSON.parse(e) as { what: { detail: Record<string, unknown> }; why: { reasons: string[] } });

/** DEU and NLD in a federation that expires in a week, with one NLD track admitted at DEU. */
async function activeFederation() {
  const [deu, nld] = [await home('DEU'), await home('NLD')];
  const week = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const { id } = await deu.federations.propose(declarationFor([seat(deu), seat(nld)], { validity: { start: new Date(Date.now() - 60_000).toISOString(), expires: week } }));
  await carry(deu, nld, id);
  await nld.federations.sign(id);
  await carry(nld, deu, id);
  await readyToCross([deu, nld], id);
  const track = await nld.observations.observe({ device: 'sensor-1', class: 'track', subject: 'track:1', labelText: label, payloadText: '{"x":1}', derivedFrom: [], derivation: null });
  expect((await crossBundle(nld, deu)).imported.counts.admitted).toBe(1);
  return { deu, nld, id, track };
}

const yearsAhead = () => new Date(Date.now() + 5 * 365 * 86_400_000);

describe('a clock set forward', () => {
  it('logs the jump, holds the exit it would trigger, and leaves the trusted time where it was', async () => {
    const { deu, nld, id, track } = await activeFederation();
    const floor = readTimeFloor(deu.db)!;
    const ahead = yearsAhead();
    deu.setClock(ahead);

    expect((await deu.federations.status())[0]).toMatchObject({ id, state: 'expired', exitHeld: true });
    await deu.federations.status();
    expect(deu.db.prepare('SELECT COUNT(*) FROM observations WHERE id = ?').pluck().get(track.id)).toBe(1);
    expect(deu.db.prepare("SELECT COUNT(*) FROM audit_entries WHERE type = 'purge'").pluck().get()).toBe(0);
    expect(readTimeFloor(deu.db)).toBe(floor);
    // One integrity entry per jump, however many commands run under it.
    expect(integrity(deu)).toMatchObject([{ why: { reasons: ['clock-jump'] }, what: { detail: { floor, wall: ahead.toISOString(), boundHours: 168 } } }]);
    expect(deu.federations.clockJump()).toMatchObject({ from: new Date(floor), to: ahead });
    // Nothing crosses under a federation that seems expired: stopping is safe, purging is not.
    expect(deu.federations.mayCross('NLD', 'DEU', 'track')).toMatchObject({ allowed: false });

    // The clock set right again: the federation is active, and new proposals are not refused.
    deu.setClock(null);
    expect((await deu.federations.status())[0]).toMatchObject({ state: 'active', exitHeld: false });
    expect(deu.federations.clockJump()).toBeNull();
    expect(await refusal(() => deu.federations.propose(declarationFor([seat(deu), seat(nld)], { id: 'next-exercise', validity: { start: new Date().toISOString(), expires: new Date(Date.now() + 86_400_000).toISOString() } })))).toBe('accepted');
    expect(deu.audit.verify().failures).toEqual([]);
  });

  it('runs the held exit once the operator confirms the clock, and logs both', async () => {
    const { deu, id, track } = await activeFederation();
    const ahead = yearsAhead();
    deu.setClock(ahead);
    await deu.federations.status();

    const { confirmed, exited } = await deu.federations.confirmClock();
    expect(confirmed).toMatchObject({ to: ahead });
    expect(exited).toEqual([id]);
    expect(readTimeFloor(deu.db)).toBe(ahead.toISOString());
    expect((await deu.federations.status())[0]).toMatchObject({ state: 'exited', exitHeld: false });
    expect(deu.db.prepare('SELECT COUNT(*) FROM observations WHERE id = ?').pluck().get(track.id)).toBe(0);
    const purge = JSON.parse(deu.db.prepare("SELECT entry FROM audit_entries WHERE type = 'purge'").pluck().get() as string) as { what: { ids: string[] }; why: { reasons: string[] } };
    expect(purge).toMatchObject({ what: { ids: [track.id] }, why: { reasons: ['federation-expired'] } });
    expect(integrity(deu).map((e) => e.why.reasons[0])).toEqual(['clock-jump', 'clock-confirmed']);
    expect(await deu.federations.confirmClock()).toEqual({ confirmed: null, exited: [] });
    expect(deu.audit.verify().failures).toEqual([]);
  });

  it('still runs an exit at once when trusted time reaches the expiry in steps within the bound', async () => {
    const { deu, id, track } = await activeFederation();
    // Twenty hours at a time, from one moment: each step within the bound, ten past the week.
    const from = Date.now();
    for (let step = 1; step <= 10; step += 1) {
      deu.setClock(new Date(from + step * 20 * 3_600_000));
      await deu.federations.status();
    }
    expect(deu.federations.summary(id)).toMatchObject({ state: 'exited', exitHeld: false });
    expect(deu.db.prepare('SELECT COUNT(*) FROM observations WHERE id = ?').pluck().get(track.id)).toBe(0);
    expect(integrity(deu)).toEqual([]);
  });
});
