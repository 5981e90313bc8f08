/** The console's frame: header with identity, then the views (more arrive with each part of the mission). */
import { useEffect } from 'react';
import { followWorkspaceChanges, useConsoleStore } from './state/console-store.js';
import { MeshIdentityView } from './views/MeshIdentityView.js';
import { AuditLogView } from './views/AuditLogView.js';
import { FederationsView } from './views/FederationsView.js';
import { ObservationsView } from './views/ObservationsView.js';
import { PrincipalsView } from './views/PrincipalsView.js';
import { WorkspaceView } from './views/WorkspaceView.js';

export function App() {
  const { status, data, error, load, revision } = useConsoleStore();

  useEffect(() => {
    void load();
    return followWorkspaceChanges();
  }, [load]);

  return (
    <div className="console">
      <header className="console-header">
        <div className="brand">
          <img src="/entente.svg" alt="" width={28} height={28} />
          <span className="brand-name">Entente</span>
          <span className="brand-tagline">cross-mesh reconciliation</span>
        </div>
        <div className="header-status" data-testid="connection-status">
          {status === 'ready' && data ? (
            <>
              <span className="dot dot-ok" aria-hidden="true" />
              Core connected · v{data.app.version}
            </>
          ) : status === 'failed' ? (
            <>
              <span className="dot dot-bad" aria-hidden="true" />
              Core unreachable
            </>
          ) : (
            'Connecting…'
          )}
        </div>
      </header>
      <main className="console-main">
        {status === 'failed' && (
          <div role="alert" className="banner banner-error">
            {error}
          </div>
        )}
        {data && (
          <div className="grid">
            <MeshIdentityView mesh={data.mesh} home={data.workspace.home} />
            <WorkspaceView workspace={data.workspace} />
            {data.mesh && <PrincipalsView refreshKey={String(revision)} />}
            {data.mesh && <ObservationsView refreshKey={String(revision)} />}
            {data.mesh && <FederationsView refreshKey={String(revision)} />}
            {data.mesh && <AuditLogView refreshKey={String(revision)} />}
          </div>
        )}
      </main>
    </div>
  );
}
