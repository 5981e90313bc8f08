/**
 * Worker thread of signature-pool.ts: checks the device signature of each plain,
 * signature-attested record with the key of the certificate it names (by the SHA-256 of its
 * DER, as record.device.certificate names it), exactly as the verifier would
 * (core/observation/verify.ts: the signed text of the plain record, verifyBytes), and names it
 * by the SHA-256 of that text (its id), so the importing thread need not write the text again;
 * nor the record's own canonical text, which is written beside it (textsOfPlain) and sent back
 * for the store.
 * Anything else is left unchecked, for the judge.
 */
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { verifyBytes } from '../../crypto/signatures.js';
import { hasPlainShape, textsOfPlain } from '../../observation/plain-shape.js';
import { BAD, GOOD, UNCHECKED, type SignatureAnswer, type SignatureTask } from './signature-pool.js';

const keys = new Map<string, KeyObject>();

function verdictOf(candidate: unknown, ids: Uint8Array, texts: (string | null)[], at: number): number {
  if (!hasPlainShape(candidate)) return UNCHECKED;
  const integrity = candidate.lineage.integrity;
  if (integrity.type !== 'signature') return UNCHECKED;
  const key = keys.get(candidate.device.certificate);
  if (!key) return UNCHECKED;
  let signed: string;
  try {
    const written = textsOfPlain(candidate);
    signed = written.signed;
    texts[at] = written.record ?? null;
  } catch {
    return UNCHECKED;
  }
  const bytes = Buffer.from(signed, 'utf8');
  ids.set(createHash('sha256').update(bytes).digest(), at * 32);
  return verifyBytes(bytes, integrity.alg, integrity.sig, key) ? GOOD : BAD;
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
  const verdicts = new Uint8Array(task.records.length);
  const ids = new Uint8Array(task.records.length * 32);
  const texts: (string | null)[] = new Array<string | null>(task.records.length).fill(null);
  for (let i = 0; i < task.records.length; i++) verdicts[i] = verdictOf(task.records[i], ids, texts, i);
  const answer: SignatureAnswer = { id: task.id, verdicts, ids, texts };
  parentPort!.postMessage(answer, [verdicts.buffer, ids.buffer]);
});
