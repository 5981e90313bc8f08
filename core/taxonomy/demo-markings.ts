/**
 * Demo marking equivalences for DEU, NLD, FRA, GBR and USA against the NATO levels
 * (data/markings-equivalences.json, DOMAIN.md §3 after EU Council Decision 2013/488/EU App. B):
 * what each national authority would attest, gaps included — France has no CONFIDENTIAL,
 * GBR's OFFICIAL is only close to NATO RESTRICTED. Statements, not attestations: each home
 * signs its own with its authority's key (tests, the demo).
 */
import { z } from 'zod';
import { MeshCode } from '../common/atoms.js';
import data from './data/markings-equivalences.json' with { type: 'json' };
import { Relation } from './grades.js';
import { TermText } from './vocabulary.js';

const Statement = z.strictObject({ mesh: MeshCode, term: TermText, relation: Relation, pivot: TermText, note: z.string().max(512).optional() });
const File = z.strictObject({ source: z.string().min(1), pivot: z.literal('NATO'), statements: z.array(Statement).min(1) });

export type MarkingStatement = z.infer<typeof Statement>;

// Parsed at load: a broken data file fails the first test that imports this module.
const file = File.parse(data);

export const DEMO_MARKINGS_SOURCE: string = file.source;

/** The statements of one mesh (all of them without an argument). */
export function demoMarkingStatements(mesh?: string): MarkingStatement[] {
  return file.statements.filter((s) => mesh === undefined || s.mesh === mesh);
}
