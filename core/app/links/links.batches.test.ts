/**
 * Bodies streamed in batches (decision 0006 "Bounds", "Admission"): a difference of more than
 * MAX_ITEMS_PER_FRAME items each way crosses in several `items` frames, each admitted in its own
 * transaction (its own block of the session's admission row); and a link cut between two frames
 * of one sync loses only what was in flight: the next sync sends exactly what was not admitted,
 * nothing twice, and converges.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ITEMS_PER_FRAME } from '../../boundary/link/index.js';
import { cuttingRelay } from '../../test-support/cutting-relay.js';
import { federate, nationalLabel, publishMany } from '../../test-support/federated-homes.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import type { LinkServer, SyncReport } from './service.js';

const home = useTestHomes('entente-links-batches-');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serving(h: TestHome) {
  const reports: SyncReport[] = [];
  const server: LinkServer = await h.links.serve({ port: 0, onSync: (r) => reports.push(r) });
  closers.push(() => server.close());
  return { server, reports };
}

const ids = (h: TestHome) => h.db.prepare('SELECT id FROM observations ORDER BY id').pluck().all() as string[];
const crossed = (h: TestHome) => h.db.prepare('SELECT COUNT(*) FROM crossings').pluck().get() as number;
const DEU_SECRET = nationalLabel('DEU', 'GEHEIM');
const NLD_SECRET = nationalLabel('NLD', 'Stg. GEHEIM');

describe('bodies in batches', () => {
  it(`a difference of more than ${MAX_ITEMS_PER_FRAME} items each way crosses in several frames, each its own admitted block`, { timeout: 120_000 }, async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const each = MAX_ITEMS_PER_FRAME + 100;
    await publishMany(deu!, each, 'd', DEU_SECRET);
    await publishMany(nld!, each, 'n', NLD_SECRET);
    const { server, reports } = await serving(nld!);

    const report = await deu!.links.sync({ peer: `127.0.0.1:${server.port}` });
    expect(report).toMatchObject({ converged: true, sent: each, received: each, counts: { admitted: each, duplicate: 0 }, peerCounts: { admitted: each, duplicate: 0 }, count: 2 * each, peerCount: 2 * each });
    expect(report.digest).toBe(report.peerDigest);
    await expect.poll(() => reports.length).toBe(1);
    expect(reports[0]).toMatchObject({ converged: true, received: each, sent: each });
    expect(ids(deu!)).toEqual(ids(nld!));
    // Several frames each way (in settling each side moves its share of the difference), none over the bound,
    // each admitted as one block of the session's admission row with one log entry.
    for (const h of [deu!, nld!]) {
      const [admission] = h.crossing.imports();
      expect(admission).toMatchObject({ digest: report.session, state: 'done', admitted: each });
      expect(admission!.nextBlock).toBeGreaterThanOrEqual(2);
      const frames = (h.db.prepare("SELECT entry FROM audit_entries WHERE entry LIKE '%link session%frame%'").pluck().all() as string[]).map((e) => (JSON.parse(e) as { what: { ids: string[] } }).what.ids.length);
      expect(frames).toHaveLength(admission!.nextBlock);
      expect(frames.reduce((a, b) => a + b, 0)).toBe(each);
      expect(Math.max(...frames)).toBeLessThanOrEqual(MAX_ITEMS_PER_FRAME);
    }
  });

  it('a link cut between two frames of one sync resumes with exactly what was not admitted, nothing twice', { timeout: 120_000 }, async () => {
    const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    const total = 2 * MAX_ITEMS_PER_FRAME + 100;
    await publishMany(deu!, total, 'd', DEU_SECRET);
    const { server } = await serving(nld!);
    const relay = await cuttingRelay(server.port);
    closers.push(() => relay.close());

    // Cut as soon as NLD has admitted some frames and not all: between two of them.
    let admittedAtCut = 0;
    const watching = setInterval(() => {
      const n = crossed(nld!);
      if (n > 0 && n < total) {
        admittedAtCut = n;
        relay.cut();
        clearInterval(watching);
      }
    }, 2);
    const cut = await deu!.links.sync({ peer: `127.0.0.1:${relay.port}` }).then(
      () => 'completed',
      (error: { reason?: string }) => error.reason,
    );
    clearInterval(watching);
    expect(cut).toMatch(/^link-/);
    // Whole frames only: an admission is one transaction per frame.
    const held = crossed(nld!);
    expect(held % MAX_ITEMS_PER_FRAME).toBe(0);
    expect(held).toBeGreaterThanOrEqual(admittedAtCut);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(total);

    // The link's state shows what the cut left to carry, as the reconciliation found it before the bodies moved.
    expect((await deu!.links.status())[0]!.backlog.out).toBeGreaterThan(0);
    expect((await deu!.links.status())[0]!.lastOutcome).toMatch(/^link-/);

    // The next sync sends only the rest: none of what was admitted, no duplicate there.
    const resumed = await deu!.links.sync({ peer: `127.0.0.1:${server.port}` });
    expect(resumed).toMatchObject({ converged: true, sent: total - held, peerCounts: { admitted: total - held, duplicate: 0 }, count: total, peerCount: total });
    expect(crossed(nld!)).toBe(total);
    expect(nld!.db.prepare('SELECT COUNT(DISTINCT observation_id) FROM crossings').pluck().get()).toBe(total);
    expect(ids(deu!)).toEqual(ids(nld!));
    expect(await deu!.links.status()).toMatchObject([{ backlog: { out: 0, in: 0 }, lastOutcome: 'converged' }]);
    // The cut session's admission stays where it stopped; the resumed one is complete.
    const imports = nld!.crossing.imports();
    expect(imports.find((i) => i.digest === resumed.session)).toMatchObject({ state: 'done', admitted: total - held });
    expect(imports.filter((i) => i.digest !== resumed.session).map((i) => i.admitted)).toEqual([held]);
    expect(nld!.audit.verify().failures).toEqual([]);
    expect((await nld!.observations.verifyAll()).failures).toEqual([]);
  });
});
