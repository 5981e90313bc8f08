/**
 * Issue 13's bundle figures: pass 1 (structure, every line's leaf hash, the manifest's root and
 * signature) and pass 2 (blocks re-hashed and parsed) over a bundle of N really signed
 * observations held in memory, in MB/s of bundle bytes. The records are batch-attested (one
 * signature per 1,000), as an agent exporting a backlog would carry them; their signatures are
 * admission's work, not the format's, so neither figure includes verifying them.
 */
import { generateKeyPairSync, hash } from 'node:crypto';
import { readBundleBlocks, verifyBundleStream } from '../core/boundary/bundle/reader.js';
import { bundleChunks } from '../core/boundary/bundle/writer.js';
import type { JsonValue } from '../core/common/json.js';
import { envelopeSignedBy, signEnvelope } from '../core/crypto/dsse.js';
import { signBatch, type UnsignedObservation } from '../core/observation/index.js';
import { round, type Measurement } from './timing.js';

const MIB = 1024 * 1024;

export async function bundleFigures(observations: number, runs: number): Promise<Measurement[]> {
  const agent = generateKeyPairSync('ed25519');
  const device = generateKeyPairSync('ed25519');
  const keyid = hash('sha256', agent.publicKey.export({ type: 'spki', format: 'der' }), 'hex');
  const certificate = hash('sha256', device.publicKey.export({ type: 'spki', format: 'der' }), 'hex');
  const hello = signEnvelope('application/vnd.entente.boundary-hello+json', Buffer.from('{"type":"entente.boundary-hello/v1"}'), [{ keyid, key: agent.privateKey }]);
  const signed = [];
  for (let from = 0; from < observations; from += 1000) {
    const batch = Array.from({ length: Math.min(1000, observations - from) }, (_, i) => recordFor(from + i, certificate));
    signed.push(...signBatch(batch, device.privateKey));
  }
  const chunks: Buffer[] = [];
  const source = bundleChunks({
    hello,
    observations: signed.map((record) => ({ record: record as unknown as Record<string, JsonValue>, certificate })),
    signer: { keyid, key: agent.privateKey },
    exportedAt: new Date(),
    cursor: `seq:${observations}`,
  });
  for await (const chunk of source) chunks.push(chunk);
  // Re-cut into 1 MiB chunks, the size a file stream would be read in.
  const whole = Buffer.concat(chunks);
  const fileChunks = Array.from({ length: Math.ceil(whole.length / MIB) }, (_, i) => whole.subarray(i * MIB, (i + 1) * MIB));
  const verifyManifest = (_hello: unknown, manifest: Parameters<typeof envelopeSignedBy>[0]) => envelopeSignedBy(manifest, keyid, agent.publicKey);

  let verifyBest = 0;
  let readBest = 0;
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    const result = await verifyBundleStream(fileChunks, { verifyManifest });
    const verifySeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (!result.ok) throw new Error(`the bench bundle was refused: ${result.reason}: ${result.message}`);
    const digests = result.blockDigests;
    verifyBest = Math.max(verifyBest, whole.length / MIB / verifySeconds);

    const readStarted = process.hrtime.bigint();
    let lines = 0;
    for await (const block of readBundleBlocks(fileChunks, digests)) lines += block.lines.length;
    if (lines !== observations) throw new Error(`pass 2 read ${lines} lines, not ${observations}`);
    readBest = Math.max(readBest, whole.length / MIB / (Number(process.hrtime.bigint() - readStarted) / 1e9));
  }
  return [
    { name: `bundle.verify.pass-1.${observations}-observations`, value: round(verifyBest), unit: 'MB/s' },
    { name: `bundle.read.pass-2.${observations}-observations`, value: round(readBest), unit: 'MB/s' },
    { name: `bundle.size.${observations}-observations`, value: round(whole.length / MIB), unit: 'MB' },
  ];
}

function recordFor(n: number, certificate: string): UnsignedObservation {
  const wall = Date.parse('2026-11-23T08:00:00Z') + n;
  return {
    v: 1,
    mesh: 'DEU',
    subject: `track:${n % 500}`,
    class: 'track',
    payload: { lat: 52.1 + n / 1e6, lon: 5.2, alt: 1200, speed: 41.5, heading: 270, sidc: 'SHAPMFQ--------' },
    label: { kind: 'originator', policy: { id: 'NATO' }, classification: 'SECRET', categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU', 'NLD'] }], createdAt: '2026-11-23T08:00:00Z' },
    time: { reference: 'local', wall: new Date(wall).toISOString(), hlc: { l: wall, c: 0 } },
    authority: { anchor: hash('sha256', 'anchor of DEU', 'hex'), issuer: hash('sha256', 'issuer of DEU', 'hex') },
    device: { id: 'uav-7', certificate },
    lineage: { device: 'uav-7', sources: [], derivation: null },
  };
}
