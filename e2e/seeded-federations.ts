/**
 * Federations prepared the way liaison officers would make them, with the built CLI: the home
 * the console opens (DEU) proposes one federation to NLD that NLD signs and sends back (active),
 * and a three-party one POL has not signed yet (proposed). Partner homes live beside it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

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
