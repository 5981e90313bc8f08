/**
 * A 1 GB bundle, made as a stream and verified as one (nothing on disk): resident memory stays
 * bounded whatever the size. About half a minute, so it runs when ENTENTE_BIG_BUNDLE=1 is set;
 * otherwise the same check runs over 64 MB. bench/ measures the throughput.
 */
import { describe, expect, it } from 'vitest';
import { readBundleBlocks, verifyBundleStream } from './reader.js';
import { bundleChunks } from './writer.js';
import { makeAgent } from './test-fixtures.js';

const big = process.env.ENTENTE_BIG_BUNDLE === '1';
const TARGET_BYTES = big ? 1024 ** 3 : 64 * 1024 ** 2;

describe('memory stays bounded over a streamed bundle', () => {
  it(`verifies and reads back a ${TARGET_BYTES / 1024 ** 2} MiB bundle with resident memory under baseline + 192 MiB`, { timeout: 300_000 }, async () => {
    const agent = makeAgent();
    // A record of about a kilobyte, different on every line (so the root really covers each).
    const filler = 'x'.repeat(900);
    let produced = 0;
    const observations = function* () {
      produced = 0;
      for (let n = 0; produced < TARGET_BYTES; n++) {
        const line = { record: { v: 1, subject: `track:${n}`, payload: { n, filler } }, certificate: 'ab'.repeat(32) };
        produced += 1000;
        yield line;
      }
    };
    // The same bytes each time: Ed25519 signatures are deterministic (RFC 8032), and so is everything else here.
    const stream = () => bundleChunks({ hello: agent.hello, observations: observations(), signer: agent.signer, exportedAt: new Date('2026-11-23T09:00:00Z'), cursor: 'seq:big' });
    const chunks = stream();
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const started = Date.now();
    const result = await verifyBundleStream(chunks, {
      verifyManifest: agent.verifyManifest,
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.bytes).toBeGreaterThanOrEqual(TARGET_BYTES);
    expect(result.counts.observation).toBe(result.manifest.observations);
    expect(peak - baseline).toBeLessThan(192 * 1024 * 1024);

    // Pass 2 over the same stream made again: one block at a time, whatever the total.
    let lines = 0;
    for await (const block of readBundleBlocks(stream(), result.blockDigests)) {
      lines += block.lines.length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(lines).toBe(result.manifest.lines);
    expect(peak - baseline).toBeLessThan(192 * 1024 * 1024);
    process.stderr.write(`streamed ${(result.bytes / 1024 ** 2).toFixed(0)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s, rss +${((peak - baseline) / 1024 ** 2).toFixed(0)} MiB\n`);
  });
});
