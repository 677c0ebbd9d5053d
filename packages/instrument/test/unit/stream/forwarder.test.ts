import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startStreamServer } from '../../../src/stream/server.js';
import type { StreamServer } from '../../../src/stream/types.js';
import { STREAM_PORT_SPAN } from '../../../src/protocol/stream-ports.js';
import { freePortRange, memorySource, raw, record, waitFor, type Recorder, type TestEvent } from './doubles.js';

const servers: StreamServer[] = [];
const others: Array<{ close(cb?: () => void): unknown }> = [];
const recorders: Recorder[] = [];
afterEach(async () => {
  for (const r of recorders.splice(0)) r.conn.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(others.splice(0).map((s) => new Promise((r) => s.close(() => r(undefined)))));
});

async function leaderAndForwarder() {
  const leaderSource = memorySource();
  const leader = await startStreamServer({ source: leaderSource, port: 0 });
  servers.push(leader);
  const followerSource = memorySource();
  const logs: Array<[string, string]> = [];
  const follower = await startStreamServer({
    source: followerSource,
    port: leader.port!,
    log: (level, message) => logs.push([level, message]),
  });
  servers.push(follower);
  return { leader, leaderSource, follower, followerSource, logs };
}

describe('several processes, one stream', () => {
  it('a second server on a taken cachescope port forwards its events to the leader', async () => {
    const { leader, leaderSource, follower, followerSource, logs } = await leaderAndForwarder();
    expect(follower.mode).toBe('forwarder');
    expect(follower.port).toBe(leader.port);
    expect(logs).toEqual([['info', expect.stringMatching(/already serves the event stream .* forwarding/)]]);

    const r = record(leader.url!);
    recorders.push(r);
    await r.opened;
    leaderSource.push({ route: '/from-leader' });
    followerSource.push({ route: '/from-follower-1' }, { route: '/from-follower-2' });
    await r.waitFor(() => r.events().length === 3);
    expect(
      r
        .events()
        .map((e) => e.route)
        .sort(),
    ).toEqual(['/from-follower-1', '/from-follower-2', '/from-leader']);
    // the leader's source re-numbered them into its own sequence
    expect(
      r
        .events()
        .map((e) => e.id)
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(leaderSource.ingested).toEqual([{ pid: process.pid, count: 2 }]);
    expect(follower.stats()).toMatchObject({ mode: 'forwarder', forwardedEvents: 2, forwardErrors: 0 });
    expect(leader.stats().ingestedEvents).toBe(2);
  });

  it('forwards what was recorded before it started, and batches a burst into one POST', async () => {
    const leaderSource = memorySource();
    const leader = await startStreamServer({ source: leaderSource, port: 0 });
    servers.push(leader);
    const followerSource = memorySource();
    followerSource.push({ route: '/early' });
    const follower = await startStreamServer({ source: followerSource, port: leader.port! });
    servers.push(follower);
    await waitFor(() => leaderSource.since(0).length === 1);
    for (let i = 0; i < 500; i++) followerSource.push({ route: '/burst' });
    await waitFor(() => leaderSource.since(0).length === 501);
    expect(leaderSource.ingested.map((i) => i.count)).toEqual([1, 500]);
  });

  it('a forwarder takes over the port when the leader goes away', async () => {
    const { leader, follower, followerSource } = await leaderAndForwarder();
    const port = leader.port!;
    followerSource.push({ route: '/a' });
    await waitFor(() => follower.stats().forwardedEvents === 1);
    await leader.close();
    followerSource.push({ route: '/b' });
    await waitFor(() => follower.mode === 'leader', 5000);
    expect(follower.port).toBe(port);
    const snapshot = JSON.parse((await raw(port, '/snapshot')).body);
    expect(snapshot.events.map((e: TestEvent) => e.route)).toEqual(['/a', '/b']);
  });

  it('port taken by something that is not cachescope: the stream takes the next port of the span and says so', async () => {
    const first = await freePortRange(STREAM_PORT_SPAN);
    const other: Server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => other.listen(first, '127.0.0.1', () => r()));
    others.push(other);
    const logs: Array<[string, string]> = [];
    const server = await startStreamServer({ source: memorySource(), port: first, log: (level, message) => logs.push([level, message]) });
    servers.push(server);
    expect(server.mode).toBe('leader');
    expect(server.port).toBe(first + 1);
    expect(logs).toEqual([['info', expect.stringContaining(`passed over ${first}: another program`)]]);
  });

  it('every port of the span taken by other programs: one warning naming them, no stream, no throw', async () => {
    const first = await freePortRange(STREAM_PORT_SPAN);
    const sockets = new Set<import('node:net').Socket>();
    for (let port = first; port < first + STREAM_PORT_SPAN; port++) {
      // half answer HTTP, half are silent TCP listeners (the probe times out on those)
      const server = port % 2 ? createHttpServer((_req, res) => res.end('hi')) : createTcpServer((socket) => sockets.add(socket));
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
      others.push({
        close: (cb?: () => void) => {
          for (const s of sockets) s.destroy();
          server.close(cb);
        },
      });
    }
    const logs: Array<[string, string]> = [];
    const source = memorySource();
    const server = await startStreamServer({ source, port: first, log: (level, message) => logs.push([level, message]) });
    servers.push(server);
    expect(server.mode).toBe('disabled');
    expect(server.url).toBeNull();
    expect(logs).toHaveLength(1);
    expect(logs[0]![0]).toBe('warn');
    expect(logs[0]![1]).toMatch(
      new RegExp(`ports ${first}–${first + STREAM_PORT_SPAN - 1} are all taken .*${first}: another program.*CACHESCOPE_PORT`),
    );
    source.push({}); // recording goes on without a stream
    expect(server.stats()).toMatchObject({ mode: 'disabled', port: null, errors: 0 });
  });

  it('without a log callback it stays silent', async () => {
    const first = await freePortRange(2);
    const other = createHttpServer((_req, res) => res.end('hi'));
    await new Promise<void>((r) => other.listen(first, '127.0.0.1', () => r()));
    others.push(other);
    const server = await startStreamServer({ source: memorySource(), port: first });
    servers.push(server);
    expect(server.mode).toBe('leader');
  });
});

describe('POST /ingest', () => {
  async function leader(source = memorySource()) {
    const server = await startStreamServer({ source, port: 0, maxIngestBytes: 10_000 });
    servers.push(server);
    return { server, source, port: server.port! };
  }
  const post = (port: number, body: string) =>
    raw(port, '/ingest', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('merges valid events and leaves malformed ones out', async () => {
    const { source, port } = await leader();
    const res = await post(port, JSON.stringify({ pid: 4242, events: [{ id: 9, type: 'fetch', ts: 1 }, { nope: true }, 3] }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ accepted: 1 });
    expect(source.ingested).toEqual([{ pid: 4242, count: 1 }]);
    expect(source.since(0)[0]).toMatchObject({ id: 1, type: 'fetch' });
  });

  it('refuses bodies that are not ingest bodies (400) or too large (413)', async () => {
    const { port, source } = await leader();
    expect((await post(port, 'not json')).status).toBe(400);
    expect((await post(port, JSON.stringify({ events: [] }))).status).toBe(400);
    expect((await post(port, JSON.stringify({ pid: 1, events: [{ id: 1, type: 'x', ts: 1, p: 'x'.repeat(20_000) }] }))).status).toBe(413);
    expect(source.ingested).toEqual([]);
  });

  it('answers 501 when the source cannot ingest', async () => {
    const source = memorySource();
    delete source.ingest;
    const { port } = await leader(source);
    expect((await post(port, JSON.stringify({ pid: 1, events: [] }))).status).toBe(501);
  });
});
