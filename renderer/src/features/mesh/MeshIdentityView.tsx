/** Which national mesh this console stands for, and the trust anchor that vouches for it. */
import type { MethodResult } from '../../../../core/api/index.js';

interface Props {
  mesh: MethodResult<'getMeshIdentity'>['mesh'];
  home: string;
}

export function MeshIdentityView({ mesh, home }: Props) {
  return (
    <section className="card" aria-labelledby="mesh-heading" data-testid="mesh-identity">
      <h2 id="mesh-heading">Mesh identity</h2>
      {mesh ? (
        <dl className="facts">
          <dt>Mesh</dt>
          <dd>
            {mesh.code} · {mesh.displayName}
          </dd>
          <dt>Trust anchor</dt>
          <dd className="mono" data-testid="trust-anchor">{mesh.trustAnchorSha256}</dd>
          <dt>Issuing CA</dt>
          <dd className="mono">{mesh.issuerSha256 === mesh.trustAnchorSha256 ? 'the root itself' : mesh.issuerSha256}</dd>
          <dt>Label policy</dt>
          <dd>{mesh.labelPolicy}</dd>
          <dt>Private keys</dt>
          <dd>
            {mesh.keysEncrypted ? (
              'encrypted under the workspace passphrase'
            ) : (
              <span className="badge badge-bad">unencrypted (test or demo home)</span>
            )}
          </dd>
        </dl>
      ) : (
        <div className="empty">
          <p>This workspace has no national authority yet.</p>
          <p>
            Create one with <code>entente mesh init --home {home} --mesh CODE</code>.
          </p>
        </div>
      )}
    </section>
  );
}
