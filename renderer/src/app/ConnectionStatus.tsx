/** The header's word on the core: connecting, connected (with its version), or unreachable. */
export type Connection = { state: 'connecting' } | { state: 'connected'; version: string } | { state: 'unreachable' };

export function ConnectionStatus({ connection }: { connection: Connection }) {
  return (
    <div className="header-status" data-testid="connection-status">
      {connection.state === 'connected' ? (
        <>
          <span className="dot dot-ok" aria-hidden="true" />
          Core connected · v{connection.version}
        </>
      ) : connection.state === 'unreachable' ? (
        <>
          <span className="dot dot-bad" aria-hidden="true" />
          Core unreachable
        </>
      ) : (
        'Connecting…'
      )}
    </div>
  );
}
