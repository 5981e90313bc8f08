/**
 * `entente mesh init` gives a workspace its national authority (a fresh root, or an existing
 * national CA imported from PEM); `entente mesh card` writes the public card a partner needs.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { UsageError } from '../failures.js';
import { withCore } from '../open-core.js';
import { passphrasePrompt } from '../passphrase.js';
import { parseAlgorithm, readInputFile, refusing } from './shared.js';
import { isMeshCode } from '../../common/atoms.js';

export const meshInitCommand: Command = {
  name: 'mesh init',
  summary: 'Give this workspace its mesh: a new national root, or an existing CA from PEM.',
  usage: 'entente mesh init --mesh CODE [--name TEXT] [--algorithm ed25519|p256] [--ca-cert PEM --ca-key PEM [--ca-chain PEM]] [--policy FILE] [--insecure-keys]',
  options: {
    mesh: { type: 'string' },
    name: { type: 'string' },
    algorithm: { type: 'string' },
    'ca-cert': { type: 'string' },
    'ca-key': { type: 'string' },
    'ca-chain': { type: 'string' },
    policy: { type: 'string' },
    'insecure-keys': { type: 'boolean' },
  },
  run: async ({ home, values, io }) => {
    const mesh = typeof values.mesh === 'string' ? values.mesh : undefined;
    if (!mesh || !isMeshCode(mesh)) throw new UsageError('--mesh needs a code of 2 to 16 capital letters or digits, such as DEU.');
    const caCert = values['ca-cert'];
    const caKey = values['ca-key'];
    if ((caCert === undefined) !== (caKey === undefined)) throw new UsageError('--ca-cert and --ca-key go together.');
    const insecure = values['insecure-keys'] === true;
    const importCa =
      typeof caCert === 'string' && typeof caKey === 'string'
        ? {
            certificatePem: readInputFile(caCert, 'CA certificate'),
            keyPem: readInputFile(caKey, 'CA key'),
            chainPem: typeof values['ca-chain'] === 'string' ? readInputFile(values['ca-chain'], 'CA chain') : undefined,
          }
        : undefined;
    return withCore(home, async (core) => {
      const row = await refusing(() =>
        core.services.mesh.init({
          mesh,
          displayName: typeof values.name === 'string' ? values.name : undefined,
          algorithm: parseAlgorithm(values.algorithm),
          encryptKeys: !insecure,
          importCa,
          policyJson: typeof values.policy === 'string' ? readInputFile(values.policy, 'label policy') : undefined,
        }),
      );
      return {
        json: { mesh: row.code, trustAnchor: row.anchorSha256, issuer: row.issuerSha256, keysEncrypted: row.keysEncrypted },
        text: [
          `Mesh ${row.code} initialised in ${core.workspace.home}`,
          `trust anchor  ${row.anchorSha256}`,
          `issuing CA    ${row.issuerSha256 === row.anchorSha256 ? 'the root itself' : row.issuerSha256}`,
          row.keysEncrypted ? 'private keys  encrypted under your passphrase' : 'private keys  UNENCRYPTED (--insecure-keys: tests and demos only)',
        ].join('\n'),
      };
    }, insecure ? null : passphrasePrompt(io.env, 'protect this mesh’s private keys'));
  },
};

export const meshCardCommand: Command = {
  name: 'mesh card',
  summary: "Write this mesh's public card (code, trust anchor, label policy) for partners.",
  usage: 'entente mesh card --out FILE [--home DIR] [--json]',
  options: { out: { type: 'string' } },
  run: async ({ home, values }) => {
    if (typeof values.out !== 'string') throw new UsageError('--out needs the file to write the card to.');
    const out = values.out;
    return withCore(home, async ({ services }) => {
      const { mesh } = await refusing(async () => services.mesh.require());
      const card = services.mesh.card();
      writeFileSync(out, `${JSON.stringify(card, null, 2)}\n`, { flag: 'w' });
      return { json: { mesh: mesh.code, trustAnchor: mesh.anchorSha256, out }, text: `Wrote the card of mesh ${mesh.code} to ${out}` };
    });
  },
};

