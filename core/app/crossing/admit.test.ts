/**
 * The admission seam as a live link uses it (decision 0006 "Admission"): a session digest stands
 * for the bundle, items are admitted a frame at a time through the bundle's judge and store, and
 * each item's outcome comes back with its id, so the peer can be told what was refused.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBundleBlocks, verifyBundleStream, type ParsedLine, type VerifiedBundle } from '../../boundary/bundle/reader.js';
import type { HelloAccepted } from '../../boundary/hello.js';
import { parseCertificate } from '../../credentials/index.js';
import { exportTo, federate, nationalLabel } from '../../test-support/federated-homes.js';
import { makeTempDir } from '../../test-support/temp-dir.js';
import { useTestHomes } from '../../test-support/test-homes.js';
import { admitItems, finishAdmission, openAdmission, type AdmissionItem } from './admit.js';
import { manifestByHelloKey } from './verify.js';
import { crossingParts } from './wiring.js';

const home = useTestHomes('entente-admit-');

describe('the admission seam', () => {
  it('admits a link session frame by frame, naming each item outcome, with the session as the bundle', async () => {
    const dir = makeTempDir('entente-admit-bundles-');
    try {
      const { homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await deu!.observations.observe({ device: 'sensor-1', class: 'track', subject: `track:${i}`, labelText: nationalLabel('DEU', 'GEHEIM'), payloadText: '{"lat":54.1,"lon":12.2}', derivedFrom: [], derivation: null })).id);
      }
      // What a link would carry: the hello, the device certificates and the records, here taken from a bundle.
      const file = dir.file('carried.bundle');
      await exportTo(deu!, 'NLD', file);
      const bundle = (await verifyBundleStream(createReadStream(file), { verifyManifest: manifestByHelloKey })) as VerifiedBundle;
      const certificates = new Map<string, string>();
      const items: AdmissionItem[] = [];
      const attestations: unknown[] = [];
      for await (const block of readBundleBlocks(createReadStream(file), bundle.blockDigests, { helloDigest: bundle.helloDigest, digest: bundle.digest })) {
        for (const { item } of block.lines as readonly ParsedLine[]) {
          if (item.kind === 'certificate') certificates.set(parseCertificate(item.pem).sha256, item.pem);
          else if (item.kind === 'attestation') attestations.push(item.envelope);
          else if (item.kind === 'observation') items.push({ line: items.length, record: item.record, certificate: item.certificate });
        }
      }
      expect(items).toHaveLength(3);

      const op = nld!.context.writing();
      const now = op.clock.advance(op.write);
      const session = createHash('sha256').update('a link session').digest('hex');
      const hello = crossingParts.checkIncomingHello(op, bundle.hello, now, session);
      expect(hello.ok).toBe(true);
      const admission = openAdmission(op, crossingParts, hello as HelloAccepted, { digest: session, source: 'link', lines: null }, now);
      const log = await op.log();
      // The partner's term attestations, as the bundle carries them first: without them each item would wait in quarantine.
      await crossingParts.admitPartnerAttestations(op, attestations, now);

      const first = admitItems(op, crossingParts, log, admission, 0, items.slice(0, 2), certificates);
      expect(first.counts).toEqual({ admitted: 2, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 });
      expect(first.outcomes).toEqual([
        { line: 0, id: ids[0], outcome: 'admitted' },
        { line: 1, id: ids[1], outcome: 'admitted' },
      ]);
      // The next frame: one already admitted, one new, one whose record was altered on the way.
      const altered = { ...(items[2]!.record as Record<string, unknown>), subject: 'track:forged' };
      const second = admitItems(op, crossingParts, log, admission, 1, [{ ...items[0]!, line: 2 }, { ...items[2]!, line: 3 }, { ...items[2]!, line: 4, record: altered }], certificates);
      expect(second.counts).toEqual({ admitted: 1, duplicate: 1, rejected: 1, quarantined: 0, tainted: 0 });
      expect(second.outcomes.map((o) => [o.line, o.outcome, o.reason])).toEqual([
        [2, 'duplicate', undefined],
        [3, 'admitted', undefined],
        [4, 'rejected', 'bad-signature'],
      ]);
      expect(second.outcomes[2]!.id).toMatch(/^[0-9a-f]{64}$/);

      const rows = nld!.db.prepare('SELECT observation_id AS id, bundle, line FROM crossings ORDER BY line').all();
      expect(rows).toEqual([
        { id: ids[0], bundle: session, line: 0 },
        { id: ids[1], bundle: session, line: 1 },
        { id: ids[2], bundle: session, line: 3 },
      ]);
      expect(nld!.db.prepare('SELECT next_block, admitted, duplicate, rejected FROM bundle_imports WHERE digest = ?').get(session)).toEqual({ next_block: 2, admitted: 3, duplicate: 1, rejected: 1 });
      expect(nld!.integrity.list({ kind: 'tampered-item', limit: 10 }).total).toBe(1);

      const receipt = await finishAdmission(op, log, admission);
      const body = JSON.parse(Buffer.from(receipt.payload, 'base64').toString('utf8')) as { bundle: string; counts: { admitted: number }; refused: { reason: string }[] };
      expect(body).toMatchObject({ bundle: session, counts: { admitted: 3 }, refused: [{ reason: 'bad-signature' }] });
      expect(nld!.audit.verify().failures).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});
