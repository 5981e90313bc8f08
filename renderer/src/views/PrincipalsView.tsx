/** The mesh's enrolled devices, operators and boundary agents, with their certificates' status. */
import { useEffect, useState } from 'react';
import type { MethodResult } from '../../../core/api/index.js';
import { bridge, unwrap } from '../entente.js';

type Principal = MethodResult<'listPrincipals'>['principals'][number];

export function PrincipalsView({ refreshKey }: { refreshKey: string }) {
  const [principals, setPrincipals] = useState<Principal[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    unwrap(bridge().listPrincipals({}))
      .then((result) => current && setPrincipals(result.principals))
      .catch((failure: Error) => current && setError(failure.message));
    return () => {
      current = false;
    };
  }, [refreshKey]);

  return (
    <section className="card" aria-labelledby="principals-heading" data-testid="principals">
      <h2 id="principals-heading">Devices and operators</h2>
      {error && <div role="alert" className="banner banner-error">{error}</div>}
      {principals && principals.length === 0 && <p className="empty">Nothing enrolled yet: <code>entente device enroll --device ID</code>.</p>}
      {principals && principals.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Role</th>
              <th scope="col">Key</th>
              <th scope="col">Valid until</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {principals.map((p) => (
              <tr key={`${p.role}:${p.id}`} data-testid={`principal-${p.id}`}>
                <td className="mono nowrap" title={`certificate ${p.certificateSha256}`}>
                  {p.id}
                </td>
                <td>{p.role}</td>
                <td>{p.algorithm}</td>
                <td className="nowrap">{p.notAfter.slice(0, 10)}</td>
                <td>
                  <span className={`badge ${p.status === 'active' ? 'badge-ok' : 'badge-bad'}`}>{p.status}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
