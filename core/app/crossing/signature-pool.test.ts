/**
 * The bundle import's signatures checked on worker threads (signature-pool.ts): the worker,
 * built from these sources as scripts/build.mjs builds it, answers good for a record its
 * device signed, bad for one whose signature or signed bytes were changed, and leaves for the
 * judge what it cannot check (batch-attested, unknown certificate, unusual shape); an import
 * with the pool gives the outcomes the judge alone gives (core/app/crossing/crossing.test.ts).
 */
import { build } from 'esbuild';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../canonical/jcs.js';
import { createRootCertificate } from '../../credentials/issue.js';
import { deviceFixture } from '../../observation/test-fixtures.js';
import { observationId, signBatch, signObservation, type GovernedObservation, type UnsignedObservation } from '../../observation/index.js';
import { readPrincipal } from '../../store/mesh-store.js';
import { appendObservations } from '../../store/observation-store.js';
import { AGENT, federate, nationalLabel } from '../../test-support/federated-homes.js';
import { agentHello, exportTo, sectionsOf, storedRecord, writeByHand } from '../../test-support/hostile-bundles.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { useTestHomes, type TestHome } from '../../test-support/test-homes.js';
import { observationRow } from '../observations/observation-service.js';
import { BAD, checkedId, checkedText, GOOD, startSignaturePool, UNCHECKED } from './signature-pool.js';

let dir: TempDir;
let workerUrl: URL;
beforeAll(async () => {
  dir = makeTempDir('entente-signature-worker-');
  const outfile = join(dir.path, 'crossing-signature-worker.mjs');
  // Whole (zod included), so the built file runs from a folder outside the project.
  await build({ entryPoints: ['core/app/crossing/signature-worker.ts'], bundle: true, platform: 'node', target: 'node20', format: 'esm', outfile, logLevel: 'warning' });
  workerUrl = pathToFileURL(outfile);
}, 60_000);
afterAll(() => dir.remove());

const home = useTestHomes('entente-signature-pool-');

describe('the signature pool', () => {
  it('answers good, bad or unchecked for each record, in order, across its threads', async () => {
    const device = deviceFixture('Ed25519');
    // A real certificate for the device's key, named by the SHA-256 of its DER as records name theirs.
    const issued = await createRootCertificate('DEU', { privateKey: device.privateKey, publicKey: device.publicKey });
    const good = signObservation({ ...device.record(1), device: { id: device.deviceId, certificate: issued.sha256 } }, device.privateKey);
    const forged = { ...good, payload: { lat: 0, lon: 0 } };
    const badSig = { ...good, lineage: { ...good.lineage, integrity: { ...good.lineage.integrity, sig: signObservation(device.record(2), device.privateKey).lineage.integrity.sig } } };
    const unknown = signObservation(device.record(3), device.privateKey);
    const [batched] = signBatch([{ ...device.record(4), device: { id: device.deviceId, certificate: issued.sha256 } }], device.privateKey);
    const odd = { ...good, extra: true };

    const pool = startSignaturePool({ url: workerUrl, threads: 2 });
    try {
      pool.addCertificate(issued.pem);
      const records = [good, forged, badSig, unknown, batched, odd, good];
      const checks = await pool.check(records);
      expect([...checks.verdicts]).toEqual([GOOD, BAD, BAD, UNCHECKED, UNCHECKED, UNCHECKED, GOOD]);
      // Each checked record named by its id (the SHA-256 of the text checked), as the judge would name it.
      expect([0, 1, 2, 6].map((i) => checkedId(checks, i))).toEqual([observationId(good), observationId(forged), observationId(badSig), observationId(good)]);
      expect([3, 4, 5].map((i) => checkedId(checks, i))).toEqual([undefined, undefined, undefined]);
      // And its canonical text written (RFC 8785: what the store keeps), the forged one's as it now reads.
      expect([0, 1, 2, 6].map((i) => checkedText(checks, i))).toEqual([canonicalize(good), canonicalize(forged), canonicalize(badSig), canonicalize(good)]);
      expect([3, 4, 5].map((i) => checkedText(checks, i))).toEqual([undefined, undefined, undefined]);

      // The same records as a bundle's observation lines: read by the worker as the reader reads them, the same answers.
      const line = (record: unknown) => Buffer.from(canonicalize({ kind: 'observation', record, certificate: issued.sha256 }), 'utf8');
      const notALine = Buffer.from('{"kind":"observation","record":', 'utf8');
      const fromLines = await pool.checkLines([...records.map(line), notALine, Buffer.from(canonicalize({ kind: 'certificate', pem: issued.pem }), 'utf8')]);
      expect([...fromLines.verdicts]).toEqual([...checks.verdicts, UNCHECKED, UNCHECKED]);
      expect(Buffer.from(fromLines.ids.subarray(0, records.length * 32))).toEqual(Buffer.from(checks.ids));
      expect(fromLines.texts!.slice(0, records.length)).toEqual(checks.texts);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('leaves everything unchecked when its worker cannot start, so the judge checks it all', async () => {
    const pool = startSignaturePool({ url: pathToFileURL(join(dir.path, 'no-such-worker.mjs')), threads: 1 });
    try {
      expect([...(await pool.check([{}, {}])).verdicts]).toEqual([UNCHECKED, UNCHECKED]);
    } finally {
      await pool.close();
    }
  });

  it('lets an import admit, translate and quarantine as the judge alone does (crossing.test.ts)', async () => {
    const { homes: [deu, nld, fra] } = await federate(home, ['DEU', 'NLD', 'FRA']);
    for (let i = 0; i < 5; i++) await observeOn(deu!, 'GEHEIM', `track:${i}`);
    // Translation loss at FRA (no French CONFIDENTIAL): quarantined either way.
    await observeOn(deu!, 'VS-VERTRAULICH', 'track:confidential');
    const rows = (h: TestHome) => h.db.prepare('SELECT observation_id, outcome, alternative_label, attestations FROM crossings c JOIN crossing_terms t ON t.sha256 = c.terms ORDER BY observation_id').all();
    for (const to of [nld!, fra!]) {
      const file = dir.file(`deu-${to.code}.bundle`);
      const sink = createWriteStream(file);
      await deu!.crossing.exportBundle({ to: to.code }, sink);
      sink.end();
      await once(sink, 'finish');
      const imported = await to.crossing.importBundle({ name: file, open: () => createReadStream(file) }, { signatureWorkers: { url: workerUrl, threads: 2, from: 0 } });
      expect(imported.agent).toBe(`DEU:${AGENT}`);
      expect(imported.counts).toEqual(to === nld ? { admitted: 6, duplicate: 0, rejected: 0, quarantined: 0, tainted: 0 } : { admitted: 5, duplicate: 0, rejected: 0, quarantined: 1, tainted: 0 });
      expect(rows(to).length).toBe(to === nld ? 6 : 5);
      expect((await to.observations.verifyAll()).failures).toEqual([]);
      expect(to.audit.verify().failures).toEqual([]);
    }
  }, 120_000);
  it('admits a batch-attested bundle with the workers on, and refuses a record out of its batch by name, as the judge alone does', async () => {
    const { id, homes: [deu, nld] } = await federate(home, ['DEU', 'NLD']);
    // Four records of DEU's device signed as one batch (core/observation/batch.ts), stored in DEU.
    const template = storedRecord(deu!, (await observeOn(deu!, 'GEHEIM', 'track:template')).id).record as unknown as GovernedObservation;
    const { integrity: _dropped, ...lineage } = template.lineage;
    const certificate = readPrincipal(deu!.db, 'device', 'sensor-1')!.certificateSha256;
    const key = await deu!.context.writing().keyring.key(certificate);
    const batch = signBatch(
      [1, 2, 3, 4].map((n) => ({ ...template, subject: `track:batch-${n}`, lineage }) as UnsignedObservation),
      key,
    );
    deu!.db.transaction(() => appendObservations(deu!.db, batch.map((r) => observationRow(r, observationId(r), new Date()))))();
    const real = dir.file('batch.bundle');
    await exportTo(deu!, 'NLD', real);
    // By hand: the same sections, and the third record moved to another subject after its batch was signed.
    const { envelope, signer } = await agentHello(deu!, 'NLD', id);
    const moved = { ...batch[2]!, subject: 'track:elsewhere' };
    const observations = [template, ...batch.slice(0, 2), moved, batch[3]!].map((record) => ({ record: record as never, certificate }));
    const file = dir.file('moved.bundle');
    await writeByHand(file, { hello: envelope, signer, sections: sectionsOf(real), observations });

    const imported = await nld!.crossing.importBundle({ name: file, open: () => createReadStream(file) }, { signatureWorkers: { url: workerUrl, threads: 2, from: 0 } });
    expect(imported.counts).toEqual({ admitted: 4, duplicate: 0, rejected: 1, quarantined: 0, tainted: 0 });
    expect(imported.refusals).toEqual([
      { line: expect.any(Number), id: observationId(moved), reason: 'bad-inclusion-proof', message: `Record ${observationId(moved).slice(0, 16)}… is not leaf 2 of the batch its proof names: it, or the proof, was changed after the batch was signed.` },
    ]);
    // Stored as the judge alone would store them: each record's canonical text, each copy true to it.
    for (const r of [template, batch[0]!, batch[1]!, batch[3]!]) {
      expect(nld!.db.prepare('SELECT record FROM observations WHERE id = ?').pluck().get(observationId(r))).toBe(canonicalize(r));
    }
    expect((await nld!.observations.verifyAll()).failures).toEqual([]);
    expect(nld!.audit.verify().failures).toEqual([]);
  }, 120_000);
});

function observeOn(h: TestHome, classification: string, subject: string) {
  return h.observations.observe({ device: 'sensor-1', class: 'track', subject, labelText: nationalLabel(h.code, classification), payloadText: '{"lat":54.1,"lon":12.2}', derivedFrom: [], derivation: null });
}
