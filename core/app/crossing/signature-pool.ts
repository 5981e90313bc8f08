/**
 * The bundle import's device signatures checked on worker threads, a block ahead of admission:
 * while the main thread judges and stores block k (SQLite, one transaction), the workers check
 * the per-record Ed25519/P-256 signatures of block k+1. A worker's answer is a pre-check, not a
 * verdict: the judge still runs every check in the order (shape, integrity, credential
 * chain at the record's time and now, scope…) and only takes the worker's answer in place of
 * its own signature check, for a plain record signed by the key of the very certificate the
 * bundle carries under the SHA-256 the record names — the key the credential check returns. A
 * record the worker could not check (unusual shape, batch-attested, unknown certificate, a
 * worker gone) is checked by the judge itself.
 *
 * Worker threads load JavaScript only: the worker is the built `crossing-signature-worker.mjs`
 * (scripts/build.mjs puts it beside the CLI); without one, the judge checks everything itself.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Per record: not checked (the judge checks it), good, or bad. */
export const UNCHECKED = 0;
export const GOOD = 1;
export const BAD = 2;

export interface SignatureTask {
  readonly id: number;
  /** Device certificates (PEM) the worker has not been sent yet. */
  readonly certificates: readonly string[];
  /** The records, as values (copied to the worker by structured clone)... */
  readonly records?: readonly unknown[];
  /** ... or as the bundle's observation lines, one buffer with each line's end offset: the worker reads them (LineBytes). */
  readonly lines?: LineBytes;
}

/** Observation lines of a bundle, end to end (LF excluded), and where each ends: one transfer, not a clone per record. */
export interface LineBytes {
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

export interface SignatureAnswer {
  readonly id: number;
  readonly verdicts: Uint8Array;
  /** Per record, 32 bytes: the SHA-256 of the signed text checked (its id), where its verdict is GOOD or BAD. */
  readonly ids: Uint8Array;
  /**
   * Per record, its canonical text (RFC 8785, what the store keeps) where its verdict is GOOD or
   * BAD and plain-shape.ts's textsOfPlain wrote it beside the signed text; null elsewhere.
   */
  readonly texts: readonly (string | null)[];
}

/** A block's answers: per record its verdict, and (32 bytes each) its id where the verdict is GOOD or BAD. */
export interface SignatureChecks {
  readonly verdicts: Uint8Array;
  readonly ids: Uint8Array;
  /** Per record, its canonical text where the workers wrote it (SignatureAnswer.texts); absent or null elsewhere. */
  readonly texts?: readonly (string | null | undefined)[];
}

/** The canonical text the workers wrote of record `i`, or undefined when they did not check it or wrote none. */
export function checkedText(checks: SignatureChecks | undefined, i: number): string | undefined {
  if (!checks || checks.verdicts[i] === UNCHECKED || checks.verdicts[i] === undefined) return undefined;
  return checks.texts?.[i] ?? undefined;
}

/** The id the workers named record `i` by (lowercase hex), or undefined when they did not check it. */
export function checkedId(checks: SignatureChecks | undefined, i: number): string | undefined {
  if (!checks || checks.verdicts[i] === UNCHECKED || checks.verdicts[i] === undefined) return undefined;
  return Buffer.from(checks.ids.buffer, checks.ids.byteOffset + i * 32, 32).toString('hex');
}

export interface SignaturePoolOptions {
  /** The built worker (dist/cli/crossing-signature-worker.mjs). */
  readonly url: URL;
  /** Default: every core. */
  readonly threads?: number;
  /**
   * Bundles with fewer observations are checked in the importing thread (default
   * WORTH_WORKERS_FROM): starting a worker costs a few tenths of a second, and a bundle of one
   * block has nothing for the workers to get ahead on.
   */
  readonly from?: number;
}

export const WORTH_WORKERS_FROM = 2_048;

export interface SignaturePool {
  /** A certificate the bundle carries, for the records after it. */
  addCertificate(pem: string): void;
  /** Verdicts for `records`, in order; never rejects (a failed worker leaves its records unchecked). */
  check(records: readonly unknown[]): Promise<SignatureChecks>;
  /**
   * The same for a bundle's observation lines, each as its bytes (a pass-2 block's, hash checked):
   * the worker reads each as the reader did (format.ts parseVerifiedLine), so its answer is for
   * the very value admission judges, without cloning that value to it.
   */
  checkLines(lines: readonly Buffer[]): Promise<SignatureChecks>;
  close(): Promise<void>;
}

export function startSignaturePool(options: SignaturePoolOptions): SignaturePool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const workers = Array.from({ length: threads }, () => {
    // A worker holds a block of records and the partners' keys: its heap is capped, so the
    // import's peak memory (issue 13: 256 MB for a 1 GB bundle) is not three full heaps. One that
    // runs out exits, and its records are left to the judge.
    const worker = new Worker(options.url, { resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } });
    const waiting = new Map<number, (answer: SignatureAnswer | null) => void>();
    const state = { worker, waiting, sent: 0, failed: false };
    const fail = () => {
      state.failed = true;
      for (const resolve of waiting.values()) resolve(null);
      waiting.clear();
    };
    worker.on('message', (answer: SignatureAnswer) => {
      waiting.get(answer.id)?.(answer);
      waiting.delete(answer.id);
    });
    worker.once('error', fail);
    worker.once('exit', fail);
    return state;
  });
  const certificates: string[] = [];
  let nextId = 0;

  const ask = (state: (typeof workers)[number], work: Pick<SignatureTask, 'records' | 'lines'>): Promise<SignatureAnswer | null> => {
    if (state.failed) return Promise.resolve(null);
    const id = nextId++;
    const task: SignatureTask = { id, certificates: certificates.slice(state.sent), ...work };
    state.sent = certificates.length;
    return new Promise((resolve) => {
      state.waiting.set(id, resolve);
      state.worker.postMessage(task, work.lines ? [work.lines.bytes.buffer as ArrayBuffer, work.lines.ends.buffer as ArrayBuffer] : []);
    });
  };

  /** `count` items shared out in order, a slice per worker (`work(from, to)` makes its task), the answers put back in order. */
  const spread = async (count: number, work: (from: number, to: number) => Pick<SignatureTask, 'records' | 'lines'>): Promise<SignatureChecks> => {
    const verdicts = new Uint8Array(count);
    const ids = new Uint8Array(count * 32);
    const texts: (string | null)[] = new Array<string | null>(count).fill(null);
    const share = Math.ceil(count / workers.length);
    await Promise.all(
      workers.map(async (state, i) => {
        const from = i * share;
        if (from >= count) return;
        const expected = Math.min(share, count - from);
        const answer = await ask(state, work(from, from + expected));
        if (answer && answer.verdicts.length === expected && answer.ids.length === expected * 32 && answer.texts.length === expected) {
          verdicts.set(answer.verdicts, from);
          ids.set(answer.ids, from * 32);
          for (let j = 0; j < expected; j++) texts[from + j] = answer.texts[j]!;
        }
      }),
    );
    return { verdicts, ids, texts };
  };

  return {
    addCertificate: (pem) => void certificates.push(pem),
    check: (records) => spread(records.length, (from, to) => ({ records: records.slice(from, to) })),
    checkLines: (lines) => spread(lines.length, (from, to) => ({ lines: lineBytes(lines.slice(from, to)) })),
    async close() {
      await Promise.all(workers.map((state) => state.worker.terminate()));
    },
  };
}

/** Lines end to end in one new buffer (transferred to a worker, so never a pooled one), with their end offsets. */
function lineBytes(lines: readonly Buffer[]): LineBytes {
  let total = 0;
  for (const line of lines) total += line.length;
  const bytes = new Uint8Array(new ArrayBuffer(total));
  const ends = new Uint32Array(lines.length);
  let at = 0;
  lines.forEach((line, i) => {
    bytes.set(line, at);
    ends[i] = at += line.length;
  });
  return { bytes, ends };
}
