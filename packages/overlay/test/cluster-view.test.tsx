// Cluster mode in the panel: the "cluster view lost" banner follows the latest cluster-status event, and each
// request of another instance carries its instance label.
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheScopeEvent, ClusterStatus } from '../src/store/types.js';
import { loadDemoSnapshot } from './support/fixture.js';
import { renderOverlay } from './support/render.js';

afterEach(cleanup);

const status = (state: ClusterStatus['state']): ClusterStatus => ({
  state,
  self: 'A',
  instances: ['A', 'B'],
  published: 1,
  received: 1,
  dropped: 0,
  since: 1,
  ...(state === 'lost' ? { reason: 'connect ECONNREFUSED 127.0.0.1:6390' } : {}),
});

describe('cluster mode in the overlay', () => {
  const snapshot = loadDemoSnapshot();
  const lastId = Math.max(0, ...snapshot.events.map((e) => e.id));
  const clusterEvent = (id: number, state: ClusterStatus['state']) =>
    ({ id, ts: 2_000_000_000_000 + id, pid: 1, instance: 'A', type: 'cluster-status', status: status(state) }) as CacheScopeEvent;

  it('shows the banner while the view is lost and takes it away when it is back', () => {
    const { store } = renderOverlay({ snapshot, initialIsOpen: true });
    expect(screen.queryByTestId('cachescope-cluster-banner')).toBeNull();
    act(() => void store.getState().actions.applyBatch([clusterEvent(lastId + 1, 'lost')]));
    expect(screen.getByTestId('cachescope-cluster-banner').textContent).toMatch(
      /cluster view lost: showing this instance only \(A\).*ECONNREFUSED/,
    );
    act(() => void store.getState().actions.applyBatch([clusterEvent(lastId + 2, 'connected')]));
    expect(screen.queryByTestId('cachescope-cluster-banner')).toBeNull();
  });

  it("labels another instance's request with its instance", () => {
    const fetchEvent = snapshot.events.find((e) => e.type === 'fetch')!;
    const remote = { ...fetchEvent, id: lastId + 10, ts: 2_100_000_000_000, requestId: 'B#1', instance: 'B' } as CacheScopeEvent;
    const { store } = renderOverlay({ snapshot, initialIsOpen: true });
    act(() => void store.getState().actions.applyBatch([remote]));
    expect(screen.getAllByTestId('cachescope-instance').map((e) => e.textContent)).toContain('B');
  });
});
