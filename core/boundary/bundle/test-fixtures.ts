/**
 * Bundles for the tests: a real Ed25519 agent key, a hello-shaped signed envelope (the hello's
 * own checks are core/boundary/hello.ts's), a real device certificate and CRL from
 * core/credentials, and observations really signed by a device key. Tests only.
 */
import { TAINT_NOTICE_TYPE, type TaintNotice } from '../taint-notice.js';
import { generateKeyPairSync, hash, type KeyObject } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { createRootCertificate, issueCrl } from '../../credentials/index.js';
import { generateKeyPair } from '../../credentials/keys.js';
import { envelopeSignedBy, signEnvelope, type DsseEnvelope, type EnvelopeSigner } from '../../crypto/dsse.js';
import { deviceFixture } from '../../observation/test-fixtures.js';
import { signObservation } from '../../observation/index.js';
import type { JsonValue } from '../../common/json.js';
import type { SectionLine } from './format.js';
import type { ManifestCheck } from './reader.js';
import { bundleChunks, writeBundle, type BundleObservation, type WriteBundleOptions, type WrittenBundle } from './writer.js';

export interface Agent {
  readonly signer: EnvelopeSigner;
  readonly publicKey: KeyObject;
  readonly hello: DsseEnvelope;
  /** The check a receiver would make once the hello is accepted: the manifest is signed by this agent's key. */
  readonly verifyManifest: ManifestCheck;
}

export function makeAgent(): Agent {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const keyid = hash('sha256', publicKey.export({ type: 'spki', format: 'der' }), 'hex');
  const signer = { keyid, key: privateKey };
  const helloBody = { type: 'entente.boundary-hello/v1', agent: { mesh: 'DEU', id: 'a1' }, from: 'DEU', to: 'NLD', at: '2026-11-23T08:00:00Z', nonce: 'ab'.repeat(32) };
  const hello = signEnvelope('application/vnd.entente.boundary-hello+json', Buffer.from(JSON.stringify(helloBody)), [signer]);
  return { signer, publicKey, hello, verifyManifest: (_hello, manifest) => envelopeSignedBy(manifest, keyid, publicKey) };
}

export interface Material {
  readonly certificatePem: string;
  readonly certificateSha256: string;
  readonly crlPem: string;
  readonly sections: readonly SectionLine[];
  /** A really signed record, the same for the same n. */
  observation(n: number): BundleObservation;
}

export async function makeMaterial(agent: Agent): Promise<Material> {
  const keys = generateKeyPair('Ed25519');
  const root = await createRootCertificate('DEU', keys);
  const crlPem = await issueCrl({ issuerCertificatePem: root.pem, issuerKeys: keys, revocations: [{ serial: '0a1b', revokedAt: new Date('2026-11-01T00:00:00Z') }] });
  const device = deviceFixture('Ed25519');
  const attestation = signEnvelope('application/vnd.entente.equivalence+json', Buffer.from('{"type":"entente.equivalence/v1"}'), [agent.signer]);
  const notice: TaintNotice = {
    type: TAINT_NOTICE_TYPE,
    from: 'DEU',
    to: 'NLD',
    federation: 'baltic-shield',
    at: '2026-11-20T08:00:00.000Z',
    taints: [{ id: 'a'.repeat(64), cause: 'compromised-credential', since: '2026-11-19T08:00:00.000Z', entry: 'b'.repeat(64) }],
  };
  return {
    certificatePem: root.pem,
    certificateSha256: root.sha256,
    crlPem,
    sections: [
      { kind: 'certificate', pem: root.pem },
      { kind: 'crl', pem: crlPem },
      { kind: 'attestation', envelope: attestation },
      { kind: 'taint', notice },
    ],
    observation: (n) => ({ record: signObservation(device.record(n), device.privateKey) as unknown as Record<string, JsonValue>, certificate: root.sha256 }),
  };
}

export function writeOptions(agent: Agent, material: Material, count: number, overrides: Partial<WriteBundleOptions> = {}): WriteBundleOptions {
  return {
    hello: agent.hello,
    sections: material.sections,
    observations: (function* () {
      for (let n = 0; n < count; n++) yield material.observation(n);
    })(),
    signer: agent.signer,
    exportedAt: new Date('2026-11-23T09:00:00Z'),
    cursor: `seq:${count}`,
    ...overrides,
  };
}

/** The whole bundle in memory. */
export async function bundleBytes(options: WriteBundleOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bundleChunks(options)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function bundleFile(path: string, options: WriteBundleOptions): Promise<WrittenBundle> {
  const sink = createWriteStream(path);
  const written = await writeBundle(sink, options);
  sink.end();
  await finished(sink);
  return written;
}

/** Bytes as chunks of `size`. */
export function* inChunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** The byte offsets where each line starts (1-based line n starts at result[n - 1]). */
export function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let at = bytes.indexOf(0x0a); at !== -1 && at + 1 < bytes.length; at = bytes.indexOf(0x0a, at + 1)) starts.push(at + 1);
  return starts;
}
