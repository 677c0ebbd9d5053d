/** Cluster mode: says when the view of the other instances is lost (Redis away) and this one is shown alone. */
import { useMemo } from 'react';
import { latestClusterStatus } from '../store/cluster.js';
import { useOverlayState } from './context.js';

export function ClusterBanner() {
  const events = useOverlayState((s) => s.events);
  const status = useMemo(() => latestClusterStatus(events), [events]);
  if (status?.state !== 'lost') return null;
  return (
    <div className="cs-banner cs-banner-problems" role="status" data-testid="cachescope-cluster-banner">
      <span>
        cluster view lost: showing this instance only ({status.self}){status.reason ? ` — ${status.reason}` : ''}. Reconnecting…
      </span>
    </div>
  );
}
