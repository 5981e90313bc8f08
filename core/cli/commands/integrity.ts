/**
 * `entente integrity list` prints the integrity events this mesh recorded (unknown agents,
 * replays, over-release, taint…), newest first, with their evidence; `entente integrity
 * apply-crl` applies a partner's CRL carried as a file (bundles carry them too): verified against
 * the partner's card, stored, and every observation it shows compromised tainted with its lineage.
 */
import { isMeshCode } from '../../common/atoms.js';
import { INTEGRITY_KIND_PATTERN } from '../../boundary/integrity-kinds.js';
import type { Command } from '../command.js';
import { UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { passphrasePrompt } from '../passphrase.js';
import { readInputFile, refusing } from './shared.js';

/** A partner CRL file: national CRLs can be long (core/credentials refuses one past 16 MiB). */
const MAX_CRL_FILE_BYTES = 16 * 1024 * 1024;

export const integrityListCommand: Command = {
  name: 'integrity list',
  summary: 'List the integrity events recorded (kind, partner, time, message, evidence), newest first.',
  usage: 'entente integrity list [--kind K] [--partner MESH] [--limit N] [--offset N] [--home DIR] [--json]',
  options: { kind: { type: 'string' }, partner: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' } },
  run: async ({ home, values }) => {
    const kind = values.kind;
    if (kind !== undefined && (typeof kind !== 'string' || !INTEGRITY_KIND_PATTERN.test(kind))) throw new UsageError(`--kind is an event kind such as replayed-hello or taint, not "${String(kind).slice(0, 64)}".`);
    const partner = values.partner;
    if (partner !== undefined && !isMeshCode(partner)) throw new UsageError(`--partner is a mesh code such as NLD, not "${String(partner).slice(0, 32)}".`);
    const limit = count(values.limit, 'limit', 100, 1, 10_000);
    const offset = count(values.offset, 'offset', 0, 0, 1_000_000_000);
    return withCore(home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const page = services.integrity.list({ ...(kind !== undefined ? { kind } : {}), ...(partner !== undefined ? { partner: partner as string } : {}), limit, offset });
      const lines = page.events.map((e) => `${e.at}  ${e.kind}${e.partner ? `  ${e.partner}` : ''}${e.federation ? `  ${e.federation}` : ''}  ${e.message}`);
      return {
        json: { total: page.total, events: page.events },
        text: page.events.length === 0 ? 'No integrity events recorded.' : [...lines, `${page.events.length} of ${page.total} integrity events.`].join('\n'),
      };
    });
  },
};

export const integrityApplyCrlCommand: Command = {
  name: 'integrity apply-crl',
  summary: "Apply a partner's CRL: checked against its card, stored, and what it shows compromised tainted with everything derived from it.",
  usage: 'entente integrity apply-crl --partner MESH FILE.crl [--home DIR] [--json]',
  options: { partner: { type: 'string' } },
  maxPositionals: 1,
  run: async ({ home, values, positionals, io }) => {
    const partner = values.partner;
    if (!isMeshCode(partner)) throw new UsageError(`--partner is required: the mesh code whose CRL this is (usage: ${integrityApplyCrlCommand.usage})`);
    const file = positionals[0];
    if (file === undefined) throw new UsageError(`apply-crl needs the CRL file (usage: ${integrityApplyCrlCommand.usage})`);
    const crlPem = readInputFile(file, 'CRL', MAX_CRL_FILE_BYTES);
    return withCore(
      home,
      async ({ services }) => {
        await refusing(async () => services.mesh.require());
        const tainted = await refusing(() => services.integrity.applyPartnerCrl(partner as string, crlPem));
        return { json: { partner, tainted }, text: tainted.length === 0 ? `${partner}'s CRL applied; nothing held here is newly tainted.` : `${partner}'s CRL applied; ${tainted.length} observation(s) newly tainted:\n${tainted.join('\n')}` };
      },
      passphrasePrompt(io.env, 'record it with the mesh’s issuing key'),
    );
  },
};

function count(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^[0-9]{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`--${name} is a whole number from ${min} to ${max}, not "${String(value).slice(0, 32)}".`);
  return n;
}
