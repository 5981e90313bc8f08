/** Which keys may sign a mesh's checkpoints, and failures named in one line each. */
import { describe, expect, it } from 'vitest';
import { createMeshAuthority, generateKeyPair, issueCaCertificate, parseCertificate, type IssuedCertificate } from '../credentials/index.js';
import { CA_USAGE, DAY, rawCertificate, T } from '../credentials/test-fixtures.js';
import { authorityKeys } from './authority-key.js';

describe('authorityKeys', () => {
  it('gives the anchor’s key while it is valid, and names every refusal in one line', async () => {
    const deu = await createMeshAuthority('DEU', 'Ed25519');
    const nld = await createMeshAuthority('NLD', 'Ed25519');
    const keys = authorityKeys(deu.anchor.pem, [nld.anchor.pem]);
    expect(keys(deu.anchor.sha256, new Date())).toMatchObject({ ok: true });
    const refusals = [
      keys(deu.anchor.sha256, new Date('2526-01-01T00:00:00Z')),
      keys(deu.anchor.sha256, new Date(Number.NaN)),
      keys('0'.repeat(64), new Date()),
      keys(nld.anchor.sha256, new Date()),
    ];
    expect(refusals.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['invalid-time', 'invalid-time', 'unknown-signer', 'unknown-issuer']);
    for (const refusal of refusals) expect(refusal.ok ? '' : refusal.message).not.toMatch(/\n/);
    expect(refusals[0]!.ok ? '' : refusals[0]!.message).toMatch(/^Certificate .*DEU.* was not valid at 2526-01-01T00:00:00.000Z\.$/);
  });
});

/** A root and `depth` CAs below it, each issued by the one above (ours, not openssl: the CLI test has those). */
async function chainOf(mesh: string, depth: number) {
  const root = await createMeshAuthority(mesh, 'Ed25519');
  const cas: IssuedCertificate[] = [];
  let issuer = { issuerCertificatePem: root.anchor.pem, issuerKeys: root.issuerKeys };
  for (let level = 1; level <= depth; level += 1) {
    const keys = generateKeyPair('Ed25519');
    cas.push(await issueCaCertificate({ mesh, name: `${mesh} Level ${level} CA`, subjectPublicKey: keys.publicKey, pathLength: depth - level, ...issuer }));
    issuer = { issuerCertificatePem: cas.at(-1)!.pem, issuerKeys: keys };
  }
  return { root, cas, issuing: cas.at(-1)! };
}

describe('authorityKeys for an issuing CA several levels below the root', () => {
  it('gives the issuing CA’s key through its intermediates, in any order, and refuses a gap or a foreign chain by name', async () => {
    const pol = await chainOf('POL', 4);
    const keys = authorityKeys(pol.root.anchor.pem, [...pol.cas].reverse().map((ca) => ca.pem));
    expect(keys(pol.issuing.sha256, new Date())).toMatchObject({ ok: true });
    const gap = authorityKeys(pol.root.anchor.pem, pol.cas.filter((_, i) => i !== 1).map((ca) => ca.pem))(pol.issuing.sha256, new Date());
    expect(gap).toMatchObject({ ok: false, reason: 'unknown-issuer', message: expect.stringMatching(/POL Level 3 CA.*was issued by .*POL Level 2 CA/) });
    const other = await chainOf('POL', 4);
    const foreign = authorityKeys(pol.root.anchor.pem, [...pol.cas, ...other.cas.slice(1)].map((ca) => ca.pem))(other.issuing.sha256, new Date());
    expect(foreign).toMatchObject({ ok: false, reason: 'unknown-issuer' });
  });

  it('refuses a checkpoint signed after a CA in the middle of the path expired, naming that CA', async () => {
    // Made raw: our issuer clamps a CA's validity to its issuer's, a national PKI need not.
    const [rootKeys, middleKeys, issuingKeys] = [generateKeyPair('Ed25519'), generateKeyPair('Ed25519'), generateKeyPair('Ed25519')];
    const root = { cn: 'POL Root', keys: rootKeys, mesh: 'POL' };
    const middle = { cn: 'POL Level 1 CA', keys: middleKeys, mesh: 'POL' };
    const ca = { ca: true, keyUsage: CA_USAGE, mesh: 'POL' };
    const rootPem = await rawCertificate({ ...root, ...ca });
    const middlePem = await rawCertificate({ ...middle, ...ca, issuer: root, notAfter: new Date(T.start.getTime() + 10 * DAY) });
    const issuingPem = await rawCertificate({ cn: 'POL Issuing CA', keys: issuingKeys, ...ca, pathLength: 0, issuer: middle });
    const keys = authorityKeys(rootPem, [middlePem, issuingPem]);
    const issuing = parseCertificate(issuingPem).sha256;
    expect(keys(issuing, new Date(T.start.getTime() + 9 * DAY))).toMatchObject({ ok: true });
    const later = keys(issuing, new Date(T.start.getTime() + 11 * DAY));
    expect(later).toMatchObject({ ok: false, reason: 'invalid-time', message: expect.stringContaining('POL Level 1 CA') });
  });
});
