import { afterEach, describe, expect, it } from 'vitest';
import { startStreamServer } from '../../../src/stream/server.js';
import { DEFAULT_BATCH_MS, type StreamServer } from '../../../src/stream/types.js';
import { memorySource, raw, record, waitFor, type Recorder, type TestEvent, type TestSnapshot } from './doubles.js';

const servers: StreamServer[] = [];
const recorders: Recorder[] = [];
afterEach(async () => {
  for (const r of recorders.splice(0)) r.conn.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(source = memorySource(), extra: Record<string, unknown> = {}) {
  const server = await startStreamServer<TestEvent, TestSnapshot>({ source, port: 0, ...extra });
  servers.push(server);
  expect(server.mode).toBe('leader');
  return { server, source, base: server.url! };
}

function track(r: Recorder): Recorder {
  recorders.push(r);
  return r;
}

describe('GET /events', () => {
  it('sends a hello, then delivers many events pushed at once as one batch message', async () => {
    const { source, base } = await start();
    const r = track(record(base));
    await r.opened;
    for (let i = 0; i < 200; i++) source.push({ url: `/u/${i}` });
    await r.waitFor(() => r.events().length === 200);
    await new Promise((res) => setTimeout(res, 120));
    expect(r.batches()).toHaveLength(1);
    const batch = r.messages.find((m) => m.event === 'batch')!;
    expect(batch.lastEventId).toBe('200');
    expect(r.events().map((e) => e.id)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const hello = JSON.parse(r.messages[0]!.data);
    expect(r.messages[0]!.event).toBe('hello');
    expect(hello).toMatchObject({ cachescope: true, pid: process.pid, schemaVersion: 1 });
  });

  it('sends at most one batch message per batch window (25 ms) while events keep coming', async () => {
    const { source, base } = await start();
    const r = track(record(base));
    await r.opened;
    const arrivals: number[] = [];
    let seen = 0;
    const timer = setInterval(() => {
      source.push({});
    }, 3);
    const started = Date.now();
    while (Date.now() - started < 400) {
      await new Promise((res) => setTimeout(res, 1));
      const n = r.batches().length;
      if (n > seen) {
        for (let i = seen; i < n; i++) arrivals.push(Date.now());
        seen = n;
      }
    }
    clearInterval(timer);
    const pushed = source.since(0).length;
    await r.waitFor(() => r.events().length === pushed);
    expect(arrivals.length).toBeGreaterThan(2);
    expect(arrivals.length).toBeLessThanOrEqual(Math.ceil(400 / DEFAULT_BATCH_MS) + 1);
    // events come every 3 ms: without the window there would be a message per event
    expect(arrivals.length).toBeGreaterThanOrEqual(Math.floor(400 / DEFAULT_BATCH_MS / 2));
    // client-side arrival gaps jitter under load (two messages read in one poll arrive together): the
    // message count above is the real bound, and the median gap is a window's, not an event's 3 ms
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    const median = [...gaps].sort((x, y) => x - y)[Math.floor(gaps.length / 2)]!;
    expect(median).toBeGreaterThanOrEqual(DEFAULT_BATCH_MS / 2);
    // nothing lost or duplicated
    expect(new Set(r.events().map((e) => e.id)).size).toBe(pushed);
  });

  it('a client without Last-Event-ID starts live; with it, replays what came after', async () => {
    const { source, base } = await start();
    source.push({}, {}, {}, {}, {});
    const live = track(record(base));
    const replay = track(record(base, '2'));
    await Promise.all([live.opened, replay.opened]);
    await replay.waitFor(() => replay.events().length === 3);
    expect(replay.events().map((e) => e.id)).toEqual([3, 4, 5]);
    expect(replay.gaps()).toEqual([]);
    source.push({});
    await live.waitFor(() => live.events().length === 1);
    expect(live.events()[0]!.id).toBe(6);
    await replay.waitFor(() => replay.events().length === 4);
  });

  it('accepts ?lastEventId= for EventSource polyfills', async () => {
    const { source, base } = await start();
    source.push({}, {}, {});
    const r = track(record(base, undefined, '/events?lastEventId=1'));
    await r.waitFor(() => r.events().length === 2);
    expect(r.events().map((e) => e.id)).toEqual([2, 3]);
  });

  it('sends a gap first when the client is older than the buffer holds', async () => {
    const { source, base } = await start(memorySource(10));
    for (let i = 0; i < 30; i++) source.push({});
    const r = track(record(base, '5'));
    await r.waitFor(() => r.events().length === 10);
    const kinds = r.messages.map((m) => m.event);
    expect(kinds.slice(0, 3)).toEqual(['hello', 'gap', 'batch']);
    expect(r.gaps()).toEqual([{ missed: 15, from: 6, to: 20, reason: 'evicted' }]);
    expect(r.events()[0]!.id).toBe(21);
  });

  it('replays from the start when ids restarted (Last-Event-ID beyond the newest id)', async () => {
    const { source, base } = await start();
    source.push({}, {});
    const r = track(record(base, '900'));
    await r.waitFor(() => r.events().length === 2);
    expect(r.events().map((e) => e.id)).toEqual([1, 2]);
    expect(r.gaps()).toEqual([]);
  });

  it('keeps working for a source without lastId()', async () => {
    const { source, base } = await start(memorySource(100, { withLastId: false }));
    source.push({}, {});
    const r = track(record(base));
    await r.opened;
    source.push({});
    await r.waitFor(() => r.events().length === 1);
    expect(r.events()[0]!.id).toBe(3);
  });

  it('sends heartbeat comments', async () => {
    const { base } = await start(memorySource(), { heartbeatMs: 30 });
    const r = track(record(base));
    const comments = r.comments;
    await waitFor(() => comments.length >= 2);
    expect(comments[0]).toBe('ping');
  });

  it('serialises an event it cannot JSON-encode as an internal-error stand-in', async () => {
    const { source, base } = await start();
    const r = track(record(base));
    await r.opened;
    source.push({ big: 1n as unknown as number }, { ok: true });
    await r.waitFor(() => r.events().length === 2);
    expect(r.events()[0]).toMatchObject({ id: 1, type: 'internal-error', where: 'stream.serialize' });
    expect(r.events()[1]).toMatchObject({ id: 2, ok: true });
  });

  it('counts clients and events in stats()', async () => {
    const { server, source, base } = await start();
    const r = track(record(base));
    await r.opened;
    source.push({}, {});
    await r.waitFor(() => r.events().length === 2);
    expect(server.stats()).toMatchObject({ mode: 'leader', clients: 1, clientsTotal: 1, framesSent: 1, eventsSent: 2, errors: 0 });
    r.conn.close();
    await waitFor(() => server.stats().clients === 0);
  });
});

describe('GET /snapshot, POST /clear, GET /health', () => {
  it('serves the snapshot as JSON', async () => {
    const { server, source } = await start();
    source.push({ type: 'fetch' }, { type: 'cache-set' });
    const res = await raw(server.port!, '/snapshot');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const body = JSON.parse(res.body);
    expect(Object.keys(body).sort()).toEqual(['dropped', 'events', 'findings', 'revalidations', 'schemaVersion', 'tags']);
    expect(body.events.map((e: TestEvent) => e.type)).toEqual(['fetch', 'cache-set']);
  });

  it('clears the source (204) and tells connected clients, without a false gap', async () => {
    const { server, source, base } = await start();
    source.push({}, {}, {});
    const r = track(record(base));
    await r.opened;
    const res = await raw(server.port!, '/clear', { method: 'POST' });
    expect(res.status).toBe(204);
    expect(source.cleared).toBe(1);
    expect(source.since(0)).toEqual([]);
    await r.waitFor(() => r.messages.some((m) => m.event === 'clear'));
    source.push({});
    await r.waitFor(() => r.events().length === 1);
    expect(r.events()[0]!.id).toBe(4);
    expect(r.gaps()).toEqual([]);
  });

  it('follows a source that restarts ids on clear', async () => {
    const { server, source, base } = await start(memorySource(100, { resetIdsOnClear: true }));
    source.push({}, {}, {});
    const r = track(record(base));
    await r.opened;
    await raw(server.port!, '/clear', { method: 'POST' });
    source.push({}, {});
    await r.waitFor(() => r.events().length === 2);
    expect(r.events().map((e) => e.id)).toEqual([1, 2]);
  });

  it('answers /health for leader discovery', async () => {
    const { server } = await start();
    const res = await raw(server.port!, '/health');
    expect(JSON.parse(res.body)).toEqual({
      cachescope: true,
      version: '0.1.0',
      pid: process.pid,
      schemaVersion: 1,
      startedAt: expect.any(Number),
    });
  });

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    const { server } = await start();
    expect((await raw(server.port!, '/nope')).status).toBe(404);
    expect((await raw(server.port!, '/clear')).status).toBe(405);
    expect((await raw(server.port!, '/snapshot', { method: 'POST' })).status).toBe(405);
  });

  it('answers 500 and counts it when the source throws, and keeps serving', async () => {
    const source = memorySource();
    source.snapshot = () => {
      throw new Error('boom');
    };
    const { server } = await start(source);
    const res = await raw(server.port!, '/snapshot');
    expect(res.status).toBe(500);
    expect(server.stats().errors).toBe(1);
    expect((await raw(server.port!, '/health')).status).toBe(200);
  });

  it('stops serving after close()', async () => {
    const { server } = await start();
    const port = server.port!;
    await server.close();
    expect(server.stats().mode).toBe('closed');
    await expect(raw(port, '/health')).rejects.toThrow();
  });
});
