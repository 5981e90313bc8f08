/**
 * `entente federation propose|sign|export|import|status|withdraw`: declaring a federation,
 * collecting every partner's signature, carrying it between meshes as files, and leaving it.
 */
import { writeFileSync } from 'node:fs';
import type { FederationSummaryView } from '../../app/federations/federation-views.js';
import { JsonError, readStrictJson } from '../../canonical/strict-json.js';
import type { Command, CommandContext } from '../command.js';
import { Refusal, UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { readInputFile, refusing, withMesh } from './shared.js';

const MAX_FILE_BYTES = 4 * 1024 * 1024;

function readJsonFile(path: string, what: string): unknown {
  try {
    return readStrictJson(readInputFile(path, what, MAX_FILE_BYTES), { maxBytes: MAX_FILE_BYTES });
  } catch (error) {
    if (error instanceof JsonError) throw Refusal.one('malformed-file', `The ${what} file ${path}: ${error.message}`);
    throw error;
  }
}

function federationId(values: CommandContext['values']): string {
  const id = values.id;
  if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]{2,63}$/.test(id)) throw new UsageError('--id needs a federation id: 3–64 lowercase letters, digits and hyphens.');
  return id;
}

const describeStatus = (s: FederationSummaryView) =>
  [
    `${s.id} v${s.version}${s.inForce !== null && s.inForce !== s.version ? ` (v${s.inForce} in force)` : ''}: ${s.state}`,
    `  ${s.purpose}`,
    `  partners: ${s.partners.map((p) => `${p.mesh} ${p.withdrawn ? 'withdrew' : p.signature}`).join(', ')}`,
    `  valid ${s.start} → ${s.expires}`,
    ...(s.exitHeld ? ['  exit held: only an unconfirmed clock jump passed the expiry; `entente time confirm` runs it'] : []),
  ].join('\n');

export const federationProposeCommand: Command = {
  name: 'federation propose',
  summary: 'Propose a federation (from --file, or from partner cards and flags) and sign it for this mesh.',
  usage:
    'entente federation propose (--file DECL.json | --partner CARD.json … --purpose TEXT --classes track,incident --ceiling LEVEL --expires ISO --exit purge|retain) [--home DIR] [--json]',
  options: {
    file: { type: 'string' },
    partner: { type: 'string', multiple: true },
    purpose: { type: 'string' },
    classes: { type: 'string' },
    ceiling: { type: 'string' },
    expires: { type: 'string' },
    exit: { type: 'string' },
  },
  run: async (context) => {
    const { values } = context;
    const fromFile = typeof values.file === 'string';
    if (!fromFile) {
      const missing = ['partner', 'purpose', 'classes', 'ceiling', 'expires', 'exit'].filter((name) => values[name] === undefined);
      if (missing.length > 0) throw new UsageError(`federation propose needs --file DECL.json, or ${missing.map((m) => `--${m}`).join(', ')}.`);
      if (values.exit !== 'purge' && values.exit !== 'retain') throw new UsageError('--exit is purge or retain.');
      if (Number.isNaN(Date.parse(String(values.expires)))) throw new UsageError(`--expires needs an ISO 8601 time such as 2027-01-31T00:00:00Z, not "${String(values.expires).slice(0, 32)}".`);
    }
    const candidateFromFile = fromFile ? readJsonFile(values.file as string, 'declaration') : undefined;
    const partnerCards = fromFile ? [] : (values.partner as string[]).map((path) => readJsonFile(path, 'partner card'));
    return withMesh(context, 'sign the declaration with the mesh’s issuing key', async ({ federations }) => {
      const proposed = await refusing(async () =>
        candidateFromFile !== undefined
          ? federations.propose(candidateFromFile)
          : federations.proposeFromOptions({
              partners: partnerCards,
              purpose: String(values.purpose),
              classes: String(values.classes).split(',').map((c) => c.trim()).filter(Boolean),
              ceiling: String(values.ceiling),
              expires: new Date(String(values.expires)).toISOString(),
              exit: values.exit as 'purge' | 'retain',
            }),
      );
      return { json: { id: proposed.id, version: proposed.version, digest: proposed.digest }, text: `Proposed federation ${proposed.id} version ${proposed.version}, signed for this mesh.\n${proposed.id}` };
    });
  },
};

export const federationSignCommand: Command = {
  name: 'federation sign',
  summary: "Sign the newest version of a federation with this mesh's authority.",
  usage: 'entente federation sign --id ID [--home DIR] [--json]',
  options: { id: { type: 'string' } },
  run: async (context) => {
    const id = federationId(context.values);
    return withMesh(context, 'sign the declaration with the mesh’s issuing key', async ({ federations }) => {
      const evaluation = await refusing(async () => federations.sign(id));
      const status = federations.summary(id);
      return { json: { ...status, state: evaluation.state }, text: describeStatus(status) };
    });
  },
};

export const federationExportCommand: Command = {
  name: 'federation export',
  summary: 'Write a federation (newest version, its signatures, withdrawals) to a file for the partners.',
  usage: 'entente federation export --id ID --out FILE [--home DIR] [--json]',
  options: { id: { type: 'string' }, out: { type: 'string' } },
  run: async ({ home, values }) => {
    const id = federationId(values);
    if (typeof values.out !== 'string') throw new UsageError('--out needs the file to write the federation to.');
    const out = values.out;
    return withCore(home, async ({ services }) => {
      const exchange = await refusing(async () => services.federations.export(id));
      writeFileSync(out, `${JSON.stringify(exchange, null, 2)}\n`, { flag: 'w' });
      return { json: { id, out, signatures: exchange.signatures.length }, text: `Wrote federation ${id} with ${exchange.signatures.length} signature(s) to ${out}` };
    });
  },
};

export const federationImportCommand: Command = {
  name: 'federation import',
  summary: "Take in a partner's federation file: the declaration, the signatures that verify, withdrawals.",
  usage: 'entente federation import FILE [--home DIR] [--json]',
  options: {},
  maxPositionals: 1,
  run: async (context) => {
    const path = context.positionals[0];
    if (path === undefined) throw new UsageError('federation import needs the federation file to read.');
    const text = readInputFile(path, 'federation', MAX_FILE_BYTES);
    return withMesh(context, 'record the import in the log with the mesh’s issuing key', async ({ federations }) => {
      const evaluation = await refusing(async () => federations.import(text));
      const status = federations.summary(evaluation.id);
      return { json: { ...status }, text: describeStatus(status) };
    });
  },
};

export const federationStatusCommand: Command = {
  name: 'federation status',
  summary: 'List federations: state, version, partners and each authority’s signature; runs exits that fell due.',
  usage: 'entente federation status [--home DIR] [--json]',
  options: {},
  run: async (context) =>
    // The key is asked for only when an exit fell due: reading status alone needs none.
    withMesh(context, 'run the exits that fell due with the mesh’s issuing key', async ({ federations }) => {
      const statuses = await refusing(async () => federations.status());
      const jump = federations.clockJump();
      const clockJump = jump && { from: jump.from.toISOString(), to: jump.to.toISOString(), boundHours: jump.boundMs / 3_600_000 };
      const warning = clockJump ? [`The workstation clock (${clockJump.to}) is more than ${clockJump.boundHours} h past the last trusted time (${clockJump.from}): exits it would trigger are held; check the clock, then run \`entente time confirm\`.`] : [];
      return { json: { federations: statuses, clockJump }, text: [...warning, statuses.length === 0 ? 'No federations.' : statuses.map(describeStatus).join('\n')].join('\n') };
    }),
};

export const federationWithdrawCommand: Command = {
  name: 'federation withdraw',
  summary: 'Withdraw this mesh from a federation: signed, recorded, and its exit run at once.',
  usage: 'entente federation withdraw --id ID --reason TEXT [--home DIR] [--json]',
  options: { id: { type: 'string' }, reason: { type: 'string' } },
  run: async (context) => {
    const id = federationId(context.values);
    const reason = context.values.reason;
    if (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > 1000) throw new UsageError('--reason needs a sentence (at most 1,000 characters) saying why.');
    return withMesh(context, 'sign the withdrawal with the mesh’s issuing key', async ({ federations }) => {
      await refusing(async () => federations.withdraw(id, reason));
      const status = federations.summary(id);
      return { json: { ...status }, text: describeStatus(status) };
    });
  },
};
