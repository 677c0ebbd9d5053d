/** Cluster mode: the latest `cluster-status` event the stream sent (the link to the other instances). */
import type { CacheScopeEvent, ClusterStatus } from './types.js';

export function latestClusterStatus(events: readonly CacheScopeEvent[]): ClusterStatus | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'cluster-status') return e.status;
  }
  return undefined;
}
