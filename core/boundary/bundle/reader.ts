/**
 * Reading a crossing bundle in the two passes of docs/decisions/0005-crossing.md ("Bundles").
 * Pass 1 (`verifyBundleStream`) reads the whole stream once: structure and placement of every
 * line, the leaf hash of each item line into a streaming RFC 6962 root, one digest per block of
 * 1,024 item lines, and at the end the manifest's signature (through the caller's key check),
 * its hello hash, counts and root. Pass 2 (`readBundleBlocks`) reads the stream again and yields
 * one block at a time, only after recomputing that block's digest: whatever changed in the file
 * between the passes is refused `bundle-changed` before anything in its block is used. Neither
 * pass holds more than one line (pass 1) or one block (pass 2), whatever the declared counts.
 */
import { createHash, hash } from 'node:crypto';
import { readStrictJson } from '../../canonical/strict-json.js';
import { describeIssues } from '../../common/atoms.js';
import { Refused } from '../../common/refused.js';
import { payloadOf, type DsseEnvelope } from '../../crypto/dsse.js';
import { MerkleRootBuilder } from '../../crypto/merkle.js';
import {
  BLOCK_LINES,
  BundleError,
  LINE_JSON_LIMITS,
  MANIFEST_PAYLOAD_TYPE,
  ManifestBody,
  MAX_BLOCK_BYTES,
  MAX_LINE_BYTES,
  parseLine,
  parseVerifiedLine,
  type BundleRefusalReason,
  type ItemKind,
  type ItemLine,
} from './format.js';
import { asBuffer, LineSplitter } from './lines.js';

export type BundleChunks = AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

/** The caller's check of the manifest's signature: the agent's key comes from the hello, which is checked elsewhere. */
export type ManifestCheck = (hello: DsseEnvelope, manifest: DsseEnvelope) => boolean | Refused | Promise<boolean | Refused>;

export interface BundleProgress {
  readonly lines: number;
  readonly bytes: number;
}

export interface VerifyBundleOptions {
  /** At most MAX_LINE_BYTES; a lower limit refuses sooner. */
  readonly maxLineBytes?: number;
  readonly verifyManifest: ManifestCheck;
  /** Called after every block of item lines, and once at the end. */
  readonly onProgress?: (progress: BundleProgress) => void;
  readonly signal?: AbortSignal;
}

export interface VerifiedBundle {
  readonly ok: true;
  /** Line 1's signed hello, for core/boundary/hello.ts to check. */
  readonly hello: DsseEnvelope;
  /** SHA-256 of line 1's bytes: what the manifest names, and what pass 2 can re-check. */
  readonly helloDigest: string;
  /** The bundle's digest: SHA-256 of the manifest line's bytes (LF not included). */
  readonly digest: string;
  readonly manifest: ManifestBody;
  readonly manifestEnvelope: DsseEnvelope;
  readonly counts: Readonly<Record<ItemKind, number>>;
  /** Every line of the file, header and manifest included. */
  readonly lines: number;
  readonly bytes: number;
  /** One per block of BLOCK_LINES item lines (the last may be shorter): pass 2's expectations. */
  readonly blockDigests: readonly string[];
}

export interface BundleRefusal {
  readonly ok: false;
  readonly reason: BundleRefusalReason | string;
  readonly message: string;
  readonly line?: number;
}

const LEAF_PREFIX = Buffer.of(0);

/** RFC 6962 §2.1 leaf hash of a line's bytes, without concatenating a copy of them. */
function leafOf(bytes: Buffer): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(bytes).digest();
}

/**
 * A copy of a line's bytes behind the leaf prefix (0x00): its leaf hash is then one one-shot
 * hash of the copy, about half the cost of leafOf's streaming one, for a copy pass 2 makes anyway.
 */
class FramedLine {
  private readonly framed: Buffer;

  constructor(bytes: Buffer) {
    this.framed = Buffer.allocUnsafe(bytes.length + 1);
    this.framed[0] = 0;
    bytes.copy(this.framed, 1);
  }

  /** The line's own bytes (LF excluded). */
  get bytes(): Buffer {
    return this.framed.subarray(1);
  }

  /** RFC 6962 §2.1 leaf hash of the line, as leafOf gives it. */
  leaf(): Buffer {
    return hash('sha256', this.framed, 'buffer');
  }
}

/**
 * A block's digest: SHA-256 over the leaf hashes of its lines, in order. Pass 1 has each leaf
 * already (it feeds the root), so a block costs 32 bytes of hashing per line, not its bytes again.
 */
class BlockHasher {
  private hasher = createHash('sha256');
  lines = 0;
  bytes = 0;

  add(leaf: Buffer, lineBytes: number): void {
    this.hasher.update(leaf);
    this.lines += 1;
    this.bytes += lineBytes + 1;
  }

  finish(): string {
    const digest = this.hasher.digest('hex');
    this.hasher = createHash('sha256');
    this.lines = 0;
    this.bytes = 0;
    return digest;
  }
}

function cancelled(): BundleError {
  return new BundleError('cancelled', 'Reading the bundle was cancelled.');
}

function lineLimit(maxLineBytes: number | undefined): number {
  return Math.min(maxLineBytes ?? MAX_LINE_BYTES, MAX_LINE_BYTES);
}

function blockTooLarge(line: number): BundleError {
  return new BundleError('block-too-large', `The block of item lines ending at line ${line} holds more than ${MAX_BLOCK_BYTES} bytes (the limit a block is admitted under).`, line);
}

/** Pass 1. Never throws for anything in the input: every refusal is returned by name. */
export async function verifyBundleStream(chunks: BundleChunks, options: VerifyBundleOptions): Promise<VerifiedBundle | BundleRefusal> {
  const { signal, onProgress } = options;
  const splitter = new LineSplitter(lineLimit(options.maxLineBytes));
  const root = new MerkleRootBuilder();
  const block = new BlockHasher();
  const blockDigests: string[] = [];
  const counts: Record<ItemKind, number> = { certificate: 0, crl: 0, attestation: 0, taint: 0, observation: 0 };
  type Stage = 'header' | 'sections' | 'observations' | 'done';
  // Widened: the line callback moves it, which the compiler cannot see from here.
  let stage = 'header' as Stage;
  let hello: DsseEnvelope | undefined;
  let helloDigest = '';
  let manifestEnvelope: DsseEnvelope | undefined;
  let digest = '';
  let manifestLine = 0;
  let bytes = 0;

  const onLine = (lineBytes: Buffer, line: number): undefined => {
    if (stage === 'done') throw new BundleError('misplaced-line', `Line ${line} follows the manifest, which must be the last line of the bundle.`, line);
    const parsed = parseLine(lineBytes, line);
    if (line === 1) {
      if (parsed.kind !== 'header') throw new BundleError('misplaced-line', `Line 1 of the bundle is a ${parsed.kind === 'item' ? parsed.value.kind : parsed.kind} line; it must be the header {format, hello}.`, line);
      hello = parsed.value.hello;
      helloDigest = hash('sha256', lineBytes, 'hex');
      stage = 'sections';
      return;
    }
    if (parsed.kind === 'header') throw new BundleError('misplaced-line', `Line ${line} is a second header; only line 1 may be one.`, line);
    if (parsed.kind === 'manifest') {
      if (block.lines > 0) blockDigests.push(block.finish());
      manifestEnvelope = parsed.value.envelope;
      digest = hash('sha256', lineBytes, 'hex');
      manifestLine = line;
      stage = 'done';
      return;
    }
    const kind = parsed.value.kind;
    if (kind === 'observation') stage = 'observations';
    else if (stage === 'observations') throw new BundleError('misplaced-line', `Line ${line} is a ${kind} line after the observations began; certificates, CRLs, attestations and taint notices come first.`, line);
    counts[kind] += 1;
    const leaf = leafOf(lineBytes);
    root.push(leaf);
    block.add(leaf, lineBytes.length);
    if (block.bytes > MAX_BLOCK_BYTES) throw blockTooLarge(line);
    if (block.lines === BLOCK_LINES) {
      blockDigests.push(block.finish());
      if (signal?.aborted) throw cancelled();
      onProgress?.({ lines: line, bytes: splitter.position });
    }
  };

  try {
    for await (const chunk of chunks) {
      if (signal?.aborted) throw cancelled();
      const buffer = asBuffer(chunk);
      bytes += buffer.length;
      splitter.push(buffer, onLine);
    }
    if (signal?.aborted) throw cancelled();
    if (splitter.unterminatedBytes > 0) {
      const line = splitter.nextLine;
      if (stage === 'done') throw new BundleError('misplaced-line', `Bytes follow the manifest on line ${line}; the manifest must be the last line of the bundle.`, line);
      throw new BundleError('truncated-bundle', `The bundle stops in the middle of line ${line} (${splitter.unterminatedBytes} bytes without their LF).`, line);
    }
    if (stage === 'header') throw new BundleError('truncated-bundle', 'The bundle is empty: it has no header line.', 1);
    if (stage !== 'done' || manifestEnvelope === undefined || hello === undefined) {
      throw new BundleError('truncated-bundle', `The bundle ends after line ${splitter.nextLine - 1} without its manifest.`, splitter.nextLine - 1);
    }
    const manifest = await checkManifest(hello, manifestEnvelope, manifestLine, options.verifyManifest);
    if (manifest.hello !== helloDigest) {
      throw new BundleError('hello-mismatch', `The manifest names the hello ${manifest.hello.slice(0, 16)}…, but line 1 hashes to ${helloDigest.slice(0, 16)}….`, 1);
    }
    const itemLines = manifestLine - 2;
    if (manifest.lines !== itemLines) {
      throw new BundleError('manifest-mismatch', `The manifest declares ${manifest.lines} item lines; the bundle holds ${itemLines}.`, manifestLine);
    }
    if (manifest.observations !== counts.observation) {
      throw new BundleError('manifest-mismatch', `The manifest declares ${manifest.observations} observations; the bundle holds ${counts.observation}.`, manifestLine);
    }
    const rootHex = root.root().toString('hex');
    if (manifest.root !== rootHex) {
      throw new BundleError('manifest-mismatch', `The manifest's root ${manifest.root.slice(0, 16)}… is not the root of the bundle's lines (${rootHex.slice(0, 16)}…): a line was changed, added, removed or moved.`, manifestLine);
    }
    onProgress?.({ lines: manifestLine, bytes });
    return { ok: true, hello, helloDigest, digest, manifest, manifestEnvelope, counts, lines: manifestLine, bytes, blockDigests };
  } catch (error) {
    if (error instanceof BundleError) return { ok: false, reason: error.reason, message: error.message, ...(error.line === null ? {} : { line: error.line }) };
    if (error instanceof Refused) return { ok: false, reason: error.reason, message: error.message };
    throw error;
  }
}

/** The manifest line's envelope: its type, the caller's signature check, then its body (only once it is known to be signed). */
async function checkManifest(hello: DsseEnvelope, envelope: DsseEnvelope, line: number, verify: ManifestCheck): Promise<ManifestBody> {
  if (envelope.payloadType !== MANIFEST_PAYLOAD_TYPE) {
    throw new BundleError('bad-manifest-signature', `The manifest's payload type is ${JSON.stringify(envelope.payloadType.slice(0, 80))}, not ${MANIFEST_PAYLOAD_TYPE}.`, line);
  }
  const verdict = await verify(hello, envelope);
  if (verdict instanceof Refused) throw verdict;
  if (verdict !== true) throw new BundleError('bad-manifest-signature', "The manifest's signature does not verify with the agent's key.", line);
  let json: unknown;
  try {
    json = readStrictJson(payloadOf(envelope), { maxBytes: 64 * 1024, maxDepth: 4, maxValues: 64, maxContainers: 4 });
  } catch (error) {
    if (error instanceof Refused) throw new BundleError('malformed-line', `The manifest's body is not strict JSON (${error.reason}): ${error.message}`, line);
    throw error;
  }
  const body = ManifestBody.safeParse(json);
  if (!body.success) throw new BundleError('malformed-line', `The manifest's body is not a crossing manifest: ${describeIssues(body.error, 'manifest')}.`, line);
  return body.data;
}

/** An item line as pass 2 yields it, with its 1-based line number in the file. */
export interface ParsedLine {
  readonly line: number;
  /** The line's exact bytes (LF excluded), whose hash was just checked: what `item` was read from. */
  readonly bytes: Buffer;
  readonly item: ItemLine;
}

export interface BundleBlock {
  /** 0-based block number: block b holds item lines b·1024 … b·1024+1023. */
  readonly block: number;
  /** The file line number of its first line (2 + b·1024). */
  readonly firstLine: number;
  readonly lines: readonly ParsedLine[];
}

export interface ReadBlocksOptions {
  readonly signal?: AbortSignal;
  /** Resume: blocks before this one are skipped (read past, neither hashed nor parsed). */
  readonly startAtBlock?: number;
  readonly maxLineBytes?: number;
  /** When given, line 1 must still hash to this (pass 1's `helloDigest`). */
  readonly helloDigest?: string;
  /** When given, the last line must still hash to this (pass 1's `digest`). */
  readonly digest?: string;
}

/**
 * Pass 2: the item lines, one verified block at a time, in order. Throws BundleError
 * ('bundle-changed') as soon as a block's digest differs from pass 1's, or the file has more or
 * fewer blocks, or (when asked) its first or last line changed; 'cancelled' when the signal
 * fires. A block is yielded only after all of its bytes were read and hashed.
 */
export async function* readBundleBlocks(chunks: BundleChunks, blockDigests: readonly string[], options: ReadBlocksOptions = {}): AsyncGenerator<BundleBlock, void, undefined> {
  const { signal, helloDigest, digest } = options;
  const startAtBlock = options.startAtBlock ?? 0;
  const splitter = new LineSplitter(lineLimit(options.maxLineBytes));
  const hasher = new BlockHasher();
  let raw: { line: number; bytes: Buffer }[] = [];
  const ready: BundleBlock[] = [];
  /** The last line read: an item line once another follows it, the manifest if the input ends. */
  let held: { line: number; copy: FramedLine } | null = null;
  let items = 0;

  const changed = (message: string, line: number | null = null) => new BundleError('bundle-changed', `The bundle changed since it was verified: ${message}`, line);

  const closeBlock = (block: number): void => {
    const expected = blockDigests[block];
    const found = hasher.finish();
    if (expected === undefined) throw changed(`it holds a block ${block} that was not there before.`, raw[0]?.line ?? null);
    if (found !== expected) throw changed(`block ${block} (lines ${raw[0]!.line}–${raw.at(-1)!.line}) hashes differently.`, raw[0]!.line);
    const lines = raw.map(({ line, bytes }) => {
      let parsed;
      try {
        // The block's digest was just found equal to pass 1's, which read these bytes strictly.
        parsed = parseVerifiedLine(bytes, line, LINE_JSON_LIMITS);
      } catch (error) {
        if (error instanceof Refused) throw changed(`line ${line} no longer reads (${error.reason}).`, line);
        throw error;
      }
      if (parsed.kind !== 'item') throw changed(`line ${line} is no longer an item line.`, line);
      return { line, bytes, item: parsed.value };
    });
    ready.push({ block, firstLine: raw[0]!.line, lines });
    raw = [];
  };

  const item = (line: number, copy: FramedLine): void => {
    const index = items++;
    const block = Math.floor(index / BLOCK_LINES);
    if (block < startAtBlock) return;
    const bytes = copy.bytes;
    hasher.add(copy.leaf(), bytes.length);
    if (hasher.bytes > MAX_BLOCK_BYTES) throw changed(`block ${block} has grown past ${MAX_BLOCK_BYTES} bytes.`, line);
    raw.push({ line, bytes });
    if (index % BLOCK_LINES === BLOCK_LINES - 1) closeBlock(block);
  };

  const onLine = (bytes: Buffer, line: number): boolean => {
    if (line === 1) {
      if (helloDigest !== undefined && hash('sha256', bytes, 'hex') !== helloDigest) throw changed('line 1 (the hello) is different.', 1);
      return true;
    }
    if (held !== null) item(held.line, held.copy);
    // Copied: held across chunks, and kept in the block until it is yielded.
    held = { line, copy: new FramedLine(bytes) };
    // Pause after a block completes, so at most one block waits to be yielded whatever the chunk size.
    return ready.length === 0;
  };

  for await (const chunk of chunks) {
    if (signal?.aborted) throw cancelled();
    const buffer = asBuffer(chunk);
    for (let offset = 0; offset < buffer.length; ) {
      try {
        offset += splitter.push(offset === 0 ? buffer : buffer.subarray(offset), onLine);
      } catch (error) {
        // Pass 1 read every line within the limit: one past it now is a change, not a new kind of refusal.
        if (error instanceof BundleError && error.reason === 'line-too-long') throw changed(error.message, error.line);
        throw error;
      }
      while (ready.length > 0) {
        if (signal?.aborted) throw cancelled();
        yield ready.shift()!;
      }
    }
  }
  if (signal?.aborted) throw cancelled();
  if (splitter.unterminatedBytes > 0) throw changed(`it now stops in the middle of line ${splitter.nextLine}.`, splitter.nextLine);
  const last = held as { line: number; copy: FramedLine } | null;
  if (last === null || last.line < 2) throw changed('it no longer has its manifest line.');
  if (digest !== undefined && hash('sha256', last.copy.bytes, 'hex') !== digest) throw changed(`its last line (${last.line}) is not the manifest it had.`, last.line);
  if (raw.length > 0) closeBlock(Math.floor((items - 1) / BLOCK_LINES));
  const blocks = Math.ceil(items / BLOCK_LINES);
  if (blocks !== blockDigests.length) throw changed(`it holds ${blocks} blocks of item lines, not ${blockDigests.length}.`);
  while (ready.length > 0) yield ready.shift()!;
}
