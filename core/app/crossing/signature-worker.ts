/**
 * Worker thread of signature-pool.ts: checks the device signature of each plain,
 * signature-attested record with the key of the certificate it names (by the SHA-256 of its
 * DER, as record.device.certificate names it), exactly as the verifier would
 * (core/observation/verify.ts: the signed text of the plain record, verifyBytes), and names it
 * by the SHA-256 of that text (its id), so the importing thread need not write the text again;
 * nor the record's own canonical text, which is written beside it (textsOfPlain) and sent back
 * for the store.
 * Records come as values, or as a bundle's observation lines, read here as the bundle reader
 * read them in the importing thread (parseVerifiedLine over the same bytes).
 * Anything else is left unchecked, for the judge.
 */
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { LINE_JSON_LIMITS, parseVerifiedLine } from '../../boundary/bundle/format.js';
import { verifyBytes } from '../../crypto/signatures.js';
import { hasPlainShape, textsOfPlain } from '../../observation/plain-shape.js';
import { BAD, GOOD, UNCHECKED, type LineBytes, type SignatureAnswer, type SignatureTask } from './signature-pool.js';

const keys = new Map<string, KeyObject>();

interface Written {
  readonly ids: Uint8Array<ArrayBuffer>;
  readonly texts: (string | null)[];
}

function verdictOf(candidate: unknown, written: Written, at: number): number {
  if (!hasPlainShape(candidate)) return UNCHECKED;
  const integrity = candidate.lineage.integrity;
  if (integrity.type !== 'signature') return UNCHECKED;
  const key = keys.get(candidate.device.certificate);
  if (!key) return UNCHECKED;
  let signed: string;
  try {
    const texts = textsOfPlain(candidate);
    signed = texts.signed;
    written.texts[at] = texts.record ?? null;
  } catch {
    return UNCHECKED;
  }
  const bytes = Buffer.from(signed, 'utf8');
  written.ids.set(createHash('sha256').update(bytes).digest(), at * 32);
  return verifyBytes(bytes, integrity.alg, integrity.sig, key) ? GOOD : BAD;
}

/** An observation line's record, read as pass 2 read it; undefined for a line that is not one (the judge's to refuse). */
function recordOfLine(lines: LineBytes, i: number): unknown {
  const start = i === 0 ? 0 : lines.ends[i - 1]!;
  const bytes = Buffer.from(lines.bytes.buffer, lines.bytes.byteOffset + start, lines.ends[i]! - start);
  try {
    const parsed = parseVerifiedLine(bytes, 0, LINE_JSON_LIMITS);
    return parsed.kind === 'item' && parsed.value.kind === 'observation' ? parsed.value.record : undefined;
  } catch {
    return undefined;
  }
}

parentPort!.on('message', (task: SignatureTask) => {
  for (const pem of task.certificates) {
    try {
      const certificate = new X509Certificate(pem);
      keys.set(createHash('sha256').update(certificate.raw).digest('hex'), certificate.publicKey);
    } catch {
      /* unreadable here: its records stay unchecked, and the judge refuses them by name */
    }
  }
  const count = task.lines ? task.lines.ends.length : (task.records?.length ?? 0);
  const verdicts = new Uint8Array(count);
  const written: Written = { ids: new Uint8Array(count * 32), texts: new Array<string | null>(count).fill(null) };
  for (let i = 0; i < count; i++) verdicts[i] = verdictOf(task.lines ? recordOfLine(task.lines, i) : task.records![i], written, i);
  const answer: SignatureAnswer = { id: task.id, verdicts, ids: written.ids, texts: written.texts };
  parentPort!.postMessage(answer, [verdicts.buffer, written.ids.buffer]);
});
