/** Which keys may sign a mesh's checkpoints, and failures named in one line each. */
import { describe, expect, it } from 'vitest';
import { createMeshAuthority } from '../credentials/index.js';
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
