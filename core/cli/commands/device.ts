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
  summary: 'Revoke a device (or operator, boundary agent) and publish a new CRL; --compromised-at states since when its key is untrustworthy.',
  usage: 'entente device revoke --device ID [--role …] [--compromised-at ISO] [--home DIR] [--json]',
  options: { ...principalOptions, 'compromised-at': { type: 'string' } },
  run: async ({ home, values, io }) => {
    const id = principalId(values);
    const role = parseRole(values.role);
    const compromisedAt = compromiseTime(values['compromised-at']);
    return withCore(home, async ({ services }) => {
      await refusing(async () => services.mesh.require());
      const revoked = await refusing(() => services.credentials.revoke({ role, id, ...(compromisedAt ? { compromisedAt } : {}) }));
      const { crlNumber, revokedAt } = revoked;
      return {
        json: { role, id, revokedAt, compromisedAt: revoked.compromisedAt, crlNumber },
        text: revoked.compromisedAt
          ? `Revoked ${role} ${id} at ${revokedAt} (key compromised since ${revoked.compromisedAt}); CRL ${crlNumber} published. Its observations made since the compromise are refused, and partners taint them when the CRL reaches them.`
          : `Revoked ${role} ${id} at ${revokedAt}; CRL ${crlNumber} published. Its observations made from now on are refused.`,
      };
    }, passphrasePrompt(io.env, 'sign the revocation list'));
  },
};

/** `--compromised-at`: an ISO 8601 time with its zone, the RFC 5280 §5.3.2 invalidity date. */
function compromiseTime(value: unknown): Date | undefined {
  if (value === undefined) return undefined;
  const at = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : undefined;
  if (!at || Number.isNaN(at.getTime())) throw new UsageError(`--compromised-at needs an ISO 8601 time with its zone, such as 2026-11-23T08:00:00Z, not "${String(value).slice(0, 40)}".`);
  return at;
}

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
