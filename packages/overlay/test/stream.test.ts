// @vitest-environment node
// The live feed against a real local SSE server (same wire format as the instrument's stream server).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOverlayStore, type OverlayStore } from '../src/store/store.js';
import { startLiveFeed, type LiveFeed } from '../src/stream/live-feed.js';
import { makeEvents } from './support/events.js';
import { loadDemoSnapshot } from './support/fixture.js';
import { TestStreamServer } from './support/sse-server.js';
import { sleep, waitFor } from './support/wait.js';

let server: TestStreamServer;
const feeds: LiveFeed[] = [];

beforeEach(async () => {
  server = await new TestStreamServer().start();
});
afterEach(async () => {
  for (const feed of feeds.splice(0)) feed.stop();
  await server.close();
});

function start(store: OverlayStore, extra: Partial<Parameters<typeof startLiveFeed>[1]> = {}): LiveFeed {
  const feed = startLiveFeed(store, { url: server.url, share: false, retryMs: 20, maxRetryMs: 100, snapshotIntervalMs: 50, ...extra });
  feeds.push(feed);
  return feed;
}

const ids = (store: OverlayStore) => store.getState().events.map((e) => e.id);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('live feed', () => {
  it('loads the snapshot first, then streams from its last id (Last-Event-ID)', async () => {
    server.record(makeEvents(1, 5));
    const store = createOverlayStore();
    start(store);
    await waitFor(() => store.getState().connection.status === 'open');
    expect(ids(store)).toEqual(range(1, 5));
    expect(server.snapshotRequests).toBeGreaterThanOrEqual(1);
    expect(server.eventsRequests[0]!.lastEventId).toBe('5');
  });

  it('applies each SSE batch as one store update', async () => {
    const store = createOverlayStore();
    start(store);
    await waitFor(() => server.clientCount === 1);
    let eventUpdates = 0;
    store.subscribe((state, prev) => {
      if (state.events !== prev.events) eventUpdates++;
    });
    server.push(makeEvents(1, 200));
    await waitFor(() => store.getState().events.length === 200);
    server.push(makeEvents(201, 300));
    server.push(makeEvents(501, 100));
    await waitFor(() => store.getState().events.length === 600);
    expect(eventUpdates).toBe(3);
  });

  it('reconnects after the connection drops and replays what it missed with Last-Event-ID', async () => {
    const store = createOverlayStore();
    start(store);
    await waitFor(() => server.clientCount === 1);
    server.push(makeEvents(1, 10));
    await waitFor(() => store.getState().events.length === 10);
    server.snapshotEventsUpTo = 10;
    server.dropClients();
    server.record(makeEvents(11, 5)); // recorded while the client is away
    await waitFor(() => store.getState().events.length === 15);
    expect(server.eventsRequests).toHaveLength(2);
    expect(server.eventsRequests[1]!.lastEventId).toBe('10');
    expect(ids(store)).toEqual(range(1, 15));
    expect(store.getState().connection.status).toBe('open');
  });

  it('dedupes events the server replays twice', async () => {
    server.replayOverlap = 4;
    const store = createOverlayStore();
    start(store);
    await waitFor(() => server.clientCount === 1);
    server.push(makeEvents(1, 10));
    await waitFor(() => store.getState().events.length === 10);
    server.dropClients();
    server.record(makeEvents(11, 3));
    await waitFor(() => store.getState().lastEventId === 13);
    await sleep(50);
    expect(ids(store)).toEqual(range(1, 13));
  });

  it('keeps memory bounded on a long stream and counts what it trimmed', async () => {
    const store = createOverlayStore({ maxEvents: 50 });
    start(store);
    await waitFor(() => server.clientCount === 1);
    for (let first = 1; first <= 120; first += 20) server.push(makeEvents(first, 20));
    await waitFor(() => store.getState().lastEventId === 120);
    expect(ids(store)).toEqual(range(71, 120));
    expect(store.getState().trimmed).toBe(70);
  });

  it('counts events reported missing by a gap message', async () => {
    const store = createOverlayStore();
    start(store);
    await waitFor(() => server.clientCount === 1);
    server.sendRaw('event: gap\ndata: {"missed":120,"from":3,"to":122,"reason":"evicted"}\n\n');
    await waitFor(() => store.getState().missed === 120);
  });

  it('starts over when the server restarted with new ids', async () => {
    const store = createOverlayStore();
    start(store);
    await waitFor(() => server.clientCount === 1);
    server.push(makeEvents(1, 30));
    await waitFor(() => store.getState().events.length === 30);
    server.restart(makeEvents(1, 3)); // new process, ids from 1 again
    await waitFor(() => store.getState().events.length === 3 && store.getState().lastEventId === 3);
    expect(server.eventsRequests.at(-1)!.lastEventId).toBe('30');
  });

  it('starts over when another process now serves the stream, even if its ids went past ours', async () => {
    const store = createOverlayStore();
    start(store);
    await waitFor(() => server.clientCount === 1);
    server.push(makeEvents(1, 30));
    await waitFor(() => store.getState().events.length === 30);
    const firstPid = store.getState().connection.serverPid;
    server.snapshotEventsUpTo = 0; // the new events can only come from a replay
    server.restart(makeEvents(1, 50)); // new pid, and already 50 events
    await waitFor(() => store.getState().events.length === 50);
    expect(store.getState().connection.serverPid).not.toBe(firstPid);
    expect(server.eventsRequests.at(-1)!.lastEventId).toBe('0');
  });

  it('applies findings pushed live by the stream', async () => {
    const fixture = loadDemoSnapshot();
    const store = createOverlayStore();
    start(store);
    await waitFor(() => server.clientCount === 1);
    server.sendRaw(`event: findings\ndata: ${JSON.stringify(fixture.findings.slice(0, 2))}\n\n`);
    await waitFor(() => store.getState().analysis.findings.length === 2);
  });

  it('refreshes the analysis from /snapshot after batches, throttled', async () => {
    const fixture = loadDemoSnapshot();
    const store = createOverlayStore();
    start(store);
    await waitFor(() => server.clientCount === 1);
    const before = server.snapshotRequests;
    server.analysis = { tags: fixture.tags, revalidations: fixture.revalidations, findings: fixture.findings };
    for (let i = 0; i < 10; i++) {
      server.push(makeEvents(i * 10 + 1, 10));
      await sleep(10);
    }
    await waitFor(() => store.getState().analysis.findings.length === fixture.findings.length);
    await sleep(120);
    const refreshes = server.snapshotRequests - before;
    expect(refreshes).toBeGreaterThanOrEqual(1);
    expect(refreshes).toBeLessThanOrEqual(5); // 10 batches over ~100 ms, at most one per 50 ms
    // the first load brings the events; refreshes while following the stream ask for the analysis only
    expect(server.snapshotWithEvents[0]).toBe(true);
    expect(server.snapshotWithEvents.slice(-refreshes)).toEqual(Array(refreshes).fill(false));
    expect(ids(store)).toEqual(range(1, 100));
  });

  it('pause holds batches (counted) and resume applies them; cursor keeps advancing', async () => {
    const store = createOverlayStore();
    start(store);
    await waitFor(() => server.clientCount === 1);
    store.getState().actions.setPaused(true);
    server.push(makeEvents(1, 5));
    server.push(makeEvents(6, 5));
    await waitFor(() => store.getState().pausedBatches === 2);
    expect(store.getState().events).toHaveLength(0);
    server.dropClients();
    await waitFor(() => server.eventsRequests.length === 2);
    expect(server.eventsRequests[1]!.lastEventId).toBe('10');
    store.getState().actions.setPaused(false);
    expect(ids(store)).toEqual(range(1, 10));
  });

  it('clear posts /clear and empties the store; a clear message empties it too', async () => {
    const store = createOverlayStore();
    const feed = start(store);
    await waitFor(() => server.clientCount === 1);
    server.push(makeEvents(1, 10));
    await waitFor(() => store.getState().events.length === 10);
    await feed.clearServer();
    expect(server.clearRequests).toBe(1);
    expect(store.getState().events).toHaveLength(0);
    server.push(makeEvents(1, 2)); // ids restart after the clear
    await waitFor(() => store.getState().events.length === 2);
  });

  it('retries while the server is down and shows the error, then connects when it is up', async () => {
    const url = server.url;
    await server.close();
    const store = createOverlayStore();
    start(store, { url });
    await waitFor(() => store.getState().connection.status === 'error');
    expect(store.getState().connection.lastError).toBeTruthy();
    server = await new TestStreamServer().start(Number(new URL(url).port));
    server.record(makeEvents(1, 4));
    await waitFor(() => store.getState().connection.status === 'open' && store.getState().events.length === 4);
  });

  it('says when the stream URL is served by another program (the port is taken)', async () => {
    const other = createServer((req, res) => {
      if (req.url?.startsWith('/events')) res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><h1>my other app</h1>');
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const store = createOverlayStore();
      start(store, { url: `http://127.0.0.1:${(other.address() as AddressInfo).port}` });
      await waitFor(() => store.getState().connection.status === 'error');
      expect(store.getState().connection.lastError).toMatch(/text\/html, not an event stream: another program may hold cachescope's port/);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('stop() closes the connection', async () => {
    const store = createOverlayStore();
    const feed = start(store);
    await waitFor(() => server.clientCount === 1);
    feed.stop();
    await waitFor(() => server.clientCount === 0, 500);
    expect(store.getState().connection.status).toBe('idle');
  });
});
