/** Connection state and what was lost: events held, trimmed here, dropped by the server, missed in gaps. */
import type { ConnectionState, DataSource } from '../store/types.js';
import { useOverlay, useOverlayState } from './context.js';

function appName(connection: ConnectionState): string {
  const app = connection.app;
  return app ? `app ${app.name}${app.mode ? ` (${app.mode})` : ''}` : 'this app';
}

function describeConnection(connection: ConnectionState, source: DataSource, url?: string): string {
  if (source.kind === 'file') return 'offline (imported file)';
  const where = url ? ` ${url}` : '';
  const shared = connection.role === 'follower' ? ' (shared by another tab)' : '';
  switch (connection.status) {
    case 'searching':
      return `looking for the stream of ${appName(connection)}${connection.search ? `: ${connection.search}` : '…'}`;
    case 'open':
      return `live${connection.app ? ` · ${appName(connection)}` : ''}${shared}`;
    case 'connecting':
      return `connecting to${where}…`;
    case 'reconnecting':
      return `reconnecting to${where}…${shared}`;
    case 'error':
      return `cannot reach${where}${connection.lastError ? ` (${connection.lastError})` : ''}; retrying${shared}`;
    case 'idle':
      return 'not connected';
  }
}

export function StatusBar() {
  const { controls } = useOverlay();
  const connection = useOverlayState((s) => s.connection);
  const source = useOverlayState((s) => s.source);
  const held = useOverlayState((s) => s.events.length);
  const trimmed = useOverlayState((s) => s.trimmed);
  const serverDropped = useOverlayState((s) => s.serverDropped);
  const missed = useOverlayState((s) => s.missed);
  const evicted = useOverlayState((s) => s.analysis.index?.evicted ?? 0);
  const status = source.kind === 'file' ? 'idle' : connection.status;
  return (
    <footer className="cs-status" data-testid="cachescope-status">
      <span role="status" aria-live="polite">
        <span className="cs-dot" data-status={status} aria-hidden="true" />
        {describeConnection(connection, source, controls.streamUrl)}
      </span>
      <span>{held} events held</span>
      {trimmed > 0 ? <span title="Oldest events trimmed in the browser to bound memory">{trimmed} trimmed here</span> : null}
      {serverDropped > 0 ? <span title="Events the server's bounded buffer overwrote">{serverDropped} dropped by the server</span> : null}
      {missed > 0 ? <span title="Events the stream could not deliver (gaps)">{missed} missed</span> : null}
      {evicted > 0 ? (
        <span title="The server's tag index evicted entries: a NO-OP verdict may be wrong">{evicted} index entries evicted</span>
      ) : null}
    </footer>
  );
}
