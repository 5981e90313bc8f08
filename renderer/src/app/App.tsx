/**
 * The console's frame: a skip link, the sticky header with the connection to the core, the rail
 * of views, and the view the URL names. The frame asks only what decides the layout; each view
 * loads its own data through the contract.
 */
import { useCallback, useState } from 'react';
import type { MethodResult } from '../../../core/api/index.js';
import { AuditLogView } from '../features/audit/AuditLogView.js';
import { BundleImportButton, BundleImportPanel, DropTarget, useBundleDrop } from '../features/bundles/BundleImportPanel.js';
import { BoundariesView } from '../features/boundaries/BoundariesView.js';
import { FederationsView } from '../features/federations/FederationsView.js';
import { IntegrityView } from '../features/integrity/IntegrityView.js';
import { LineageView } from '../features/lineage/lazy.js';
import { ProvenanceView } from '../features/provenance/ProvenanceView.js';
import { useMeshIdentity } from '../features/mesh/mesh-identity.js';
import { MeshIdentityView } from '../features/mesh/MeshIdentityView.js';
import { PrincipalsView } from '../features/mesh/PrincipalsView.js';
import { ObservationsView } from '../features/observations/ObservationsView.js';
import { PictureView } from '../features/picture/PictureView.js';
import { QuarantineView } from '../features/quarantine/QuarantineView.js';
import { QUEUE_EVENTS } from '../features/queue/queue-pages.js';
import { QueueView } from '../features/queue/QueueView.js';
import { useWorkspaceInfo } from '../features/workspace/workspace-info.js';
import { WorkspaceView } from '../features/workspace/WorkspaceView.js';
import { RefusalBanner } from '../shared/RefusalBanner.js';
import { useContract } from '../shared/use-contract.js';
import { ClassificationBanner } from './ClassificationBanner.js';
import { ConnectionStatus } from './ConnectionStatus.js';
import { NavRail } from './NavRail.js';
import { useRoute } from './route.js';
import { ShortcutHelp } from './ShortcutHelp.js';
import { useConnection } from './use-connection.js';
import { useShortcuts } from './use-shortcuts.js';
import { VIEWS, type ViewId } from './views.js';

export function App() {
  const connection = useConnection();
  const identity = useMeshIdentity();
  const workspace = useWorkspaceInfo();
  const quarantine = useContract('listQuarantine', { limit: 1 }, { refreshOn: ['crossingChanged'] });
  const queue = useContract('listQueue', { limit: 1 }, { refreshOn: QUEUE_EVENTS });
  const route = useRoute();
  const [help, setHelp] = useState(false);
  const openHelp = useCallback(() => setHelp(true), []);
  useShortcuts(openHelp);
  const dragging = useBundleDrop();

  const error = identity.error ?? workspace.error;
  const mesh = identity.data?.mesh ?? null;
  const ready = identity.data && workspace.data;
  const view = VIEWS.find((v) => v.id === route.view)!;

  return (
    <div className="console">
      <a className="skip-link" href="#view-heading" onClick={(event) => (event.preventDefault(), document.getElementById('view-heading')?.focus())}>
        Skip to the view
      </a>
      <ClassificationBanner position="top" />
      <header className="console-header">
        <div className="brand">
          <img src="/entente.svg" alt="" width={24} height={24} />
          <span className="brand-name">Entente</span>
          {mesh && <span className="brand-mesh" data-testid="header-mesh">{mesh.code} · {mesh.displayName}</span>}
        </div>
        <div className="header-actions">
          {mesh && <BundleImportButton />}
          <ConnectionStatus connection={connection} />
        </div>
      </header>
      <div className="console-body">
        <NavRail current={route.view} badges={{ quarantine: quarantine.data?.open ?? 0, queue: queue.data?.open ?? 0 }} />
        <main className="console-main" aria-labelledby="view-heading" data-testid={`view-${route.view}`}>
          <h1 id="view-heading" className="view-heading" tabIndex={-1}>
            {view.label} <span className="view-hint">{view.hint}</span>
          </h1>
          {error && <RefusalBanner error={error} />}
          <BundleImportPanel />
          {ready && <ViewBody view={route.view} item={route.item} mesh={mesh} home={workspace.data.home} workspace={workspace.data} />}
        </main>
      </div>
      <ClassificationBanner position="bottom" />
      <ShortcutHelp open={help} onClose={() => setHelp(false)} />
      <DropTarget over={dragging} />
    </div>
  );
}

interface BodyProps {
  view: ViewId;
  item: string | null;
  mesh: MethodResult<'getMeshIdentity'>['mesh'];
  home: string;
  workspace: MethodResult<'getWorkspaceInfo'>;
}

function ViewBody({ view, item, mesh, home, workspace }: BodyProps) {
  if (view === 'overview' || !mesh) {
    return (
      <div className="stack">
        <div className="grid">
          <MeshIdentityView mesh={mesh} home={home} />
          <WorkspaceView workspace={workspace} />
        </div>
        {mesh && <PrincipalsView />}
      </div>
    );
  }
  switch (view) {
    case 'picture':
      return <PictureView />;
    case 'observations':
      return <ObservationsView />;
    case 'lineage':
      return <LineageView focus={item} />;
    case 'provenance':
      return <ProvenanceView id={item} />;
    case 'boundaries':
      return <BoundariesView own={mesh.code} />;
    case 'queue':
      return <QueueView selected={item} />;
    case 'quarantine':
      return <QuarantineView />;
    case 'federations':
      return <FederationsView selected={item} own={mesh.code} />;
    case 'audit':
      return <AuditLogView />;
    case 'integrity':
      return <IntegrityView />;
  }
}
