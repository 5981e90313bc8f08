/**
 * A hostile or damaged federation file is refused with a named reason — never a crash, never a
 * half-written store — whatever was done to it; only the genuine file, or one whose changes do
 * not touch what is signed, is taken in.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Refused } from '../../common/refused.js';
import { declarationFor, type TestMesh } from '../../federation/test-fixtures.js';
import { openDatabase, type WriteDb } from '../../store/database.js';
import { makeTempDir, type TempDir } from '../../test-support/temp-dir.js';
import { createServices, type Services } from '../services.js';

let dir: TempDir;
let deu: WriteDb;
let nld: WriteDb;
let nldServices: Services;
let file: string;
beforeAll(async () => {
  dir = makeTempDir();
  deu = openDatabase(dir.file('deu.db'));
  nld = openDatabase(dir.file('nld.db'));
  const deuServices = createServices(deu);
  nldServices = createServices(nld);
  await deuServices.mesh.init({ mesh: 'DEU', algorithm: 'Ed25519', encryptKeys: false });
  await nldServices.mesh.init({ mesh: 'NLD', algorithm: 'P-256', encryptKeys: false });
  const meshes = [deuServices, nldServices].map((s) => ({ code: s.mesh.require().mesh.code, card: s.mesh.card() }) as unknown as TestMesh);
  const { id } = await deuServices.federations.propose(declarationFor(meshes));
  file = JSON.stringify(deuServices.federations.export(id));
});
afterAll(() => {
  deu.close();
  nld.close();
  dir.remove();
});

const damage = (text: string) =>
  fc.oneof(
    fc.tuple(fc.nat({ max: text.length - 1 }), fc.string({ minLength: 1, maxLength: 3 })).map(([at, s]) => text.slice(0, at) + s + text.slice(at + s.length)),
    fc.tuple(fc.nat({ max: text.length - 1 }), fc.integer({ min: 1, max: 60 })).map(([at, n]) => text.slice(0, at) + text.slice(at + n)),
    fc.nat({ max: text.length - 1 }).map((at) => text.slice(0, at)),
  );

const counts = (db: WriteDb) => ['federation_versions', 'federation_signatures', 'audit_entries'].map((t) => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get());

describe('a damaged federation file', () => {
  it('is refused by name and writes nothing, or is the same declaration and signatures', async () => {
    const before = counts(nld);
    await fc.assert(
      fc.asyncProperty(damage(file), async (damaged) => {
        fc.pre(damaged !== file);
        try {
          await nldServices.federations.import(damaged);
        } catch (error) {
          expect(error).toBeInstanceOf(Refused);
          expect((error as Refused).message).not.toMatch(/\n/);
          expect(counts(nld)).toEqual(before);
          return;
        }
        // Accepted: the damage left what is signed intact (whitespace, say). Undo for the next run.
        expect(JSON.parse(damaged)).toMatchObject({ signatures: JSON.parse(file).signatures });
        nld.exec("DELETE FROM federation_signatures; DELETE FROM federation_versions;");
        before.splice(0, before.length, ...counts(nld));
      }),
      { numRuns: 600 },
    );
  });
});
