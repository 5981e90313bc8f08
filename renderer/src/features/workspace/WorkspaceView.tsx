/** Where this workspace lives and what its store is. */
import type { MethodResult } from '../../../../core/api/index.js';
import { instant } from '../../shared/format.js';

export function WorkspaceView({ workspace }: { workspace: MethodResult<'getWorkspaceInfo'> }) {
  return (
    <section className="card" aria-labelledby="workspace-heading" data-testid="workspace-info">
      <h2 id="workspace-heading">Workspace</h2>
      <dl className="facts">
        <dt>Home</dt>
        <dd className="mono">{workspace.home}</dd>
        <dt>Store</dt>
        <dd className="mono">{workspace.databasePath}</dd>
        <dt>Workspace id</dt>
        <dd className="mono" title={workspace.workspaceId}>
          {workspace.workspaceId.slice(0, 16)}…
        </dd>
        <dt>Created</dt>
        <dd>{instant(workspace.createdAt)}</dd>
        <dt>Schema</dt>
        <dd>v{workspace.schemaVersion}</dd>
      </dl>
    </section>
  );
}
