// @vitest-environment node
// One stream connection shared by the tabs of an app: leader election and relaying over BroadcastChannel.
import { BroadcastChannel as NodeBroadcastChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOverlayStore, type OverlayStore } from '../src/store/store.js';
import { startLiveFeed, type LiveFeed, type ShareOptions } from '../src/stream/live-feed.js';
import { electLeader, type LockManagerLike } from '../src/stream/tab-leader.js';
import { makeEvents } from './support/events.js';
import { MemoryStorage } from './support/memory-storage.js';
import { TestStreamServer } from './support/sse-server.js';
import { sleep, waitFor } from './support/wait.js';

/** Web Locks semantics: one holder per name, FIFO waiters, abortable while waiting. */
class FakeLocks implements LockManagerLike {
  private held = new Set<string>();
  private queues = new Map<string, { run(): void }[]>();
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(name) ?? [];
      this.queues.set(name, queue);
      const entry = {
        run: () => {
          this.held.add(name);
          void callback().then((value) => {
            this.held.delete(name);
            resolve(value);
            this.next(name);
          });
        },
      };
      options.signal?.addEventListener('abort', () => {
        const at = queue.indexOf(entry);
        if (at !== -1) {
          queue.splice(at, 1);
          reject(new Error('AbortError'));
        }
      });
      queue.push(entry);
      this.next(name);
    });
  }
  private next(name: string) {
    if (this.held.has(name)) return;
    this.queues.get(name)?.shift()?.run();
  }
}

let server: TestStreamServer;
const feeds: LiveFeed[] = [];
let channelName: string;

beforeEach(async () => {
  server = await new TestStreamServer().start();
  channelName = `cachescope-test-${Math.random()}`;
});
afterEach(async () => {
  for (const feed of feeds.splice(0)) feed.stop();
  await server.close();
});

function tab(share: ShareOptions): { store: OverlayStore; feed: LiveFeed } {
  const store = createOverlayStore();
  const feed = startLiveFeed(store, {
    url: server.url,
    retryMs: 20,
    snapshotIntervalMs: 50,
    share: { name: channelName, BroadcastChannel: NodeBroadcastChannel as never, ...share },
  });
  feeds.push(feed);
  return { store, feed };
}

describe.each([
  ['Web Locks', () => ({ locks: new FakeLocks() })],
  ['a localStorage heartbeat', () => ({ locks: null, storage: new MemoryStorage(), heartbeatMs: 25 })],
])('tabs sharing one connection through %s', (_name, makeShare) => {
  it('opens one SSE connection for two tabs, relays batches to both, and hands over when the leader leaves', async () => {
    const share = makeShare();
    const a = tab(share);
    const b = tab(share);
    await waitFor(() => server.clientCount === 1);
    await sleep(150);
    expect(server.clientCount).toBe(1);
    expect(server.eventsRequests).toHaveLength(1);

    server.push(makeEvents(1, 20));
    await waitFor(() => a.store.getState().events.length === 20 && b.store.getState().events.length === 20);
    const roles = [a.store.getState().connection.role, b.store.getState().connection.role].sort();
    expect(roles).toEqual(['follower', 'leader']);
    await waitFor(() => b.store.getState().connection.status === 'open' && a.store.getState().connection.status === 'open');

    const [leader, follower] = a.store.getState().connection.role === 'leader' ? [a, b] : [b, a];
    leader.feed.stop();
    await waitFor(() => server.eventsRequests.length === 2 && server.clientCount === 1);
    expect(server.eventsRequests[1]!.lastEventId).toBe('20');
    expect(follower.store.getState().connection.role).toBe('leader');
    server.push(makeEvents(21, 5));
    await waitFor(() => follower.store.getState().events.length === 25);
  });
});

describe('heartbeat election', () => {
  it('takes over from a leader that stopped beating, not from a live one', async () => {
    const storage = new MemoryStorage();
    const key = 'cachescope:leader:x';
    storage.setItem(key, JSON.stringify({ id: 'alive', ts: Date.now() }));
    let led = false;
    const election = electLeader('x', () => (led = true), { locks: null, storage, heartbeatMs: 20 });
    const keepAlive = setInterval(() => storage.setItem(key, JSON.stringify({ id: 'alive', ts: Date.now() })), 10);
    await sleep(120);
    expect(led).toBe(false);
    clearInterval(keepAlive); // the other tab crashed: its beat goes stale
    await waitFor(() => led, 1000);
    election.stop();
    expect(storage.getItem(key)).toBeNull();
  });

  it('leads alone when there is neither Web Locks nor storage', () => {
    let led = false;
    const election = electLeader('y', () => (led = true), { locks: null, storage: null });
    expect(election.mechanism).toBe('solo');
    expect(led).toBe(true);
  });
});
