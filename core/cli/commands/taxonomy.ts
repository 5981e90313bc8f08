/**
 * `entente taxonomy show|define|attest|list`: this mesh's vocabularies (markings from its label
 * policy, and the ones it defines), and the equivalence attestations its authority signs for a
 * federation or admitted from partners (decision 0005, "Taxonomy translation").
 */
import { z } from 'zod';
import type { AttestationView } from '../../app/taxonomy/service.js';
import { MAX_ATTESTATIONS_AT_ONCE } from '../../app/taxonomy/taxonomy-service.js';
import { JsonError, readStrictJson } from '../../canonical/strict-json.js';
import { PATTERNS } from '../../common/atoms.js';
import { Relation } from '../../taxonomy/grades.js';
import { MARKINGS, type Vocabulary } from '../../taxonomy/vocabulary.js';
import type { Command, CommandContext } from '../command.js';
import { Refusal, UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { passphrasePrompt } from '../passphrase.js';
import { readInputFile, refusing } from './shared.js';

const MAX_VOCABULARY_BYTES = 512 * 1024;

const describeVocabulary = (v: Vocabulary) =>
  `${v.name} (pivot ${v.pivot}${v.field === undefined ? '' : `, payload field ${v.field}`}): ${v.terms.map((t) => (t.sidc ? `${t.term} [${t.sidc}]` : t.term)).join(', ')}`;

const describeAttestation = (a: AttestationView) => `${a.id.slice(0, 16)}…  ${a.federation}  ${a.mesh} ${a.vocabulary} "${a.term}" ${a.relation} ${a.pivot.vocabulary} "${a.pivot.term}"  until ${a.expires}${a.own ? '' : '  (partner)'}`;

function text(values: CommandContext['values'], name: string, what: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`--${name} needs ${what}.`);
  return value;
}

function federationOf(values: CommandContext['values']): string {
  const id = text(values, 'federation', 'a federation id');
  if (!PATTERNS.federationId.test(id)) throw new UsageError('--federation needs a federation id: 3–64 lowercase letters, digits and hyphens.');
  return id;
}

export const taxonomyShowCommand: Command = {
  name: 'taxonomy show',
  summary: "Show this mesh's vocabularies: markings from its label policy, and the ones it defined.",
  usage: 'entente taxonomy show [--home DIR] [--json]',
  options: {},
  run: async ({ home }) =>
    withCore(home, async ({ services }) => {
      const vocabularies = await refusing(async () => services.taxonomy.vocabularies());
      return { json: { vocabularies }, text: vocabularies.map(describeVocabulary).join('\n') };
    }),
};

export const taxonomyDefineCommand: Command = {
  name: 'taxonomy define',
  summary: 'Add or replace a vocabulary (unit types with APP-6 SIDCs, event terms); it goes on the mesh card.',
  usage: 'entente taxonomy define --file VOCAB.json [--home DIR] [--json]',
  options: { file: { type: 'string' } },
  run: async (context) => {
    const path = text(context.values, 'file', 'the vocabulary file');
    let candidate: unknown;
    try {
      candidate = readStrictJson(readInputFile(path, 'vocabulary', MAX_VOCABULARY_BYTES), { maxBytes: MAX_VOCABULARY_BYTES, maxDepth: 6 });
    } catch (error) {
      if (error instanceof JsonError) throw Refusal.one('malformed-file', `The vocabulary file ${path}: ${error.message}`);
      throw error;
    }
    return withCore(
      context.home,
      async ({ services }) => {
        const { vocabulary, changed } = await refusing(() => services.taxonomy.define(candidate));
        return {
          json: { name: vocabulary.name, pivot: vocabulary.pivot, terms: vocabulary.terms.length, changed },
          text: `${changed ? 'Defined' : 'Unchanged:'} the ${vocabulary.name} vocabulary (${vocabulary.terms.length} terms, pivot ${vocabulary.pivot}); \`entente mesh card\` now publishes it.`,
        };
      },
      passphrasePrompt(context.io.env, 'record the vocabulary in the log with the mesh’s issuing key'),
    );
  },
};

/** An attest --file is a markings table or two: far below this. */
const MAX_STATEMENTS_BYTES = 1024 * 1024;

/**
 * One statement of an `attest --file`: the demo table's shape (core/taxonomy/data/
 * markings-equivalences.json), whose `mesh` and `note` are allowed; `vocabulary` defaults to
 * markings.
 */
const Statement = z.strictObject({
  vocabulary: z.string().min(1).max(64).optional(),
  term: z.string().min(1).max(256),
  relation: Relation,
  pivot: z.string().min(1).max(256),
  mesh: z.string().max(16).optional(),
  note: z.string().max(1024).optional(),
});
const StatementsFile = z.union([z.array(Statement).min(1).max(MAX_ATTESTATIONS_AT_ONCE), z.looseObject({ statements: z.array(Statement).min(1).max(MAX_ATTESTATIONS_AT_ONCE) })]);

/** The statements of a file, or a refusal naming what is wrong with it. */
function statementsOf(path: string): z.infer<typeof Statement>[] {
  let candidate: unknown;
  try {
    candidate = readStrictJson(readInputFile(path, 'statements', MAX_STATEMENTS_BYTES), { maxBytes: MAX_STATEMENTS_BYTES, maxDepth: 6 });
  } catch (error) {
    if (error instanceof JsonError) throw Refusal.one('malformed-file', `The statements file ${path}: ${error.message}`);
    throw error;
  }
  const parsed = StatementsFile.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw Refusal.one('malformed-file', `The statements file ${path} is not a list of {vocabulary?, term, relation, pivot} (${issue ? `${issue.path.join('.') || 'top level'}: ${issue.message}` : 'wrong shape'}).`);
  }
  return Array.isArray(parsed.data) ? parsed.data : parsed.data.statements;
}

export const taxonomyAttestCommand: Command = {
  name: 'taxonomy attest',
  summary: "Sign equivalence attestations for this mesh's terms, for a federation: one, or a whole table from --file.",
  usage:
    'entente taxonomy attest --federation F (--vocabulary V --term T --relation exact|close|broader|narrower --pivot-term P | --file STATEMENTS.json) [--home DIR] [--json]',
  options: { federation: { type: 'string' }, vocabulary: { type: 'string' }, term: { type: 'string' }, relation: { type: 'string' }, 'pivot-term': { type: 'string' }, file: { type: 'string' } },
  run: async (context) => {
    const { values } = context;
    const federation = federationOf(values);
    if (values.file !== undefined) {
      const single = ['vocabulary', 'term', 'relation', 'pivot-term'].filter((name) => values[name] !== undefined);
      if (single.length > 0) throw new UsageError(`--file names every statement; leave out ${single.map((n) => `--${n}`).join(', ')}.`);
      return attestFile(context, federation, text(values, 'file', 'the statements file'));
    }
    const vocabulary = text(values, 'vocabulary', 'the vocabulary the term is in, such as markings');
    const term = text(values, 'term', 'the term to attest');
    const relation = Relation.safeParse(values.relation);
    if (!relation.success) throw new UsageError('--relation is exact, close, broader or narrower.');
    const pivotTerm = text(values, 'pivot-term', 'the pivot term, such as SECRET');
    return withCore(
      context.home,
      async ({ services }) => {
        const { id, body, envelope } = await refusing(() => services.taxonomy.attest({ federation, vocabulary, term, relation: relation.data, pivotTerm }));
        return {
          json: { id, ...body, envelope },
          text: `Attested for ${body.federation}: ${body.mesh} ${body.vocabulary} "${body.term}" ${body.relation} ${body.pivot.vocabulary} "${body.pivot.term}", until ${body.expires}\n${id}`,
        };
      },
      passphrasePrompt(context.io.env, 'sign the attestation with the mesh’s issuing key'),
    );
  },
};

/** `attest --file`: this mesh's statements of the file (another mesh's, in a shared table, are left to that mesh), all or none. */
async function attestFile(context: CommandContext, federation: string, path: string) {
  const statements = statementsOf(path);
  return withCore(
    context.home,
    async ({ services }) => {
      const { mesh } = await refusing(async () => services.mesh.require());
      const own = statements.filter((s) => s.mesh === undefined || s.mesh === mesh.code);
      if (own.length === 0) throw Refusal.one('no-statements', `The statements file ${path} holds no statement of ${mesh.code}'s (each names another mesh).`);
      const attested = await refusing(() =>
        services.taxonomy.attestAll(own.map((s) => ({ federation, vocabulary: s.vocabulary ?? MARKINGS, term: s.term, relation: s.relation, pivotTerm: s.pivot }))),
      );
      const skipped = statements.length - own.length;
      return {
        json: { federation, attested: attested.map(({ id, body }) => ({ id, vocabulary: body.vocabulary, term: body.term, relation: body.relation, pivot: body.pivot, expires: body.expires })), skipped },
        text: [
          `Attested ${attested.length} equivalence(s) for ${federation}${skipped > 0 ? ` (${skipped} statement(s) of other meshes left to them)` : ''}:`,
          ...attested.map(({ id, body }) => `  ${id.slice(0, 16)}…  ${body.vocabulary} "${body.term}" ${body.relation} ${body.pivot.vocabulary} "${body.pivot.term}"`),
        ].join('\n'),
      };
    },
    passphrasePrompt(context.io.env, 'sign the attestations with the mesh’s issuing key'),
  );
}

export const taxonomyListCommand: Command = {
  name: 'taxonomy list',
  summary: "List equivalence attestations held: this mesh's and its partners'.",
  usage: 'entente taxonomy list [--federation F] [--home DIR] [--json]',
  options: { federation: { type: 'string' } },
  run: async ({ home, values }) => {
    const federation = values.federation === undefined ? undefined : federationOf(values);
    return withCore(home, async ({ services }) => {
      const attestations = await refusing(async () => services.taxonomy.list(federation === undefined ? {} : { federation }));
      return { json: { attestations }, text: attestations.length === 0 ? 'No attestations.' : attestations.map(describeAttestation).join('\n') };
    });
  },
};
