/**
 * The picture a bundle import keeps behind its blocks (core/app/reconcile/deferred-picture.ts,
 * docs/decisions/0007): an import cancelled part-way still leaves the picture of what it
 * committed, and the import recomputes once SETTLE_EVERY admitted ids have gathered. (A killed
 * import's leftovers: core/cli/bundle-import.crash.test.ts.)
 */
import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeferredPicture, SETTLE_EVERY } from '../reconcile/deferred-picture.js';
import { exportTo, federate } from '../../test-support/federated-homes.js';
import { observe } from '../../test-support/hostile-bundles.js';
import { makeTempDir } from '../../test-support/temp-dir.js';
import { refusal, useTestHomes } from '../../test-support/test-homes.js';
import { BLOCK_LINES } from '../../boundary/bundle/format.js';

const home = useTestHomes('entente-deferred-picture-');
const pending = (db: { prepare(sql: string): { pluck(): { get(): unknown } } }) => db.prepare('SELECT COUNT(*) FROM picture_pending').pluck().get() as number;

describe('the picture behind a bundle import', () => {
  it('an import cancelled after its first block leaves the picture of what it committed, nothing pending', async () => {
    const dir = makeTempDir('entente-deferred-bundles-');
    try {
      const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
      // Three blocks, the tracks reported in each: the reader is a block ahead of admission, so a cancel after the first stops before the third.
      for (let i = 0; i < 2 * BLOCK_LINES + 50; i++) await observe(deu!, 'GEHEIM', `track:${i % 7}`);
      const file = dir.file('deu-nld.bundle');
      await exportTo(deu!, 'NLD', file);

      const controller = new AbortController();
      const reason = await refusal(() =>
        nld!.crossing.importBundle(
          { name: 'deu-nld.bundle', open: () => createReadStream(file) },
          { signal: controller.signal, onProgress: (p) => p.phase === 'admitting' && controller.abort() },
        ),
      );
      expect(reason).toBe('cancelled');
      const admitted = nld!.db.prepare("SELECT COUNT(*) FROM observations WHERE mesh = 'DEU'").pluck().get() as number;
      expect(admitted).toBeGreaterThan(0);
      expect(admitted).toBeLessThan(2 * BLOCK_LINES + 50);
      expect(pending(nld!.db)).toBe(0);
      const kept = nld!.reconcile.picture({ limit: 10 });
      expect(kept).toMatchObject({ subjects: 7, pending: 0 });
      // What the import left equals the picture computed from the store at once.
      expect(nld!.reconcile.rebuild().digest).toBe(kept.digest);
    } finally {
      dir.remove();
    }
  }, 120_000);

  it('is due once SETTLE_EVERY admitted ids have gathered, each subject named pending once', async () => {
    const nld = await home('NLD');
    const picture = new DeferredPicture();
    const op = { write: nld.db } as unknown as Parameters<DeferredPicture['add']>[0];
    const admitted = Array.from({ length: SETTLE_EVERY }, (_, i) => ({ id: i.toString(16).padStart(64, '0'), subject: `track:${i % 3}` }));
    nld.db.transaction(() => picture.add(op, admitted.slice(0, -1)))();
    expect(picture.due).toBe(false);
    expect(pending(nld.db)).toBe(3);
    nld.db.transaction(() => picture.add(op, admitted.slice(-1)))();
    expect(picture.due).toBe(true);
  });
});
