/**
 * The console's crossing calls through the contract, over real federated homes: a bundle the
 * shell staged imported with its progress told and a cancel that stops it; FRA's translation
 * loss released and rejected with a signed decision whose log entry comes back; the marking
 * levels the banner ranks; hostile arguments refused before any work.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportTo, federate, nationalLabel } from '../test-support/federated-homes.js';
import { makeTempDir } from '../test-support/temp-dir.js';
import { useTestHomes, type TestHome } from '../test-support/test-homes.js';
import type { Workspace } from '../workspace/workspace.js';
import { newStagedId, stagedBundlePath } from '../workspace/staging.js';
import type { EventPayload } from './contract/index.js';
import { dispatch } from './dispatch.js';
import { createCoreHandlers } from './handlers.js';

const home = useTestHomes('entente-staged-');

const observe = (h: TestHome, classification: string, subject: string) =>
  h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, classification), payloadText: '{"lat":54.1,"lon":12.2}', derivedFrom: [], derivation: null });

/** FRA with DEU's bundle staged: two CONFIDENTIAL tracks FRA has no level for, one SECRET. */
async function staged() {
  const dir = makeTempDir('entente-staging-');
  const { homes: [deu, fra] } = await federate(home, ['DEU', 'FRA']);
  const lost = [await observe(deu!, 'VS-VERTRAULICH', 'track:c1'), await observe(deu!, 'VS-VERTRAULICH', 'track:c2')];
  await observe(deu!, 'GEHEIM', 'track:s1');
  const id = newStagedId();
  await exportTo(deu!, 'FRA', dir.file('out.bundle'));
  copyFileSync(dir.file('out.bundle'), stagedBundlePath(dir.path, id));
  const progress: EventPayload<'bundleImportProgress'>[] = [];
  const workspace = { home: dir.path } as Workspace;
  const handlers = createCoreHandlers(workspace, fra!, (event, payload) => {
    if (event === 'bundleImportProgress') progress.push(payload as EventPayload<'bundleImportProgress'>);
  });
  const call = (method: string, args: unknown) => dispatch(handlers, method, args);
  return { dir, fra: fra!, lost: lost.map((o) => o.id), id, progress, call };
}

describe('the console’s crossing calls', () => {
  it('imports a staged bundle with its progress, then releases and rejects what it quarantined, each decision signed and logged', { timeout: 60_000 }, async () => {
    const { dir, fra, lost, id, progress, call } = await staged();
    try {
      const imported = await call('importStagedBundle', { staged: id, passphrase: null });
      expect(imported).toMatchObject({ ok: true, value: { staged: id, from: 'DEU', alreadyImported: false, counts: { admitted: 1, quarantined: 2 } } });
      expect(progress[0]).toMatchObject({ staged: id, phase: 'verifying' });
      const last = progress.at(-1)!;
      expect(last).toMatchObject({ phase: 'done' });
      expect(last.bytesRead).toBe(last.bytes);
      expect(last.bytes).toBeGreaterThan(0);
      // A finished import leaves nothing staged; the id no longer resolves.
      expect(existsSync(stagedBundlePath(dir.path, id))).toBe(false);
      expect(await call('importStagedBundle', { staged: id, passphrase: null })).toMatchObject({ ok: false, error: { reason: 'not-staged' } });

      await fra.credentials.enrol({ role: 'operator', id: 'lt-dupont', algorithm: 'Ed25519' });
      const released = await call('releaseQuarantined', { id: lost[0], operator: 'lt-dupont', classification: 'SECRET', reason: 'Handled as SECRET by the liaison cell', passphrase: null });
      expect(released).toMatchObject({
        ok: true,
        value: {
          item: { id: lost[0], decision: { outcome: 'released', by: 'lt-dupont' } },
          statement: { payloadType: 'application/vnd.entente.quarantine-decision+json' },
          entry: { type: 'decision', who: { role: 'operator', id: 'lt-dupont' }, why: { reasons: ['quarantine-released'], text: 'Handled as SECRET by the liaison cell' } },
        },
      });
      const rejected = await call('rejectQuarantined', { id: lost[1], operator: 'lt-dupont', reason: 'Not for this mission', passphrase: null });
      expect(rejected).toMatchObject({ ok: true, value: { item: { decision: { outcome: 'rejected' } }, entry: { what: { ids: [lost[1]] }, why: { reasons: ['quarantine-rejected'] } } } });
      expect(await call('listQuarantine', {})).toMatchObject({ ok: true, value: { open: 0, items: [] } });
      // Deciding twice, or as someone not enrolled, is refused with the core's reason.
      expect(await call('rejectQuarantined', { id: lost[0], operator: 'lt-dupont', reason: 'again', passphrase: null })).toMatchObject({ ok: false, error: { reason: 'already-decided' } });
      expect(await call('releaseQuarantined', { id: 'a'.repeat(64), operator: 'nobody', classification: 'SECRET', reason: 'x', passphrase: null })).toMatchObject({ ok: false, error: { reason: 'not-found' } });
      expect(fra.audit.verify().failures).toEqual([]);
    } finally {
      dir.remove();
    }
  });

  it('stops an import the officer cancels, keeps the file staged, and resumes it on the next call', { timeout: 60_000 }, async () => {
    const { dir, id, progress, call } = await staged();
    try {
      const running = call('importStagedBundle', { staged: id, passphrase: null });
      expect(await call('cancelBundleImport', { staged: id })).toEqual({ ok: true, value: { cancelled: true } });
      expect(await running).toMatchObject({ ok: false, error: { reason: 'cancelled' } });
      expect(progress.at(-1)).toMatchObject({ phase: 'cancelled' });
      expect(existsSync(stagedBundlePath(dir.path, id))).toBe(true);
      expect(await call('cancelBundleImport', { staged: id })).toEqual({ ok: true, value: { cancelled: false } });
      expect(await call('importStagedBundle', { staged: id, passphrase: null })).toMatchObject({ ok: true, value: { counts: { admitted: 1, quarantined: 2 } } });
    } finally {
      dir.remove();
    }
  });

  it('refuses hostile arguments before any work, and ranks the markings the banner shows', { timeout: 60_000 }, async () => {
    const { dir, id, call } = await staged();
    try {
      for (const staged of ['../../etc/passwd', 'AB'.repeat(16), 'a'.repeat(31), 'a'.repeat(33), 42]) {
        expect(await call('importStagedBundle', { staged }), String(staged)).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
      }
      const decision = { id: 'a'.repeat(64), operator: 'lt-dupont', reason: 'x', passphrase: null };
      expect(await call('rejectQuarantined', { ...decision, reason: '   ' })).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
      expect(await call('rejectQuarantined', { ...decision, classification: 'SECRET' })).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
      expect(await call('releaseQuarantined', decision)).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
      expect(await call('rejectQuarantined', { ...decision, passphrase: 'x'.repeat(1025) })).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });

      // DEU's attestations cross in its bundle.
      expect(await call('importStagedBundle', { staged: id, passphrase: null })).toMatchObject({ ok: true });
      const levels = await call('getMarkingLevels', {});
      expect(levels).toMatchObject({ ok: true, value: { policy: 'FRA', tiers: ['UNCLASSIFIED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET'] } });
      const found = (levels as { value: { levels: { marking: string; tier: number; own: boolean }[] } }).value.levels;
      // FRA's own SECRET by its attestation; DEU's levels by DEU's attestations FRA holds; NATO's by themselves.
      expect(found).toContainEqual(expect.objectContaining({ marking: 'SECRET', tier: 3, own: true }));
      expect(found).toContainEqual(expect.objectContaining({ marking: 'DEU VS-VERTRAULICH', tier: 2, own: false }));
      expect(found).toContainEqual(expect.objectContaining({ marking: 'COSMIC TOP SECRET', tier: 4 }));
    } finally {
      dir.remove();
    }
  });
});
