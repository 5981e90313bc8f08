/**
 * The console's frame: the header with the connection to the core, then each feature's views
 * (more arrive with each part of the mission). The frame asks only what decides the layout.
 */
import { AuditLogView } from '../features/audit/AuditLogView.js';
import { FederationsView } from '../features/federations/FederationsView.js';
import { useMeshIdentity } from '../features/mesh/mesh-identity.js';
import { MeshIdentityView } from '../features/mesh/MeshIdentityView.js';
import { PrincipalsView } from '../features/mesh/PrincipalsView.js';
import { ObservationsView } from '../features/observations/ObservationsView.js';
import { useWorkspaceInfo } from '../features/workspace/workspace-info.js';
import { WorkspaceView } from '../features/workspace/WorkspaceView.js';
import { RefusalBanner } from '../shared/RefusalBanner.js';
import { useContract } from '../shared/use-contract.js';
import { ConnectionStatus, type Connection } from './ConnectionStatus.js';

export function App() {
  const app = useContract('getAppInfo', {});
  const identity = useMeshIdentity();
  const workspace = useWorkspaceInfo();

  const error = app.error ?? identity.error ?? workspace.error;
  const connection: Connection = error
    ? { state: 'unreachable' }
    : app.data && identity.data && workspace.data
      ? { state: 'connected', version: app.data.version }
      : { state: 'connecting' };
  const mesh = identity.data?.mesh ?? null;

  return (
    <div className="console">
      <header className="console-header">
        <div className="brand">
          <img src="/entente.svg" alt="" width={28} height={28} />
          <span className="brand-name">Entente</span>
          <span className="brand-tagline">cross-mesh reconciliation</span>
        </div>
        <ConnectionStatus connection={connection} />
      </header>
      <main className="console-main">
        {error && <RefusalBanner error={error} />}
        {app.data && identity.data && workspace.data && (
          <div className="grid">
            <MeshIdentityView mesh={mesh} home={workspace.data.home} />
            <WorkspaceView workspace={workspace.data} />
            {mesh && <PrincipalsView />}
            {mesh && <ObservationsView />}
            {mesh && <FederationsView />}
            {mesh && <AuditLogView />}
          </div>
        )}
      </main>
    </div>
  );
}
