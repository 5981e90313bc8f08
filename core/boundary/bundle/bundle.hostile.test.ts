/** Hostile bundles: flipped bytes in every position class, truncation, lying manifests, oversized and hostile lines, misplaced lines. */
import { hash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../canonical/jcs.js';
import { signEnvelope } from '../../crypto/dsse.js';
import { leafHash, rootOf } from '../../crypto/merkle.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { BUNDLE_FORMAT, BundleError, MANIFEST_PAYLOAD_TYPE, MANIFEST_TYPE, MAX_LINE_BYTES } from './format.js';
import { verifyBundleStream, type BundleRefusal, type VerifiedBundle } from './reader.js';
import { bundleBytes, inChunks, lineStarts, makeAgent, makeMaterial, writeOptions, type Agent, type Material } from './test-fixtures.js';

let dir: TempDir;
let agent: Agent;
let material: Material;
let bundle: Buffer;
let starts: number[];

beforeAll(async () => {
  dir = makeTempDir('entente-bundle-hostile-');
  agent = makeAgent();
  material = await makeMaterial(agent);
  bundle = await bundleBytes(writeOptions(agent, material, 50));
  starts = lineStarts(bundle);
});
afterAll(() => dir.remove());

const REASONS = new Set(['truncated-bundle', 'line-too-long', 'block-too-large', 'malformed-line', 'unknown-format', 'misplaced-line', 'manifest-mismatch', 'bad-manifest-signature', 'hello-mismatch']);

function verify(bytes: Buffer | Iterable<Buffer>, options: { maxLineBytes?: number } = {}): Promise<VerifiedBundle | BundleRefusal> {
  return verifyBundleStream(Buffer.isBuffer(bytes) ? [bytes] : bytes, { verifyManifest: agent.verifyManifest, ...options });
}

/** The bundle with the character at `at` replaced by another of the same class (letter, digit), so the JSON still reads. */
function flipped(at: number): Buffer {
  const copy = Buffer.from(bundle);
  const c = copy[at]!;
  copy[at] = c === 0x41 ? 0x42 : c >= 0x61 && c <= 0x7a ? (c === 0x61 ? 0x62 : 0x61) : c >= 0x30 && c <= 0x39 ? (c === 0x30 ? 0x31 : 0x30) : 0x41;
  return copy;
}

/** Offset of `needle` within line `line` (1-based, negative from the end), plus `plus`. */
function inLine(line: number, needle: string, plus: number): number {
  const index = line > 0 ? line - 1 : starts.length + line;
  const at = bundle.indexOf(needle, starts[index]);
  expect(at).toBeGreaterThanOrEqual(starts[index]!);
  expect(at).toBeLessThan(starts[index + 1] ?? bundle.length);
  return at + needle.length + plus;
}

/** Lines (objects or raw text) as a bundle: canonical JSON and LF each. */
function assemble(lines: readonly (object | string)[]): Buffer {
  return Buffer.concat(lines.map((line) => Buffer.from(`${typeof line === 'string' ? line : canonicalBytes(line).toString()}\n`)));
}

/** A manifest line signed by the agent over `body` fields, defaults computed honestly from the lines between. */
function manifestFor(header: object, items: readonly (object | string)[], body: Partial<Record<string, unknown>> = {}): object {
  const itemBytes = items.map((item) => (typeof item === 'string' ? Buffer.from(item) : canonicalBytes(item)));
  const full = {
    type: MANIFEST_TYPE,
    hello: hash('sha256', canonicalBytes(header), 'hex'),
    lines: items.length,
    observations: items.filter((i) => typeof i === 'object' && (i as { kind?: string }).kind === 'observation').length,
    root: rootOf(itemBytes.map((b) => leafHash(b))).toString('hex'),
    exportedAt: '2026-11-23T09:00:00Z',
    cursor: 'seq:1',
    ...body,
  };
  return { kind: 'manifest', envelope: signEnvelope(MANIFEST_PAYLOAD_TYPE, canonicalBytes(full), [agent.signer]) };
}

describe('one flipped byte in each position class', () => {
  it('the unflipped bundle verifies', async () => {
    expect((await verify(bundle)).ok).toBe(true);
  });

  it.each([
    ['the hello line (its signed payload)', () => inLine(1, '"payload":"', 20), 'hello-mismatch'],
    ['the hello line (its signature)', () => inLine(1, '"sig":"', 10), 'hello-mismatch'],
    ['a certificate line (inside the PEM)', () => inLine(2, 'CERTIFICATE-----\\n', 40), 'manifest-mismatch'],
    ['a CRL line', () => inLine(3, 'CRL-----\\n', 40), 'manifest-mismatch'],
    ['an attestation line', () => inLine(4, '"payload":"', 8), 'manifest-mismatch'],
    ['a taint line', () => inLine(5, '"entry":"', 8), 'manifest-mismatch'],
    ['an observation line (its subject)', () => inLine(30, '"subject":"track:', 0), 'manifest-mismatch'],
    ['an observation line (its certificate reference)', () => inLine(30, '"certificate":"', 5), 'manifest-mismatch'],
    ['the manifest body', () => inLine(-1, '"payload":"', 30), 'bad-manifest-signature'],
    ['the manifest signature', () => inLine(-1, '"sig":"', 40), 'bad-manifest-signature'],
    ['the manifest keyid', () => inLine(-1, '"keyid":"', 3), 'bad-manifest-signature'],
    ['the format name', () => inLine(1, 'crossing-bundle/v', 0), 'unknown-format'],
  ])('%s', async (_name, position, reason) => {
    const result = await verify(flipped(position()));
    expect(result).toMatchObject({ ok: false, reason });
  });

  it('anywhere: 600 random bytes flipped one at a time, never accepted, never anything but a named refusal', async () => {
    let seed = 0x5eed;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const copy = Buffer.from(bundle);
      const at = random() % copy.length;
      copy[at]! ^= 1 << random() % 8;
      const result = await verify(copy);
      expect(result.ok, `flip at ${at}`).toBe(false);
      if (!result.ok) {
        expect(REASONS.has(result.reason), result.reason).toBe(true);
        expect(result.message).not.toContain('\n');
        seen.add(result.reason);
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
  });

  it('refuses a second form of the same manifest: an added signature, or base64 padding bits set otherwise', async () => {
    const lines = bundle.toString().split('\n').slice(0, -1);
    const manifest = JSON.parse(lines.at(-1)!) as { envelope: { payload: string; signatures: object[] } };
    const twice = { ...manifest, envelope: { ...manifest.envelope, signatures: [...manifest.envelope.signatures, ...manifest.envelope.signatures] } };
    expect(await verify(assemble([...lines.slice(0, -1), twice]))).toMatchObject({ ok: false, reason: 'malformed-line', line: lines.length });
    // A payload whose length leaves spare bits in its last character: set one of them.
    const payload = manifest.envelope.payload;
    const lastData = payload.replace(/=+$/, '').length - 1;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    if (payload.endsWith('=')) {
      const respelled = payload.slice(0, lastData) + alphabet[alphabet.indexOf(payload[lastData]!) ^ 1]! + payload.slice(lastData + 1);
      expect(Buffer.from(respelled, 'base64').equals(Buffer.from(payload, 'base64'))).toBe(true);
      const other = { ...manifest, envelope: { ...manifest.envelope, payload: respelled } };
      expect(await verify(assemble([...lines.slice(0, -1), other]))).toMatchObject({ ok: false, reason: 'malformed-line' });
    }
  });
});

describe('truncation', () => {
  it('refuses the bundle cut at every line end and at 400 offsets within lines as truncated-bundle', async () => {
    const cuts = new Set<number>([0, 1, bundle.length - 1, ...starts, ...starts.map((s) => s - 1).filter((s) => s > 0)]);
    for (let i = 0; i < 400; i++) cuts.add(Math.floor((i * bundle.length) / 400));
    for (const cut of cuts) {
      if (cut >= bundle.length) continue;
      const result = await verify(bundle.subarray(0, cut));
      expect(result, `cut at ${cut}`).toMatchObject({ ok: false, reason: 'truncated-bundle' });
    }
  });

  it('refuses a bundle without its final LF, naming the line', async () => {
    expect(await verify(bundle.subarray(0, -1))).toMatchObject({ ok: false, reason: 'truncated-bundle', line: starts.length });
  });
});

describe('lying manifests', () => {
  it('refuses a manifest declaring 10,000,000 observations over 3 lines, without allocating by the count', async () => {
    const header = { format: BUNDLE_FORMAT, hello: agent.hello };
    const items = [{ kind: 'observation', ...material.observation(0) }];
    const before = process.memoryUsage().heapUsed;
    for (const lie of [{ observations: 10_000_000 }, { lines: 10_000_000 }, { lines: 10_000_000, observations: 10_000_000 }]) {
      const result = await verify(assemble([header, ...items, manifestFor(header, items, lie)]));
      expect(result, JSON.stringify(lie)).toMatchObject({ ok: false, reason: 'manifest-mismatch', line: 3 });
    }
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses a wrong root, a hello hash of another hello, and a manifest of another payload type or signer', async () => {
    const header = { format: BUNDLE_FORMAT, hello: agent.hello };
    const items = [{ kind: 'observation', ...material.observation(0) }];
    expect(await verify(assemble([header, ...items, manifestFor(header, items, { root: 'ab'.repeat(32) })]))).toMatchObject({ ok: false, reason: 'manifest-mismatch' });
    expect(await verify(assemble([header, ...items, manifestFor(header, items, { hello: 'cd'.repeat(32) })]))).toMatchObject({ ok: false, reason: 'hello-mismatch', line: 1 });
    expect(await verify(assemble([header, ...items, manifestFor(header, items, { type: 'entente.crossing-manifest/v2' })]))).toMatchObject({ ok: false, reason: 'malformed-line' });
    const body = JSON.parse(Buffer.from((manifestFor(header, items) as { envelope: { payload: string } }).envelope.payload, 'base64').toString()) as object;
    const otherType = { kind: 'manifest', envelope: signEnvelope('application/vnd.entente.boundary-hello+json', canonicalBytes(body), [agent.signer]) };
    expect(await verify(assemble([header, ...items, otherType]))).toMatchObject({ ok: false, reason: 'bad-manifest-signature' });
    const stranger = makeAgent();
    const foreign = { kind: 'manifest', envelope: signEnvelope(MANIFEST_PAYLOAD_TYPE, canonicalBytes(body), [stranger.signer]) };
    expect(await verify(assemble([header, ...items, foreign]))).toMatchObject({ ok: false, reason: 'bad-manifest-signature' });
  });

  it("passes the caller's own refusal of the agent through by name", async () => {
    const { Refused } = await import('../../common/refused.js');
    const result = await verifyBundleStream([bundle], { verifyManifest: () => new Refused('unknown-agent', 'The agent is not one of DEU.') });
    expect(result).toEqual({ ok: false, reason: 'unknown-agent', message: 'The agent is not one of DEU.' });
  });
});

describe('hostile lines', () => {
  it('refuses a 5 MiB line as line-too-long without reading the rest of the stream', async () => {
    const header = assemble([{ format: BUNDLE_FORMAT, hello: agent.hello }]);
    const huge = Buffer.alloc(5 * 1024 * 1024, 0x20);
    let pulled = 0;
    function* source() {
      for (const chunk of inChunks(Buffer.concat([header, huge, Buffer.from('\n')]), 64 * 1024)) {
        pulled += chunk.length;
        yield chunk;
      }
    }
    const result = await verify(source());
    expect(result).toMatchObject({ ok: false, reason: 'line-too-long', line: 2 });
    expect(pulled).toBeLessThanOrEqual(header.length + MAX_LINE_BYTES + 64 * 1024);
    // A lower limit is honoured; the line limit itself is not raised by asking.
    expect(await verify(bundle, { maxLineBytes: 1000 })).toMatchObject({ ok: false, reason: 'line-too-long' });
    expect(await verify([header, huge, Buffer.from('\n')], { maxLineBytes: 64 * 1024 * 1024 })).toMatchObject({ ok: false, reason: 'line-too-long' });
  });

  it('refuses deeply nested, duplicate-key, non-JSON, non-UTF-8, blank and non-object lines as malformed-line, naming the line', async () => {
    const header = { format: BUNDLE_FORMAT, hello: agent.hello };
    const certificate = `{"kind":"certificate","pem":${JSON.stringify(material.certificatePem)}}`;
    const cases: Record<string, string | Buffer> = {
      deep: `{"kind":"observation","certificate":"${'a'.repeat(64)}","record":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      duplicate: `{"kind":"certificate","pem":${JSON.stringify(material.certificatePem)},"pem":"x"}`,
      duplicateKind: `{"kind":"certificate","kind":"crl","pem":${JSON.stringify(material.certificatePem)}}`,
      notJson: 'kind=certificate',
      notUtf8: Buffer.concat([Buffer.from('{"kind":"taint","x":"'), Buffer.of(0xc3, 0x28), Buffer.from('"}')]),
      blank: '',
      array: '[1,2,3]',
      unknownKind: '{"kind":"payload"}',
      extraMember: certificate.replace('{', '{"extra":1,'),
      proto: '{"__proto__":{"kind":"certificate"}}',
      notPem: '{"kind":"certificate","pem":"hello"}',
      crlAsCertificate: `{"kind":"certificate","pem":${JSON.stringify(material.crlPem)}}`,
      recordNotObject: `{"kind":"observation","certificate":"${'a'.repeat(64)}","record":[1]}`,
    };
    for (const [name, line] of Object.entries(cases)) {
      const bytes = Buffer.concat([assemble([header]), Buffer.from(line), Buffer.from('\n'), assemble([certificate])]);
      const result = await verify(bytes);
      expect(result, name).toMatchObject({ ok: false, reason: 'malformed-line', line: 2 });
      if (!result.ok) expect(result.message).not.toContain('\n');
    }
  });

  it('refuses a header of another format as unknown-format, and a bundle of another shape entirely', async () => {
    expect(await verify(assemble([{ format: 'entente.crossing-bundle/v2', hello: agent.hello }]))).toMatchObject({ ok: false, reason: 'unknown-format', line: 1 });
    expect(await verify(assemble([{ format: 'entente.audit-bundle/v2', log: 'DEU' }]))).toMatchObject({ ok: false, reason: 'unknown-format' });
    expect(await verify(Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'truncated-bundle' });
  });
});

describe('misplaced lines', () => {
  const header = () => ({ format: BUNDLE_FORMAT, hello: agent.hello });
  const certificate = () => ({ kind: 'certificate', pem: material.certificatePem });
  const observation = () => ({ kind: 'observation', ...material.observation(1) });

  it.each([
    ['the hello not first', () => [certificate(), header()], 1],
    ['a second header', () => [header(), certificate(), header()], 3],
    ['a certificate after an observation', () => [header(), observation(), certificate()], 3],
    ['a CRL after an observation', () => [header(), certificate(), observation(), { kind: 'crl', pem: material.crlPem }], 4],
    ['the manifest first', () => [manifestFor(header(), []), header()], 1],
  ])('refuses %s', async (_name, lines, line) => {
    const built = lines();
    const items = built.slice(1);
    expect(await verify(assemble([...built, manifestFor(header(), items)]))).toMatchObject({ ok: false, reason: 'misplaced-line', line });
  });

  it('refuses anything after the manifest: a line, or bytes without their LF', async () => {
    const items = [certificate(), observation()];
    const good = assemble([header(), ...items, manifestFor(header(), items)]);
    expect((await verify(good)).ok).toBe(true);
    expect(await verify(Buffer.concat([good, assemble([certificate()])]))).toMatchObject({ ok: false, reason: 'misplaced-line', line: 5 });
    expect(await verify(Buffer.concat([good, Buffer.from('{')]))).toMatchObject({ ok: false, reason: 'misplaced-line', line: 5 });
    expect(await verify(Buffer.concat([good, good]))).toMatchObject({ ok: false, reason: 'misplaced-line', line: 5 });
  });
});

describe('the writer refuses what the reader would', () => {
  it('a section that is not valid, a line over the limit, a cancelled export', async () => {
    const reasonOf = async (options: Parameters<typeof bundleBytes>[0]) => {
      try {
        await bundleBytes(options);
      } catch (error) {
        if (error instanceof BundleError) return error.reason;
        throw error;
      }
      return 'accepted';
    };
    expect(await reasonOf(writeOptions(agent, material, 1, { sections: [{ kind: 'certificate', pem: 'not a pem' }] }))).toBe('malformed-line');
    expect(await reasonOf(writeOptions(agent, material, 1, { sections: [{ kind: 'observation' } as never] }))).toBe('malformed-line');
    const big = { record: { blob: 'x'.repeat(MAX_LINE_BYTES) }, certificate: material.certificateSha256 };
    expect(await reasonOf(writeOptions(agent, material, 0, { observations: [big] }))).toBe('line-too-long');
    expect(await reasonOf(writeOptions(agent, material, 0, { observations: [{ record: { a: 1 }, certificate: 'nope' }] }))).toBe('malformed-line');
    const controller = new AbortController();
    controller.abort();
    expect(await reasonOf(writeOptions(agent, material, 3000, { signal: controller.signal }))).toBe('cancelled');
    // 1,024 lines of 40 KiB pass the line limit but not the block limit.
    const wide = Array.from({ length: 1024 }, (_, n) => ({ record: { n, blob: 'y'.repeat(40 * 1024) }, certificate: material.certificateSha256 }));
    expect(await reasonOf(writeOptions(agent, material, 0, { sections: [], observations: wide }))).toBe('block-too-large');
  });

  it('the reader refuses a block over its byte limit, as block-too-large', async () => {
    const header = { format: BUNDLE_FORMAT, hello: agent.hello };
    const wide = Array.from({ length: 1024 }, (_, n) => ({ kind: 'observation', record: { n, blob: 'y'.repeat(40 * 1024) }, certificate: material.certificateSha256 }));
    const result = await verify(assemble([header, ...wide, manifestFor(header, wide)]));
    expect(result).toMatchObject({ ok: false, reason: 'block-too-large' });
  });
});

describe('one form per line', () => {
  it('refuses padding, a CR before the LF, and a header or manifest not in canonical form', async () => {
    const lines = bundle.toString().split('\n').slice(0, -1);
    const variants: Record<string, string[]> = {
      crlf: [lines[0]!, `${lines[1]!}\r`, ...lines.slice(2)],
      leadingSpace: [lines[0]!, ` ${lines[1]!}`, ...lines.slice(2)],
      headerSpaced: [lines[0]!.replace('{', '{ '), ...lines.slice(1)],
      headerReordered: [`{"hello":${JSON.stringify(agent.hello)},"format":"${BUNDLE_FORMAT}"}`, ...lines.slice(1)],
      manifestSpaced: [...lines.slice(0, -1), lines.at(-1)!.replace('{', '{ ')],
    };
    for (const [name, variant] of Object.entries(variants)) {
      expect(await verify(Buffer.from(`${variant.join('\n')}\n`)), name).toMatchObject({ ok: false, reason: 'malformed-line' });
    }
  });
});
