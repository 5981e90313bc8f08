/** The crossing bundle end to end on real files: write, verify (pass 1), read verified blocks (pass 2), resume, cancel. */
import { execFileSync } from 'node:child_process';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../canonical/jcs.js';
import { leafHash, rootOf } from '../../crypto/merkle.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { BLOCK_LINES, BundleError, ManifestBody } from './format.js';
import { readBundleBlocks, verifyBundleStream, type BundleBlock, type VerifiedBundle } from './reader.js';
import { bundleBytes, bundleFile, inChunks, makeAgent, makeMaterial, writeOptions, type Agent, type Material } from './test-fixtures.js';
import { payloadOf } from '../../crypto/dsse.js';

let dir: TempDir;
let agent: Agent;
let material: Material;

beforeAll(async () => {
  dir = makeTempDir('entente-bundle-');
  agent = makeAgent();
  material = await makeMaterial(agent);
});
afterAll(() => dir.remove());

async function verified(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<VerifiedBundle> {
  const result = await verifyBundleStream(chunks, { verifyManifest: agent.verifyManifest });
  if (!result.ok) throw new Error(`refused ${result.reason}: ${result.message}`);
  return result;
}

async function allBlocks(source: AsyncIterable<Buffer> | Iterable<Buffer>, digests: readonly string[], startAtBlock = 0): Promise<BundleBlock[]> {
  const blocks: BundleBlock[] = [];
  for await (const block of readBundleBlocks(source, digests, { startAtBlock })) blocks.push(block);
  return blocks;
}

/** Offset of line 1030's start, inside block 1. */
function starts1030(bytes: Buffer): number {
  let at = 0;
  for (let line = 1; line < 1030; line++) at = bytes.indexOf(0x0a, at) + 1;
  return at;
}

async function reasonOf(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    if (error instanceof BundleError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('crossing bundle round trip', () => {
  it.each([0, 1, 1023, 1024, 1025, 5000])('writes, verifies and reads back %i observations from a file', async (count) => {
    const path = dir.file(`round-${count}.bundle`);
    const progress: number[] = [];
    const written = await bundleFile(path, writeOptions(agent, material, count, { onProgress: (lines) => progress.push(lines) }));
    const items = count + material.sections.length;
    expect(written.lines).toBe(items + 2);
    expect(written.counts).toEqual({ certificate: 1, crl: 1, attestation: 1, taint: 1, observation: count });

    const passOne: number[] = [];
    const result = await verifyBundleStream(createReadStream(path), { verifyManifest: agent.verifyManifest, onProgress: (p) => passOne.push(p.lines) });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.digest).toBe(written.digest);
    expect(result.manifest).toEqual(written.manifest);
    expect(result.manifest).toMatchObject({ lines: items, observations: count, cursor: `seq:${count}`, exportedAt: '2026-11-23T09:00:00.000Z' });
    expect(result.counts).toEqual(written.counts);
    expect(result.blockDigests).toHaveLength(Math.ceil(items / BLOCK_LINES));
    // Progress once per full block and once at the end, on both sides.
    expect(progress).toHaveLength(Math.floor(items / BLOCK_LINES) + 1);
    expect(passOne).toHaveLength(Math.floor(items / BLOCK_LINES) + 1);
    expect(passOne.at(-1)).toBe(items + 2);

    // The root is the whole-list RFC 6962 root over the item lines' exact bytes (LF excluded).
    const bytes = readFileSync(path);
    const lines = bytes.toString('utf8').split('\n').slice(0, -1);
    expect(lines).toHaveLength(items + 2);
    expect(result.manifest.root).toBe(rootOf(lines.slice(1, -1).map((l) => leafHash(Buffer.from(l)))).toString('hex'));
    // Each line is its object's canonical JSON.
    for (const line of [lines[0]!, lines[1]!, lines.at(-2)!, lines.at(-1)!]) expect(canonicalBytes(JSON.parse(line)).toString()).toBe(line);

    const blocks = await allBlocks(createReadStream(path), result.blockDigests);
    expect(blocks.map((b) => b.block)).toEqual(result.blockDigests.map((_, i) => i));
    expect(blocks.map((b) => b.firstLine)).toEqual(blocks.map((_, i) => 2 + i * BLOCK_LINES));
    const read = blocks.flatMap((b) => b.lines);
    expect(read.map((l) => l.line)).toEqual(Array.from({ length: items }, (_, i) => i + 2));
    expect(read.slice(0, 4).map((l) => l.item.kind)).toEqual(['certificate', 'crl', 'attestation', 'taint']);
    const observations = read.slice(4);
    expect(observations).toHaveLength(count);
    for (const n of [0, Math.floor(count / 2), count - 1].filter((n) => n >= 0 && n < count)) {
      expect(observations[n]!.item).toEqual({ kind: 'observation', ...material.observation(n) });
    }
  });

  it('hashes lines of any length as RFC 6962 leaves in both passes, short ones after long ones included', async () => {
    // Pass 2 copies each line behind the leaf prefix (reader.ts FramedLine): lines short and long, past a pooled allocation's size and back.
    const sizes = [10, 5_000, 20, 70_000, 300, 4_095, 4_096, 1];
    const observations = sizes.map((size, n) => {
      const { record, certificate } = material.observation(n);
      return { record: { ...record, payload: { pad: 'x'.repeat(size) } }, certificate };
    });
    const bytes = await bundleBytes(writeOptions(agent, material, 0, { observations }));
    const result = await verified(inChunks(bytes, 4096));
    const lines = bytes.toString('utf8').split('\n').slice(1, -2);
    expect(result.manifest.root).toBe(rootOf(lines.map((l) => leafHash(Buffer.from(l)))).toString('hex'));
    // Pass 2 recomputes the block's digest from its own leaves: equal, so every line reads back.
    const read = (await allBlocks(inChunks(bytes, 4096), result.blockDigests)).flatMap((b) => b.lines);
    expect(read.slice(-sizes.length).map((l) => (l.item as unknown as { record: { payload: { pad: string } } }).record.payload.pad.length)).toEqual(sizes);
  });

  it('writes certificate and CRL lines openssl reads as X.509', () => {
    const path = dir.file('round-1.bundle');
    const lines = readFileSync(path, 'utf8').split('\n');
    const certificate = JSON.parse(lines[1]!) as { pem: string };
    const crl = JSON.parse(lines[2]!) as { pem: string };
    writeFileSync(dir.file('c.pem'), certificate.pem);
    writeFileSync(dir.file('crl.pem'), crl.pem);
    const fingerprint = execFileSync('/usr/bin/openssl', ['x509', '-in', dir.file('c.pem'), '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
    expect(fingerprint.split('=')[1]!.trim().replaceAll(':', '').toLowerCase()).toBe(material.certificateSha256);
    expect(execFileSync('/usr/bin/openssl', ['crl', '-in', dir.file('crl.pem'), '-noout', '-text'], { encoding: 'utf8' })).toContain('Serial Number: 0A1B');
    // The observation names the certificate line by the SHA-256 openssl computes.
    expect((JSON.parse(lines[5]!) as { certificate: string }).certificate).toBe(material.certificateSha256);
  });

  it('signs the manifest as a DSSE envelope over the canonical body, with the agent keyid', async () => {
    const result = await verified(createReadStream(dir.file('round-1025.bundle')));
    expect(result.manifestEnvelope.payloadType).toBe('application/vnd.entente.crossing-manifest+json');
    expect(result.manifestEnvelope.signatures.map((s) => s.keyid)).toEqual([agent.signer.keyid]);
    const body = ManifestBody.parse(JSON.parse(payloadOf(result.manifestEnvelope).toString()));
    expect(canonicalBytes(body).equals(payloadOf(result.manifestEnvelope))).toBe(true);
    expect(result.hello).toEqual(agent.hello);
  });
});

describe('chunk boundaries', () => {
  it('gives the same verdict and blocks whether the bytes come 1 byte, 3 bytes or 1 MiB at a time, across multi-byte UTF-8 and block ends', { timeout: 60_000 }, async () => {
    const subject = { record: { ...material.observation(0).record, subject: 'Zürich ✓ 𝄞 北' }, certificate: material.certificateSha256 };
    const bytes = await bundleBytes(
      writeOptions(agent, material, 1100, {
        observations: [subject, ...Array.from({ length: 1099 }, (_, n) => material.observation(n + 1))],
      }),
    );
    const whole = await verified([bytes]);
    for (const size of [1, 3, 1024 * 1024]) {
      const result = await verified(inChunks(bytes, size));
      expect(result).toEqual(whole);
      const blocks = await allBlocks(inChunks(bytes, size), result.blockDigests);
      expect(blocks[0]!.lines[4]!.item).toMatchObject({ kind: 'observation', record: { subject: 'Zürich ✓ 𝄞 北' } });
      expect(blocks.map((b) => b.lines.length)).toEqual([1024, 80]);
    }
  });

  it('accepts strings and Uint8Arrays from the source as well as Buffers', async () => {
    const bytes = await bundleBytes(writeOptions(agent, material, 3));
    const whole = await verified([bytes]);
    // These fixtures are ASCII, so each chunk of bytes is also a string of the same characters.
    const strings = [...inChunks(bytes, 1000)].map((b) => b.toString('latin1'));
    expect(await verifyBundleStream(strings, { verifyManifest: agent.verifyManifest })).toEqual(whole);
    const uint8 = [...inChunks(bytes, 77)].map((b) => new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)));
    expect(await verifyBundleStream(uint8, { verifyManifest: agent.verifyManifest })).toEqual(whole);
  });
});

describe('pass 2: verified blocks', () => {
  let path: string;
  let result: VerifiedBundle;
  beforeAll(async () => {
    path = dir.file('changing.bundle');
    await bundleFile(path, writeOptions(agent, material, 3000));
    result = await verified(createReadStream(path));
  });

  it('resumes at a block: earlier blocks are skipped, the rest are the same', async () => {
    const all = await allBlocks(createReadStream(path), result.blockDigests);
    const resumed = await allBlocks(createReadStream(path), result.blockDigests, 2);
    expect(resumed.map((b) => b.block)).toEqual([2]);
    expect(resumed).toEqual(all.slice(2));
    expect(await allBlocks(createReadStream(path), result.blockDigests, 3)).toEqual([]);
  });

  it('refuses a file changed between the passes (bundle-changed), before anything of the changed block is yielded', async () => {
    const bytes = readFileSync(path);
    const changedAt = bytes.indexOf('track:1500');
    const edited = Buffer.from(bytes);
    edited[changedAt + 6] = '9'.charCodeAt(0);
    writeFileSync(dir.file('changed.bundle'), edited);
    const seen: number[] = [];
    const reason = await reasonOf(async () => {
      for await (const block of readBundleBlocks(createReadStream(dir.file('changed.bundle')), result.blockDigests)) seen.push(block.block);
    });
    expect(reason).toBe('bundle-changed');
    // Line of track:1500 is item 1504, in block 1: block 0 was yielded, block 1 never.
    expect(seen).toEqual([0]);
  });

  it('refuses a file that grew, shrank, or whose hello or manifest changed', async () => {
    const bytes = readFileSync(path);
    const lines = bytes.toString('utf8').split('\n').slice(0, -1);
    const variants = {
      grew: [...lines.slice(0, -1), lines[10]!, lines.at(-1)!],
      shrank: [...lines.slice(0, 1030), lines.at(-1)!],
      lastBlockShorter: [...lines.slice(0, -2), lines.at(-1)!],
      noManifest: lines.slice(0, -1),
    };
    for (const [name, variant] of Object.entries(variants)) {
      const reason = await reasonOf(() => allBlocks([Buffer.from(`${variant.join('\n')}\n`)], result.blockDigests));
      expect(reason, name).toBe('bundle-changed');
    }
    const longLine = Buffer.concat([bytes.subarray(0, starts1030(bytes)), Buffer.alloc(5 * 1024 * 1024, 0x20), bytes.subarray(starts1030(bytes))]);
    expect(await reasonOf(() => allBlocks([longLine], result.blockDigests))).toBe('bundle-changed');
    const truncated = bytes.subarray(0, bytes.length - 1);
    expect(await reasonOf(() => allBlocks([truncated], result.blockDigests))).toBe('bundle-changed');
    const otherHello = Buffer.from(bytes);
    otherHello[otherHello.indexOf('"payload":"') + 20]! ^= 1;
    expect(await reasonOf(() => allBlocks([otherHello], result.blockDigests))).toBe('accepted');
    const withChecks = async (source: Buffer) => {
      for await (const _ of readBundleBlocks([source], result.blockDigests, { helloDigest: result.helloDigest, digest: result.digest })) void _;
    };
    expect(await reasonOf(() => withChecks(otherHello))).toBe('bundle-changed');
    const otherManifest = Buffer.from(bytes);
    otherManifest[otherManifest.lastIndexOf('"sig":"') + 30]! ^= 1;
    expect(await reasonOf(() => withChecks(otherManifest))).toBe('bundle-changed');
    expect(await reasonOf(() => withChecks(bytes))).toBe('accepted');
  });

  it('stops cleanly when cancelled: pass 2 throws cancelled and closes the file, pass 1 returns cancelled', async () => {
    const controller = new AbortController();
    const stream = createReadStream(path, { highWaterMark: 16 * 1024 });
    const seen: number[] = [];
    const reason = await reasonOf(async () => {
      for await (const block of readBundleBlocks(stream, result.blockDigests, { signal: controller.signal })) {
        seen.push(block.block);
        controller.abort();
      }
    });
    expect(reason).toBe('cancelled');
    expect(seen).toEqual([0]);
    expect(stream.destroyed).toBe(true);

    const early = new AbortController();
    const passOne = await verifyBundleStream(createReadStream(path, { highWaterMark: 16 * 1024 }), {
      verifyManifest: agent.verifyManifest,
      signal: early.signal,
      onProgress: () => early.abort(),
    });
    expect(passOne).toMatchObject({ ok: false, reason: 'cancelled' });
  });

  it('a consumer that stops early closes the file too', async () => {
    const stream = createReadStream(path, { highWaterMark: 16 * 1024 });
    for await (const block of readBundleBlocks(stream, result.blockDigests)) {
      expect(block.block).toBe(0);
      break;
    }
    expect(stream.destroyed).toBe(true);
  });
});

describe('writing into a sink', () => {
  it('waits for a slow sink to drain, and writes the same bytes as the chunk stream', async () => {
    const { Writable } = await import('node:stream');
    const received: Buffer[] = [];
    let waits = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk);
        waits += 1;
        setTimeout(done, 1);
      },
    });
    const { writeBundle } = await import('./writer.js');
    const written = await writeBundle(slow, writeOptions(agent, material, 1500));
    const expected = await bundleBytes(writeOptions(agent, material, 1500));
    expect(Buffer.concat(received).equals(expected)).toBe(true);
    expect(written.bytes).toBe(expected.length);
    expect(waits).toBeGreaterThan(1);
    expect((await verified([expected])).digest).toBe(written.digest);
  });

  it('rejects when the sink fails, and stops writing', async () => {
    const { Writable } = await import('node:stream');
    let writes = 0;
    const failing = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, done) {
        writes += 1;
        done(new Error('disk full'));
      },
    });
    failing.on('error', () => undefined);
    const { writeBundle } = await import('./writer.js');
    await expect(writeBundle(failing, writeOptions(agent, material, 3000))).rejects.toThrow('disk full');
    expect(writes).toBe(1);
    // A sink closed while the writer waits for it to drain: refused, not a wait for ever.
    const stuck = new Writable({ highWaterMark: 1024, write: () => undefined });
    setTimeout(() => stuck.destroy(), 20);
    await expect(writeBundle(stuck, writeOptions(agent, material, 3000))).rejects.toThrow(/closed before the bundle was written/);
    // And a cancelled wait stops it cleanly.
    const controller = new AbortController();
    const waiting = new Writable({ highWaterMark: 1024, write: () => undefined });
    setTimeout(() => controller.abort(), 20);
    await expect(writeBundle(waiting, writeOptions(agent, material, 3000, { signal: controller.signal }))).rejects.toMatchObject({ reason: 'cancelled' });
  });
});
