/**
 * What the crossing's hostile tests share: bundles carried between real homes, bundles written
 * by hand with the real writer and an agent's real hello and key (as a dishonest or broken
 * exporter would), and the checks every case ends with — nothing admitted or half-written, the
 * log, the observations and the SQLite file all still sound.
 */
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { expect } from 'vitest';
import { canonicalBytes } from '../canonical/jcs.js';
import { readStrictJson } from '../canonical/strict-json.js';
import { writeBundle, type BundleObservation } from '../boundary/bundle/writer.js';
import type { SectionLine } from '../boundary/bundle/format.js';
import { signHello, type HelloBody } from '../boundary/hello.js';
import type { JsonValue } from '../common/json.js';
import type { DsseEnvelope } from '../crypto/dsse.js';
import { nationalLabel } from './federated-homes.js';
import type { TestHome } from './test-homes.js';

export async function observe(h: TestHome, classification: string, subject: string, options: { releasableTo?: string[]; class?: string } = {}) {
  return h.observations.observe({
    device: 'sensor-1',
    class: options.class ?? 'track',
    subject,
    labelText: nationalLabel(h.code, classification, options.releasableTo),
    payloadText: '{"lat":54.1,"lon":12.2}',
    derivedFrom: [],
    derivation: null,
  });
}

export { exportTo, importFile } from './federated-homes.js';

export function storedRecord(h: TestHome, id: string): { record: Record<string, JsonValue>; certificate: string; pem: string } {
  const record = readStrictJson(h.db.prepare('SELECT record FROM observations WHERE id = ?').pluck().get(id) as string) as Record<string, JsonValue> & { device: { certificate: string } };
  const pem = h.db.prepare('SELECT pem FROM certificates WHERE sha256 = ?').pluck().get(record.device.certificate) as string;
  return { record, certificate: record.device.certificate, pem };
}

/** The next whole second (CRLs and declarations state times to the second), once the real clock has passed it. */
export async function nextWholeSecond(): Promise<Date> {
  const next = new Date(Math.floor(Date.now() / 1000) * 1000 + 1000);
  while (Date.now() < next.getTime() + 10) await new Promise((resolve) => setTimeout(resolve, 50));
  return next;
}

/** The hello a home's agent signs for `to`, and its key: what a hand-written bundle opens with. */
export async function agentHello(h: TestHome, to: string, federation: string) {
  const { envelope, signer } = await h.agents.helloFor({ to, federation });
  return { envelope, signer: { key: signer.key, keyid: signer.keyid } };
}

export function helloBody(envelope: DsseEnvelope): HelloBody {
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as HelloBody;
}

/** A hello of the same agent with some of its body changed, signed again with the agent's own key. */
export function resignedHello(envelope: DsseEnvelope, signer: { key: KeyObject; keyid: string }, change: (body: HelloBody) => HelloBody): DsseEnvelope {
  return signHello(change(helloBody(envelope)), signer.key, signer.keyid);
}

export interface HandWritten {
  readonly hello: DsseEnvelope;
  readonly signer: { key: KeyObject; keyid: string };
  readonly sections: readonly SectionLine[];
  readonly observations: readonly BundleObservation[];
}

/** Writes a bundle with the real writer: what an exporter that skipped release control (or lied) would produce. */
export async function writeByHand(file: string, bundle: HandWritten): Promise<string> {
  const sink = createWriteStream(file);
  const written = await writeBundle(sink, { hello: bundle.hello, sections: bundle.sections, observations: bundle.observations, signer: bundle.signer, exportedAt: new Date(), cursor: '1' });
  sink.end();
  await once(sink, 'finish');
  return written.digest;
}

/** The certificate, CRL and attestation lines a real export of `h` to `to` carries (read back from one). */
export function sectionsOf(file: string): SectionLine[] {
  return linesOf(file)
    .slice(1, -1)
    .map((line) => JSON.parse(line.toString('utf8')) as SectionLine | { kind: 'observation' })
    .filter((line): line is SectionLine => line.kind !== 'observation');
}

/** The file's lines, LF excluded. */
export function linesOf(file: string): Buffer[] {
  const bytes = readFileSync(file);
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      lines.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  return lines;
}

/** Byte offset where line `index` (0-based) starts. */
export function lineOffset(file: string, index: number): number {
  return linesOf(file)
    .slice(0, index)
    .reduce((at, line) => at + line.length + 1, 0);
}

/** One byte of line `index` (0-based) changed: a letter or digit inside a string, so the line stays JSON. */
export function flipInLine(source: string, target: string, index: number, where: (line: string) => number) {
  const bytes = readFileSync(source);
  const line = linesOf(source)[index]!.toString('utf8');
  const within = where(line);
  let at = within;
  while (!/[B-Yb-y2-7]/.test(line[at]!)) at++;
  const offset = lineOffset(source, index) + at;
  bytes[offset] = bytes[offset]! ^ 0x01;
  writeFileSync(target, bytes);
}

export function encodeLine(value: unknown): Buffer {
  return Buffer.concat([canonicalBytes(value), Buffer.of(0x0a)]);
}

const TABLES = ['observations', 'crossings', 'foreign_admissions', 'quarantine', 'bundle_imports', 'bundle_refusals', 'taints', 'attestations'] as const;

/** Row counts of everything an import may write (the log and integrity events aside). */
export function rowCounts(h: TestHome): Record<(typeof TABLES)[number], number> {
  return Object.fromEntries(TABLES.map((t) => [t, h.db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number])) as Record<(typeof TABLES)[number], number>;
}

export function integrityEvents(h: TestHome, kind: string) {
  return h.integrity.list({ kind, limit: 100 }).events;
}

/** The log verifies, every stored observation verifies, and SQLite finds its file sound. */
export async function expectSound(h: TestHome): Promise<void> {
  expect(h.audit.verify().failures).toEqual([]);
  expect((await h.observations.verifyAll()).failures).toEqual([]);
  expect(h.db.prepare('PRAGMA integrity_check').pluck().all()).toEqual(['ok']);
}
