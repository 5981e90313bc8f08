/** The mesh's enrolled devices, operators and boundary agents, with their certificates' status. */
import { RefusalBanner } from '../../shared/RefusalBanner.js';
import { useContract } from '../../shared/use-contract.js';
import { MESH_EVENTS } from './mesh-identity.js';

export function PrincipalsView() {
  const { data, error } = useContract('listPrincipals', {}, { refreshOn: MESH_EVENTS });
  const principals = data?.principals ?? null;

  return (
    <section className="card" aria-labelledby="principals-heading" data-testid="principals">
      <h2 id="principals-heading">Devices and operators</h2>
      {error && <RefusalBanner error={error} />}
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
