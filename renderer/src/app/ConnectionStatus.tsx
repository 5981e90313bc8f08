/** The header's word on the core: connecting, connected (with its version), or unreachable since when. */
import { utc } from '../shared/format.js';

export type Connection = { state: 'connecting' } | { state: 'connected'; version: string } | { state: 'unreachable'; since: string };

export function ConnectionStatus({ connection }: { connection: Connection }) {
  return (
    <div className={`header-status header-status-${connection.state}`} data-testid="connection-status" role="status" aria-live="polite">
      {connection.state === 'connected' ? (
        <>
          <span className="dot dot-ok" aria-hidden="true" />
          Core connected · v{connection.version}
        </>
      ) : connection.state === 'unreachable' ? (
        <>
          <span className="dot dot-bad" aria-hidden="true" />
          Core unreachable <span className="muted">since {utc(connection.since, true)} · restart the core and reload</span>
        </>
      ) : (
        'Connecting…'
      )}
    </div>
  );
}
