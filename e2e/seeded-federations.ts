/**
 * Federations prepared the way liaison officers would make them, with the built CLI: the home
 * the console opens (DEU) proposes one federation to NLD that NLD signs and sends back (active),
 * and a three-party one POL has not signed yet (proposed). Partner homes live beside it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoMarkingStatements } from '../core/taxonomy/demo-markings.js';

const CLI = join(import.meta.dirname, '..', 'bin', 'entente.mjs');

export interface SeededFederations {
  readonly active: string;
  readonly proposed: string;
}

export function seedFederations(home: string): SeededFederations {
  const env = { ...process.env, ENTENTE_PASSPHRASE: 'e2e exercise passphrase' };
  const partners = join(home, 'partners');
  mkdirSync(partners, { recursive: true });
  const entente = (at: string, args: string[]) => execFileSync(process.execPath, [CLI, ...args, '--home', at], { env, encoding: 'utf8' }).trim();
  const homeOf = (code: string) => (code === 'DEU' ? home : join(partners, code));
  for (const code of ['DEU', 'NLD', 'POL']) {
    entente(homeOf(code), ['mesh', 'init', '--mesh', code]);
    entente(homeOf(code), ['mesh', 'card', '--out', join(partners, `${code}.card.json`)]);
  }
  const propose = (purpose: string, cards: string[], classes: string) =>
    (JSON.parse(entente(home, ['federation', 'propose', ...cards.flatMap((c) => ['--partner', join(partners, `${c}.card.json`)]), '--purpose', purpose, '--classes', classes, '--ceiling', 'SECRET', '--expires', '2099-06-30T00:00:00Z', '--exit', 'purge', '--json'])) as { id: string }).id;
  const carry = (from: string, to: string, id: string) => {
    const file = join(partners, `${from}-${to}-${id}.json`);
    entente(homeOf(from), ['federation', 'export', '--id', id, '--out', file]);
    entente(homeOf(to), ['federation', 'import', file]);
  };

  const active = propose('Exercise BALTIC SHIELD: shared air picture', ['NLD'], 'track,incident');
  carry('DEU', 'NLD', active);
  entente(homeOf('NLD'), ['federation', 'sign', '--id', active]);
  carry('NLD', 'DEU', active);

  const proposed = propose('Three-nation logistics picture', ['NLD', 'POL'], 'logistics');
  carry('DEU', 'NLD', proposed);
  entente(homeOf('NLD'), ['federation', 'sign', '--id', proposed]);
  carry('NLD', 'DEU', proposed);
  return { active, proposed };
}

/**
 * Two tracks observed on DEU after the active federation began, with the CLI: one GEHEIM (NATO
 * SECRET, at the federation's ceiling) and one VS-VERTRAULICH (NATO CONFIDENTIAL), with DEU's demo
 * marking equivalences attested for the federation so the boundary can judge them against the
 * NATO ceiling — what the editor's effect preview judges.
 */
export function seedObservations(home: string, federation: string): { secret: string; confidential: string } {
  const env = { ...process.env, ENTENTE_PASSPHRASE: 'e2e exercise passphrase' };
  const entente = (args: string[], input = '') => execFileSync(process.execPath, [CLI, ...args, '--home', home], { env, encoding: 'utf8', input }).trim();
  const markings = join(home, 'DEU.markings.json');
  writeFileSync(markings, JSON.stringify(demoMarkingStatements('DEU').map(({ term, relation, pivot }) => ({ term, relation, pivot }))));
  entente(['taxonomy', 'attest', '--federation', federation, '--file', markings]);
  entente(['device', 'enroll', '--device', 'sensor-1']);
  const observe = (classification: string, subject: string) => {
    const label = join(home, `${subject.replace(/\W/g, '-')}.label.json`);
    writeFileSync(label, JSON.stringify({ kind: 'originator', policy: { id: 'DEU' }, classification, categories: [], createdAt: new Date().toISOString() }));
    return (JSON.parse(entente(['observe', '--device', 'sensor-1', '--class', 'track', '--subject', subject, '--label', label, '--json'], '{"lat":54.1,"lon":12.2}')) as { id: string }).id;
  };
  return { secret: observe('GEHEIM', 'track:4711'), confidential: observe('VS-VERTRAULICH', 'track:4712') };
}
