/**
 * A hostile or damaged export never crashes verification, never hangs it, and never verifies:
 * random damage to a real bundle (characters changed, inserted, cut; values swapped for others)
 * always ends in a report that names a failure.
 */
import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { signBundle, verifyBundle } from '../../audit/bundle.js';
import { latestCheckpoint } from '../../store/audit-store.js';
import { openDatabase } from '../../store/database.js';
import { makeTempDir } from '../../test-support/temp-dir.js';
import { authorityActor } from '../context/log.js';
import { createServices } from '../services.js';

let whole: string;
let filtered: string;
/** A filtered export whose authority signed entries the filter does not select. */
let overreaching: string;
beforeAll(async () => {
  const dir = makeTempDir();
  const db = openDatabase(dir.file('entente.db'));
  const deu = createServices(db);
  await deu.mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: false });
  const { mesh } = deu.mesh.require();
  for (let i = 0; i < 4; i++) {
    await deu.audit.append([
      { type: 'decision', who: authorityActor(mesh), what: { ids: [], subject: `track:${i % 2}` }, why: { reasons: ['kept-local'], text: `decision ${i}` } },
    ]);
  }
  // A partner witnesses the log, so the exports carry a cosignature and the witness's anchor too.
  const nld = openDatabase(dir.file('nld.db'));
  const partner = createServices(nld);
  await partner.mesh.init({ mesh: 'NLD', algorithm: 'P-256', encryptKeys: false });
  const witnessed = await partner.witness.witness(deu.witness.trust(), deu.witness.presentHead(null));
  if (!witnessed.ok) throw new Error(witnessed.message);
  deu.witness.acceptCosignature(partner.witness.trust(), witnessed.cosignature.envelope);
  whole = JSON.stringify(await deu.audit.bundle({}));
  filtered = JSON.stringify(await deu.audit.bundle({ subject: 'track:1' }));
  const { format: _format, statement: _statement, ...track1 } = await deu.audit.bundle({ subject: 'track:1' });
  const track0 = (await deu.audit.bundle({ subject: 'track:0' })).entries;
  const entries = [...track0, ...track1.entries].sort((a, b) => a.seq - b.seq);
  const signer = (await deu.context.writing().log()).signer;
  overreaching = JSON.stringify(signBundle({ ...track1, entries }, latestCheckpoint(db, 'DEU')!, signer));
  nld.close();
  db.close();
  dir.remove();
});

/**
 * What a bundle proves, written one way: every field (the export time and the filter too, since
 * the export statement signs them), with certificates as DER and envelope payloads as bytes —
 * PEM whitespace and base64 spellings that decode to the same bytes are the same evidence.
 */
function evidence(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const rest = value as Record<string, unknown>;
  const der = (pem: unknown) => {
    try {
      return new X509Certificate(String(pem)).raw.toString('hex');
    } catch {
      return pem;
    }
  };
  const envelopes = (list: unknown) =>
    Array.isArray(list) ? list.map((e: unknown) => (e && typeof e === 'object' && 'payload' in e ? { ...e, payload: Buffer.from(String((e as { payload: unknown }).payload), 'base64').toString('hex') } : e)) : list;
  return JSON.stringify({
    ...rest,
    anchor: der(rest.anchor),
    certificates: Array.isArray(rest.certificates) ? rest.certificates.map(der) : rest.certificates,
    checkpoints: envelopes(rest.checkpoints),
    cosignatures: envelopes(rest.cosignatures),
    statement: (envelopes([rest.statement]) as unknown[])[0],
    witnesses: Array.isArray(rest.witnesses)
      ? rest.witnesses.map((w: unknown) => (w && typeof w === 'object' ? { ...w, anchor: der((w as { anchor: unknown }).anchor), certificates: (w as { certificates: unknown }).certificates } : w))
      : rest.witnesses,
  });
}

/** Damage that leaves the text the same length or changes it a little, anywhere. */
const damage = (text: string) =>
  fc.oneof(
    fc.tuple(fc.nat({ max: text.length - 1 }), fc.string({ minLength: 1, maxLength: 3 })).map(([at, s]) => text.slice(0, at) + s + text.slice(at + s.length)),
    fc.tuple(fc.nat({ max: text.length - 1 }), fc.string({ minLength: 1, maxLength: 3 })).map(([at, s]) => text.slice(0, at) + s + text.slice(at)),
    fc.tuple(fc.nat({ max: text.length - 1 }), fc.integer({ min: 1, max: 40 })).map(([at, n]) => text.slice(0, at) + text.slice(at + n)),
    fc.nat({ max: text.length - 1 }).map((at) => text.slice(0, at)),
  );

describe('a damaged audit export', () => {
  it('verifies when untouched, the partner’s cosignature included, and says what it is complete up to', () => {
    expect(verifyBundle(whole).failures).toEqual([]);
    expect(verifyBundle(filtered).failures).toEqual([]);
    expect(verifyBundle(filtered)).toMatchObject({ completeUpTo: { size: verifyBundle(whole).head!.size }, filter: { subject: 'track:1' }, selection: { entries: 2, proven: true } });
    expect(verifyBundle(whole).witnesses).toEqual([{ mesh: 'NLD', anchor: expect.stringMatching(/^[0-9a-f]{64}$/), cosignatures: 1 }]);
  });

  it('names entries that do not match the signed filter, even when the authority signed them', () => {
    expect(verifyBundle(overreaching).failures.map((f) => f.reason)).toEqual(['outside-filter', 'outside-filter']);
  });

  it('refuses a trust anchor with text glued to its END line (a case the property found)', () => {
    const bundle = JSON.parse(whole) as { anchor: string };
    const glued = { ...bundle, anchor: bundle.anchor.replace(/-----\n?$/, '-----#\n') };
    expect(glued.anchor).not.toBe(bundle.anchor);
    expect(verifyBundle(JSON.stringify(glued)).failures.map((f) => f.reason)).toEqual(['bad-certificate']);
  });

  it('never throws and never verifies, whatever the damage', () => {
    for (const text of [whole, filtered]) {
      fc.assert(
        fc.property(damage(text), (damaged) => {
          fc.pre(damaged !== text);
          const report = verifyBundle(damaged);
          // Whitespace and base64 spellings can change without changing meaning; damage anywhere
          // else — the export time and filter included — must fail.
          const same = (() => {
            try {
              return evidence(JSON.parse(damaged)) === evidence(JSON.parse(text));
            } catch {
              return false;
            }
          })();
          if (!same) expect(report.failures.length, damaged.slice(0, 200)).toBeGreaterThan(0);
          for (const failure of report.failures) expect(failure.message).not.toMatch(/\n/);
        }),
        { numRuns: 1000 },
      );
    }
  });

  it('names, and stays quick on, a bundle that repeats one witness a thousand times', () => {
    const bundle = JSON.parse(whole) as { witnesses: unknown[]; cosignatures: unknown[] };
    const flooded = { ...bundle, witnesses: Array.from({ length: 1000 }, () => bundle.witnesses[0]), cosignatures: Array.from({ length: 2000 }, () => bundle.cosignatures[0]) };
    const report = verifyBundle(JSON.stringify(flooded));
    // The copies are not the one cosignature the export statement lists; the flood of anchors is named too.
    expect(report.failures.map((f) => f.reason)).toEqual(['unlisted-cosignature', 'malformed-bundle']);
    expect(report.failures[1]!.message).toMatch(/more than 4 trust anchors for witness NLD/);
    // Still checked: every copy of the genuine cosignature verifies under the first anchors.
    expect(report.witnesses).toEqual([{ mesh: 'NLD', anchor: expect.any(String), cosignatures: 2000 }]);
  });

  it('refuses values of the wrong kind in every place', () => {
    const bundle = JSON.parse(whole) as Record<string, unknown>;
    const values: unknown[] = [null, 0, -1, 1e308, 'x', '', [], {}, true, [null], { __proto__: { admin: true } }, 'a'.repeat(100_000)];
    for (const key of Object.keys(bundle)) {
      for (const value of values) {
        if (JSON.stringify(value) === JSON.stringify(bundle[key])) continue;
        const report = verifyBundle(JSON.stringify({ ...bundle, [key]: value }));
        // The export statement lists the cosignatures the exporter held: stripping them all is named.
        if (key === 'cosignatures' && JSON.stringify(value) === '[]') expect(report.failures.map((f) => f.reason)).toEqual(['stripped-cosignature']);
        expect(report.failures.length, `${key} = ${JSON.stringify(value)?.slice(0, 40)}`).toBeGreaterThan(0);
      }
    }
  });
});
