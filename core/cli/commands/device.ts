/** `entente device enroll|revoke|list`: the mesh's principals and their certificates. */
import type { Command } from '../command.js';
import { UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { passphrasePrompt } from '../passphrase.js';
import { parseAlgorithm, parseRole, refusing } from './shared.js';

const principalOptions = { device: { type: 'string' }, role: { type: 'string' } } as const;

function principalId(values: Record<string, unknown>): string {
  const id = values.device;
  if (typeof id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id)) {
    throw new UsageError('--device needs an id of letters, digits and . _ : - (at most 128).');
  }
  return id;
}

export const deviceEnrollCommand: Command = {
  name: 'device enroll',
  summary: 'Enrol a device (or --role operator|boundary-agent): new key pair and certificate.',
  usage: 'entente device enroll --device ID [--role device|operator|boundary-agent] [--algorithm ed25519|p256] [--home DIR] [--json]',
  options: { ...principalOptions, algorithm: { type: 'string' } },
  run: async ({ home, values, io }) => {
    const id = principalId(values);
    const role = parseRole(values.role);
    const algorithm = parseAlgorithm(values.algorithm);
    return withCore(home, async ({ services }) => {
      const { mesh } = await refusing(async () => services.mesh.require());
      const { certificate } = await refusing(() => services.credentials.enrol({ role, id, algorithm }));
      return {
        json: { role, id, certificate: certificate.sha256, serial: certificate.serial, notAfter: certificate.notAfter },
        text: `Enrolled ${role} ${id} in mesh ${mesh.code}\ncertificate ${certificate.sha256}\nvalid until ${certificate.notAfter}`,
      };
    }, passphrasePrompt(io.env, 'use the mesh’s issuing key'));
  },
};

export const deviceRevokeCommand: Command = {
  name: 'device revoke',
  summary: 'Revoke a device (or operator, boundary agent) and publish a new CRL.',
  usage: 'entente device revoke --device ID [--role …] [--home DIR] [--json]',
  options: principalOptions,
  run: async ({ home, values, io }) => {
    const id = principalId(values);
    const role = parseRole(values.role);
    return withCore(home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const { crlNumber, revokedAt } = await refusing(() => services.credentials.revoke({ role, id }));
      return {
        json: { role, id, revokedAt, crlNumber },
        text: `Revoked ${role} ${id} at ${revokedAt}; CRL ${crlNumber} published. Its observations made from now on are refused.`,
      };
    }, passphrasePrompt(io.env, 'sign the revocation list'));
  },
};

export const deviceListCommand: Command = {
  name: 'device list',
  summary: "List the mesh's devices, operators and boundary agents with certificate status.",
  usage: 'entente device list [--home DIR] [--json]',
  options: {},
  run: async ({ home }) =>
    withCore(home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const list = services.credentials.principals(['device', 'operator', 'boundary-agent']);
      return {
        json: { principals: list },
        text:
          list.length === 0
            ? 'Nothing enrolled yet.'
            : list.map((p) => `${p.id.padEnd(20)} ${p.role.padEnd(14)} ${p.status.padEnd(13)} ${p.algorithm.padEnd(7)} until ${p.notAfter.slice(0, 10)}  ${p.certificateSha256.slice(0, 16)}…`).join('\n'),
      };
    }),
};
