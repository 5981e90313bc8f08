/**
 * `entente agent request|certify|install|list|revoke`: cross-certifying boundary agents between
 * meshes as files (decision 0005) — the request an agent of this mesh sends a partner, the
 * certificate this mesh issues to a partner's agent, installing the one a partner issued to ours.
 */
import { writeFileSync } from 'node:fs';
import type { Command, CommandContext } from '../command.js';
import { UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { readInputFile, refusing, withMesh } from './shared.js';

/** A request or a certificate with its chain: a few kilobytes; past this a file is refused unread. */
const MAX_PEM_FILE_BYTES = 64 * 1024;

function stringOption(values: CommandContext['values'], name: string, what: string, pattern?: RegExp): string {
  const value = values[name];
  if (typeof value !== 'string' || value.length === 0 || (pattern && !pattern.test(value))) throw new UsageError(`--${name} needs ${what}.`);
  return value;
}

const federationOf = (values: CommandContext['values']) => stringOption(values, 'federation', 'a federation id: 3–64 lowercase letters, digits and hyphens', /^[a-z0-9][a-z0-9-]{2,63}$/);
const agentOf = (values: CommandContext['values']) => stringOption(values, 'agent', 'a boundary agent id of letters, digits and . _ : - (at most 128)', /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/);

export const agentRequestCommand: Command = {
  name: 'agent request',
  summary: "Write a boundary agent's PKCS#10 certification request to a partner, for a federation.",
  usage: 'entente agent request --agent ID --federation ID --out FILE [--home DIR] [--json]',
  options: { agent: { type: 'string' }, federation: { type: 'string' }, out: { type: 'string' } },
  run: async (context) => {
    const agent = agentOf(context.values);
    const federation = federationOf(context.values);
    const out = stringOption(context.values, 'out', 'the file to write the request to');
    return withMesh(context, "use the boundary agent's key", async (services) => {
      const { pem } = await refusing(() => services.agents.request({ agent, federation }));
      writeFileSync(out, pem, { flag: 'w' });
      return { json: { agent, federation, out }, text: `Wrote the certification request of boundary agent ${agent} for ${federation} to ${out}.` };
    });
  },
};

export const agentCertifyCommand: Command = {
  name: 'agent certify',
  summary: "Certify a partner's boundary agent from its request, under a federation this mesh holds.",
  usage: 'entente agent certify --request FILE --federation ID --out FILE [--home DIR] [--json]',
  options: { request: { type: 'string' }, federation: { type: 'string' }, out: { type: 'string' } },
  run: async (context) => {
    const requestFile = stringOption(context.values, 'request', 'the certification request file');
    const federation = federationOf(context.values);
    const out = stringOption(context.values, 'out', 'the file to write the certificate to');
    return withMesh(context, 'use the mesh’s issuing key', async (services) => {
      const requestPem = readInputFile(requestFile, 'certification request', MAX_PEM_FILE_BYTES);
      const issued = await refusing(() => services.agents.certify({ requestPem, federation }));
      writeFileSync(out, issued.pem, { flag: 'w' });
      return {
        json: { partner: issued.partner, agent: issued.agent, federation, certificate: issued.sha256, notAfter: issued.notAfter, out },
        text: `Certified ${issued.partner}'s boundary agent ${issued.agent} for ${federation} until ${issued.notAfter}\ncertificate ${issued.sha256}\nwritten to ${out}`,
      };
    });
  },
};

export const agentInstallCommand: Command = {
  name: 'agent install',
  summary: "Keep a partner's certificate for one of this mesh's boundary agents.",
  usage: 'entente agent install --certificate FILE [--chain FILE] [--home DIR] [--json]',
  options: { certificate: { type: 'string' }, chain: { type: 'string' } },
  run: async (context) => {
    const certificateFile = stringOption(context.values, 'certificate', 'the partner certificate file');
    const chainFile = context.values.chain;
    if (chainFile !== undefined && typeof chainFile !== 'string') throw new UsageError('--chain needs a PEM file of the partner CAs.');
    return withMesh(context, 'sign the log entry', async (services) => {
      const certificatePem = readInputFile(certificateFile, 'certificate', MAX_PEM_FILE_BYTES);
      const intermediatesPem = chainFile === undefined ? undefined : readInputFile(chainFile, 'chain', MAX_PEM_FILE_BYTES);
      const installed = await refusing(() => services.agents.install({ certificatePem, ...(intermediatesPem === undefined ? {} : { intermediatesPem }) }));
      return {
        json: { ...installed },
        text: `Installed ${installed.partner}'s certificate for boundary agent ${installed.agent} under ${installed.federation}, valid until ${installed.notAfter}\ncertificate ${installed.sha256}`,
      };
    });
  },
};

export const agentRevokeCommand: Command = {
  name: 'agent revoke',
  summary: "Revoke the certificates this mesh issued to a partner's boundary agent, and publish a new CRL.",
  usage: 'entente agent revoke --mesh CODE --agent ID [--federation ID] [--home DIR] [--json]',
  options: { mesh: { type: 'string' }, agent: { type: 'string' }, federation: { type: 'string' } },
  run: async (context) => {
    const partner = stringOption(context.values, 'mesh', "the partner's mesh code, such as NLD", /^[A-Z0-9]{2,16}$/);
    const agent = agentOf(context.values);
    const federation = context.values.federation === undefined ? undefined : federationOf(context.values);
    return withMesh(context, 'sign the revocation list', async (services) => {
      const result = await refusing(() => services.agents.revoke({ partner, agent, ...(federation ? { federation } : {}) }));
      return {
        json: { partner, agent, ...result },
        text: `Revoked ${result.revoked.length} certificate(s) issued to ${partner}'s boundary agent ${agent} at ${result.revokedAt}; CRL ${result.crlNumber} published.`,
      };
    });
  },
};

export const agentListCommand: Command = {
  name: 'agent list',
  summary: "List this mesh's boundary agents with their partner certificates, and the certificates issued to partners' agents.",
  usage: 'entente agent list [--home DIR] [--json]',
  options: {},
  run: async ({ home }) =>
    withCore(home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const view = services.agents.list();
      const lines = [
        ...view.agents.flatMap((a) => [
          `${a.id.padEnd(20)} ${a.status.padEnd(13)} until ${a.notAfter.slice(0, 10)}  ${a.homeCertificateSha256.slice(0, 16)}…`,
          ...a.partnerCertificates.map((c) => `  from ${c.partner.padEnd(6)} ${c.federation.padEnd(24)} ${c.status.padEnd(8)} until ${c.notAfter.slice(0, 10)}  ${c.sha256.slice(0, 16)}…`),
        ]),
        ...view.issued.map((c) => `issued to ${c.partner} ${c.agent.padEnd(16)} ${c.federation.padEnd(24)} ${c.status.padEnd(8)} until ${c.notAfter.slice(0, 10)}  ${c.sha256.slice(0, 16)}…`),
      ];
      return { json: { ...view }, text: lines.length === 0 ? 'No boundary agents yet.' : lines.join('\n') };
    }),
};
