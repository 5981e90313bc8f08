/**
 * The editor's draft-effect preview on real homes: DEU and NLD federated, bundles carried both
 * ways, a divergence on one subject held for the queue. Each draft — a class narrowed, a ceiling
 * lowered, the divergence threshold raised — changes exactly the outcomes it should; the in-force
 * side stays what the store shows; and the preview writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { crossBundle, federate, nationalLabel } from '../../test-support/federated-homes.js';
import { refusal, useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import type { DraftEffect } from './draft-effect.js';

const home = useTestHomes('entente-draft-effect-');

async function observe(h: TestHome, cls: string, subject: string, level: string, payload: unknown): Promise<string> {
  const { id } = await h.observations.observe({ device: 'sensor-1', class: cls, subject, labelText: nationalLabel(h.code, level), payloadText: JSON.stringify(payload), derivedFrom: [], derivation: null });
  return id;
}

type Draft = { version: number; validity: { start: string; expires: string }; scope: { from: string; to: string; classes: string[]; ceiling: { policy: string; classification: string } }[]; arbitration: Record<string, unknown> };

/** The federation, the history the preview reads, and its next version to edit. */
async function history() {
  const { id, homes } = await federate(home, ['DEU', 'NLD'], { overrides: { arbitration: { policy: 'originator-wins', divergenceThreshold: 0.4 } } });
  const [deu, nld] = homes as [TestHome, TestHome];
  // DEU: two tracks (one SECRET, one CONFIDENTIAL in NATO terms) and an incident; NLD: a rival view of track:9.
  const secretTrack = await observe(deu, 'track', 'track:9', 'GEHEIM', { lat: 54.1, kind: 'frigate' });
  const confidentialTrack = await observe(deu, 'track', 'track:12', 'VS-VERTRAULICH', { speed: 12 });
  const incident = await observe(deu, 'incident', 'incident:1', 'VS-VERTRAULICH', { what: 'flare sighted' });
  const rival = await observe(nld, 'track', 'track:9', 'Stg. GEHEIM', { lat: 54.1, kind: 'tanker' });
  await crossBundle(deu, nld);
  await crossBundle(nld, deu);
  expect(deu.reconcile.picture({ subject: 'track:9' }).items[0]).toMatchObject({ state: 'held' });
  const next = deu.federations.startDraft({ amend: id }) as Draft;
  return { id, deu, ids: { secretTrack, confidentialTrack, incident, rival }, next };
}

const count = (tally: DraftEffect['inbound']['tally'], side: 'inForce' | 'draft', outcome: string, reason: string | null = null) =>
  tally.find((t) => t.outcome === outcome && t.reason === reason)?.[side] ?? 0;

describe('the draft-effect preview', () => {
  it('shows what narrowing a class, lowering a ceiling and raising the threshold would change, and only that', async () => {
    const { deu, ids, next } = await history();
    const logBefore = deu.audit.verify().entries;

    // The unchanged next version: in force and draft agree everywhere.
    const same = deu.federations.previewEffect(next);
    expect(same).toMatchObject({ inForce: 1, draftVersion: 2, outbound: { observations: 3, changed: 0 }, inbound: { observations: 1, changed: 0 }, queue: { subjects: 3, governs: true, changed: 0 } });
    const [toNld] = same.outbound.partners;
    expect(toNld).toMatchObject({ partner: 'NLD', tally: [{ outcome: 'crossed', reason: null, inForce: 3, draft: 3 }] });
    expect(count(same.inbound.tally, 'inForce', 'admitted')).toBe(1);
    expect(same.queue.tally).toEqual([{ state: 'merged', inForce: 2, draft: 2 }, { state: 'held', inForce: 1, draft: 1 }]);

    // 1. Narrowed: DEU's incidents no longer go to NLD. Nothing else moves.
    const narrowed = deu.federations.previewEffect({ ...next, scope: next.scope.map((r) => (r.from === 'DEU' ? { ...r, classes: ['track'] } : r)) });
    expect(narrowed.outbound.changed).toBe(1);
    expect(narrowed.outbound.changes).toEqual([
      {
        observation: ids.incident,
        subject: 'incident:1',
        class: 'incident',
        origin: 'DEU',
        partner: 'NLD',
        label: 'VS-VERTRAULICH',
        inForce: { outcome: 'crossed', reason: null, words: 'would cross' },
        draft: { outcome: 'refused', reason: 'out-of-scope', words: expect.stringMatching(/not in scope/) },
      },
    ]);
    expect(narrowed.outbound.partners[0]!.tally).toEqual([
      { outcome: 'crossed', reason: null, words: 'would cross', inForce: 3, draft: 2 },
      { outcome: 'refused', reason: 'out-of-scope', words: expect.any(String), inForce: 0, draft: 1 },
    ]);
    expect(narrowed.inbound.changed).toBe(0);
    expect(narrowed.queue.changed).toBe(0);

    // 2. Ceiling lowered to CONFIDENTIAL both ways: DEU's SECRET track stays home, NLD's SECRET track would be refused here.
    const lowered = deu.federations.previewEffect({ ...next, scope: next.scope.map((r) => ({ ...r, ceiling: { policy: 'NATO', classification: 'CONFIDENTIAL' } })) });
    expect(lowered.outbound.changes.map((c) => [c.observation, c.draft.reason])).toEqual([[ids.secretTrack, 'above-ceiling']]);
    expect(lowered.inbound.changes).toMatchObject([{ observation: ids.rival, origin: 'NLD', partner: 'NLD', subject: 'track:9', inForce: { outcome: 'admitted' }, draft: { outcome: 'refused', reason: 'above-ceiling' } }]);
    expect(count(lowered.inbound.tally, 'inForce', 'admitted')).toBe(1);
    expect(count(lowered.inbound.tally, 'draft', 'refused', 'above-ceiling')).toBe(1);
    expect(lowered.queue.changed).toBe(0);

    // 3. Threshold raised past track:9's divergence (0.5): merged instead of queued; no crossing changes.
    const raised = deu.federations.previewEffect({ ...next, arbitration: { ...next.arbitration, divergenceThreshold: 0.9 } });
    expect(raised.outbound.changed).toBe(0);
    expect(raised.inbound.changed).toBe(0);
    expect(raised.queue.changes).toEqual([{ subject: 'track:9', inForce: 'held', draft: 'merged', score: { inForce: 0.5, draft: 0.5 }, threshold: { inForce: 0.4, draft: 0.9 } }]);
    expect(raised.queue.tally).toEqual([{ state: 'merged', inForce: 2, draft: 3 }, { state: 'held', inForce: 1, draft: 0 }]);

    // The in-force side is the same whatever the draft.
    for (const effect of [narrowed, lowered, raised]) {
      expect(effect.outbound.partners[0]!.tally.map((t) => [t.outcome, t.reason, t.inForce]).filter(([, , n]) => n !== 0)).toEqual([['crossed', null, 3]]);
      expect(effect.queue.tally.map((t) => t.inForce)).toEqual([2, 1]);
    }
    // Read-only: no log entry, the queue as it was.
    expect(deu.audit.verify().entries).toBe(logBefore);
    expect(deu.reconcile.queue().open).toBe(1);
  }, 60_000);

  it('compares a new federation with none in force, and refuses a draft with issues', async () => {
    const { deu, next } = await history();
    const fresh = deu.federations.startDraft({ partners: ['NLD'] }) as Draft;
    // From the same start as the first, so the history falls inside its window; a start of now would leave it all outside.
    const effect = deu.federations.previewEffect({ ...fresh, purpose: 'A second federation', validity: { ...fresh.validity, start: next.validity.start } });
    expect(effect.inForce).toBeNull();
    // Under no federation nothing crossed. Under the new one, tracks only: the incident is out of
    // scope, and the tracks are held as translation loss, because marking equivalences are attested
    // per federation and none are yet for this one — as the exporter itself would hold them.
    expect(effect.outbound.partners[0]!.tally).toEqual([
      { outcome: 'refused', reason: 'no-federation', words: 'refused: no version in force', inForce: 3, draft: 0 },
      { outcome: 'refused', reason: 'out-of-scope', words: expect.any(String), inForce: 0, draft: 1 },
      { outcome: 'refused', reason: 'translation-loss', words: expect.stringMatching(/no agreed translation/), inForce: 0, draft: 2 },
    ]);
    expect(effect.outbound.changed).toBe(3);
    expect(effect.inbound.observations).toBe(0);
    expect(await refusal(() => deu.federations.previewEffect({ ...next, purpose: '' }))).toBe('invalid-draft');
    expect(await refusal(() => deu.federations.previewEffect('not a declaration'))).toBe('invalid-draft');
  }, 60_000);
});
