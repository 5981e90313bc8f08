/**
 * Writing a crossing bundle as a stream: the header, the section lines, the observation lines,
 * each the RFC 8785 canonical JSON of its object and an LF; every item line's leaf hash goes
 * into a streaming RFC 6962 root as it is written, and the manifest is signed last, over the
 * counts and that root. Memory is one output buffer and O(log n) hashes, whatever the count.
 * The writer refuses what the reader would (a line or block over its limit, a malformed line),
 * so an honest exporter never writes a bundle its partner refuses for its shape.
 */
import { once } from 'node:events';
import { createHash, hash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { canonicalBytes } from '../../canonical/jcs.js';
import { describeIssues } from '../../common/atoms.js';
import type { JsonValue } from '../../common/json.js';
import { signEnvelope, type DsseEnvelope, type EnvelopeSigner } from '../../crypto/dsse.js';
import { MerkleRootBuilder } from '../../crypto/merkle.js';
import {
  AttestationLine,
  BLOCK_LINES,
  BUNDLE_FORMAT,
  BundleError,
  CertificateLine,
  CrlLine,
  HeaderLine,
  MANIFEST_PAYLOAD_TYPE,
  MANIFEST_TYPE,
  ManifestBody,
  MAX_BLOCK_BYTES,
  MAX_LINE_BYTES,
  ObservationLine,
  TaintLine,
  type ItemKind,
  type SectionLine,
} from './format.js';

export interface BundleObservation {
  /** The signed record, as the device signed it. */
  readonly record: Record<string, JsonValue>;
  /** SHA-256 of the device certificate's DER, naming one of the bundle's certificate lines. */
  readonly certificate: string;
}

type Source<T> = AsyncIterable<T> | Iterable<T>;

export interface WriteBundleOptions {
  /** The agent's signed hello (core/boundary/hello.ts makes it). */
  readonly hello: DsseEnvelope;
  /** Certificates, CRLs, attestations and taint notices: written before every observation. */
  readonly sections?: Source<SectionLine>;
  readonly observations: Source<BundleObservation>;
  /** The agent's key (the one its two certificates certify) and keyid (SHA-256 of its home certificate). */
  readonly signer: EnvelopeSigner;
  readonly exportedAt: Date;
  /** The exporter's position for `--since`, carried in the manifest. */
  readonly cursor: string;
  /** Called after every block of item lines with the lines written so far, and once at the end. */
  readonly onProgress?: (lines: number) => void;
  readonly signal?: AbortSignal;
}

export interface WrittenBundle {
  /** SHA-256 of the manifest line: the bundle's digest, which receipts name. */
  readonly digest: string;
  readonly manifest: ManifestBody;
  readonly counts: Readonly<Record<ItemKind, number>>;
  /** Every line, header and manifest included. */
  readonly lines: number;
  readonly bytes: number;
}

/** Lines are gathered into chunks of about this size, so a sink sees few large writes. */
const CHUNK_BYTES = 256 * 1024;

const SECTION_SCHEMAS = { certificate: CertificateLine, crl: CrlLine, attestation: AttestationLine, taint: TaintLine } as const;

/**
 * The bundle as chunks of bytes, produced as they are pulled (a slow consumer slows the
 * producer; nothing is read ahead). Returns what was written once the last chunk is taken.
 * Throws BundleError for a line the reader would refuse, and 'cancelled' when the signal fires.
 */
export async function* bundleChunks(options: WriteBundleOptions): AsyncGenerator<Buffer, WrittenBundle, undefined> {
  const { signal, onProgress } = options;
  const root = new MerkleRootBuilder();
  const counts: Record<ItemKind, number> = { certificate: 0, crl: 0, attestation: 0, taint: 0, observation: 0 };
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lines = 0;
  let bytes = 0;
  let blockBytes = 0;

  /** Encodes one line into the pending chunk (the root too, for an item line); returns its bytes. */
  const line = (value: unknown, item: boolean): Buffer => {
    const encoded = canonicalBytes(value);
    const number = lines + 1;
    if (encoded.length > MAX_LINE_BYTES) throw new BundleError('line-too-long', `Line ${number} would be ${encoded.length} bytes, more than the limit of ${MAX_LINE_BYTES}.`, number);
    lines = number;
    if (item) {
      root.push(createHash('sha256').update(Buffer.of(0)).update(encoded).digest());
      blockBytes += encoded.length + 1;
      if (blockBytes > MAX_BLOCK_BYTES) throw new BundleError('block-too-large', `The block of item lines ending at line ${number} would hold more than ${MAX_BLOCK_BYTES} bytes.`, number);
      if (root.size % BLOCK_LINES === 0) {
        blockBytes = 0;
        if (signal?.aborted) throw new BundleError('cancelled', 'Writing the bundle was cancelled.');
        onProgress?.(lines);
      }
    }
    pending.push(encoded, LF);
    pendingBytes += encoded.length + 1;
    return encoded;
  };
  const take = (): Buffer => {
    const chunk = Buffer.concat(pending, pendingBytes);
    bytes += chunk.length;
    pending = [];
    pendingBytes = 0;
    return chunk;
  };

  const header = HeaderLine.safeParse({ format: BUNDLE_FORMAT, hello: options.hello });
  if (!header.success) throw new BundleError('malformed-line', `The hello cannot head a bundle: ${describeIssues(header.error, 'hello')}.`, 1);
  const helloDigest = hash('sha256', line(header.data, false), 'hex');

  for await (const section of options.sections ?? []) {
    const schema = SECTION_SCHEMAS[section.kind as keyof typeof SECTION_SCHEMAS] as (typeof SECTION_SCHEMAS)[keyof typeof SECTION_SCHEMAS] | undefined;
    if (schema === undefined) throw new BundleError('malformed-line', `Line ${lines + 1} would be a ${String(section.kind)} line, which is not a section kind.`, lines + 1);
    const checked = schema.safeParse(section);
    if (!checked.success) throw new BundleError('malformed-line', `Line ${lines + 1} would not be a valid ${section.kind} line: ${describeIssues(checked.error, section.kind)}.`, lines + 1);
    line(checked.data, true);
    counts[section.kind] += 1;
    if (pendingBytes >= CHUNK_BYTES) yield take();
  }
  for await (const { record, certificate } of options.observations) {
    const checked = ObservationLine.safeParse({ kind: 'observation', record, certificate });
    if (!checked.success) throw new BundleError('malformed-line', `Line ${lines + 1} would not be a valid observation line: ${describeIssues(checked.error, 'observation')}.`, lines + 1);
    line(checked.data, true);
    counts.observation += 1;
    if (pendingBytes >= CHUNK_BYTES) yield take();
  }

  const body: ManifestBody = ManifestBody.parse({
    type: MANIFEST_TYPE,
    hello: helloDigest,
    lines: root.size,
    observations: counts.observation,
    root: root.root().toString('hex'),
    exportedAt: options.exportedAt.toISOString(),
    cursor: options.cursor,
  });
  const envelope = signEnvelope(MANIFEST_PAYLOAD_TYPE, canonicalBytes(body), [options.signer]);
  const manifestLine = line({ kind: 'manifest', envelope }, false);
  yield take();
  onProgress?.(lines);
  return { digest: hash('sha256', manifestLine, 'hex'), manifest: body, counts, lines, bytes };
}

const LF = Buffer.of(0x0a);

/**
 * Streams the bundle into `sink`, waiting for it to drain when it asks to (bounded memory
 * however slow the disk). Does not end the sink: the caller closes (and syncs) its file, and on
 * a refusal removes it, since what was written so far is no bundle.
 */
export async function writeBundle(sink: Writable, options: WriteBundleOptions): Promise<WrittenBundle> {
  const chunks = bundleChunks(options);
  for (;;) {
    const next = await chunks.next();
    if (next.done) return next.value;
    if (sink.errored) throw sink.errored;
    if (sink.destroyed || sink.writableEnded) throw new Error('The sink was closed before the bundle was written to its end.');
    if (!sink.write(next.value)) await drained(sink, options.signal);
  }
}

/** Until the sink drains; rejects if it fails or closes first (a closed sink never drains), or when the signal fires. */
async function drained(sink: Writable, signal: AbortSignal | undefined): Promise<void> {
  const stop = new AbortController();
  const abandon = () => stop.abort();
  signal?.addEventListener('abort', abandon, { once: true });
  try {
    await Promise.race([
      once(sink, 'drain', { signal: stop.signal }),
      once(sink, 'close', { signal: stop.signal }).then(() => {
        throw sink.errored ?? new Error('The sink was closed before the bundle was written to its end.');
      }),
    ]);
  } catch (error) {
    if (signal?.aborted) throw new BundleError('cancelled', 'Writing the bundle was cancelled.');
    throw error;
  } finally {
    signal?.removeEventListener('abort', abandon);
    stop.abort();
  }
}
