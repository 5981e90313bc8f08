/** `entente lineage ID`: an observation's provenance chain, with every log entry about each id. */
import type { Command } from '../command.js';
import { UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { MAX_AUDIT_EXPORT_BYTES, readInputFile, refusing } from './shared.js';
import { isSha256Hex } from '../../common/atoms.js';

export const lineageCommand: Command = {
  name: 'lineage',
  summary: "Show an observation's provenance: derivations, crossings and decisions, across meshes.",
  usage: 'entente lineage ID [--with BUNDLE]… [--home DIR] [--json]',
  options: { with: { type: 'string', multiple: true } },
  maxPositionals: 1,
  run: async ({ home, values, positionals }) => {
    const id = positionals[0];
    if (id === undefined || !isSha256Hex(id)) throw new UsageError('lineage needs an observation id: 64 lowercase hex characters.');
    const bundles = ((values.with as string[] | undefined) ?? []).map((path) => ({ name: path, text: readInputFile(path, 'audit export', MAX_AUDIT_EXPORT_BYTES) }));
    return withCore(home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const chain = services.provenance.lineage(id, bundles);
      const lines: string[] = [];
      for (const node of chain.nodes) {
        const head =
          node.found === 'unresolved'
            ? `${node.id}  unresolved reference: held nowhere consulted`
            : `${node.id}  ${node.mesh} ${node.class ?? ''} ${node.subject ?? ''} by ${node.device} at ${node.observedAt}${node.derivation ? `, derived with ${node.derivation}` : ''}${node.found === 'exported' ? ' (from an export)' : ''}`;
        lines.push(head.replace(/ {2,}/g, ' '));
        if (node.flagged) lines.push(`  FLAGGED (${node.flagged.reason}): ${node.flagged.message}`);
        if (node.sources.length > 0) lines.push(`  sources: ${node.sources.join(', ')}`);
        for (const e of node.events) lines.push(`  ${e.wall} ${e.type} by ${e.who} (${e.reasons.join(', ')}) — log ${e.log} #${e.seq}${e.from === 'this workspace' ? '' : `, from ${e.from}`}`);
      }
      for (const x of chain.exports) if (!x.verified) lines.push(`export ${x.name} was not used: ${x.failures[0]?.message ?? 'it does not verify'}`);
      if (chain.truncated) lines.push(`The chain was cut after ${chain.nodes.length} observations.`);
      return { json: { ...chain }, text: lines.join('\n') };
    });
  },
};
