// The stream client against the real stream server (src/stream/server.ts) on a free port.
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheScopeEvent } from '../../../src/protocol/events.js';
import type { StreamGap, StreamHello } from '../../../src/protocol/messages.js';
import {
  openStream,
  type StatusDetail,
  type StreamClient,
  type StreamClientOptions,
  type StreamStatus,
} from '../../../src/protocol/stream-client.js';
import { startStreamServer } from '../../../src/stream/server.js';
import type { StreamServer, StreamServerOptions } from '../../../src/stream/types.js';
import { memorySource, waitFor, type MemorySource } from '../stream/doubles.js';

const servers: StreamServer[] = [];
const clients: StreamClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(source: MemorySource, port = 0, extra: Pick<StreamServerOptions, 'heartbeatMs'> = {}) {
  const server = await startStreamServer({ source, port, ...extra });
  servers.push(server);
  expect(server.mode).toBe('leader');
  return server;
}

/** A client that records what it is handed; `cursor` follows the batches, as a caller's would. */
function follow(url: string, from: number | null, extra: Partial<StreamClientOptions> = {}) {
  const seen = {
    cursor: from,
    hellos: [] as Array<Partial<StreamHello>>,
    events: [] as CacheScopeEvent[],
    gaps: [] as StreamGap[],
    findings: [] as unknown[],
    clears: 0,
    heartbeats: 0,
    statuses: [] as Array<{ status: StreamStatus; at: number } & StatusDetail>,
  };
  const client = openStream(
    { url, cursor: () => seen.cursor, retryMs: 20, maxRetryMs: 100, ...extra },
    {
      onHello: (hello) => void seen.hellos.push(hello),
      onBatch(events, lastId) {
        seen.events.push(...events);
        if (lastId !== null) seen.cursor = lastId;
      },
      onGap: (gap) => void seen.gaps.push(gap),
      onFindings: (findings) => void seen.findings.push(...findings),
      onClear: () => void seen.clears++,
      onHeartbeat: () => void seen.heartbeats++,
      onStatus: (status, detail) => void seen.statuses.push({ status, at: Date.now(), ...detail }),
    },
  );
  clients.push(client);
  return { seen, client, ids: () => seen.events.map((e) => e.id) };
}

describe('stream client', () => {
  it('replays what came after its cursor (Last-Event-ID), then follows live', async () => {
    const source = memorySource();
    const server = await serve(source);
    source.push({}, {}, {}, {}, {});
    const f = follow(server.url!, 2);
    await waitFor(() => f.ids().length === 3);
    expect(f.ids()).toEqual([3, 4, 5]);
    expect(f.seen.hellos[0]).toMatchObject({ cachescope: true, pid: process.pid, lastId: 5 });
    source.push({});
    await waitFor(() => f.ids().length === 4);
    expect(f.seen.cursor).toBe(6);
  });

  it('without a cursor starts live from now', async () => {
    const source = memorySource();
    const server = await serve(source);
    source.push({}, {});
    const f = follow(server.url!, null);
    await waitFor(() => f.seen.hellos.length === 1);
    source.push({});
    await waitFor(() => f.ids().length === 1);
    expect(f.ids()).toEqual([3]);
  });

  it('hands over a gap for events the server no longer holds, then the rest', async () => {
    const source = memorySource(3);
    const server = await serve(source);
    source.push({}, {}, {}, {}, {});
    const f = follow(server.url!, 0);
    await waitFor(() => f.ids().length === 3);
    expect(f.seen.gaps).toEqual([{ missed: 2, from: 1, to: 2, reason: 'evicted' }]);
    expect(f.ids()).toEqual([3, 4, 5]);
  });

  it('after the server restarts it reconnects with backoff and resumes from its cursor', async () => {
    const source = memorySource();
    const first = await serve(source);
    const port = first.port!;
    const f = follow(first.url!, null, { retryMs: 20, maxRetryMs: 100 });
    await waitFor(() => f.seen.statuses.some((s) => s.status === 'open'));
    source.push({});
    await waitFor(() => f.ids().length === 1);

    await first.close();
    servers.splice(servers.indexOf(first), 1);
    // down: one `reconnecting` for the dropped stream, then failed attempts, counted
    await waitFor(() => f.seen.statuses.filter((s) => s.status === 'error').length >= 3, 5000);
    const down = f.seen.statuses.filter((s) => s.status === 'reconnecting' || s.status === 'error');
    expect(down[0]).toMatchObject({ status: 'reconnecting', attempts: 1 });
    expect(down.slice(1, 4).map((s) => s.attempts)).toEqual([2, 3, 4]);
    expect(down[1]!.error).toBe('ECONNREFUSED');
    // the server's `retry: 1000` is the base, capped at maxRetryMs: never faster than 0.8 x the cap
    for (let i = 1; i < 4; i++) expect(down[i]!.at - down[i - 1]!.at).toBeGreaterThanOrEqual(75);

    source.push({}, {}); // recorded while nobody serves
    await serve(source, port);
    await waitFor(() => f.ids().length === 3, 5000);
    expect(f.ids()).toEqual([1, 2, 3]);
    expect(f.seen.statuses.filter((s) => s.status === 'open')).toHaveLength(2);
  });

  it('backs off exponentially from its first delay up to the ceiling', async () => {
    const times: number[] = [];
    const refused = async () => {
      times.push(Date.now());
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) });
    };
    const f = follow('http://127.0.0.1:9', null, { fetch: refused as typeof fetch, retryMs: 40, maxRetryMs: 160 });
    await waitFor(() => times.length >= 6, 5000);
    f.client.close();
    const waits = times.slice(1).map((t, i) => t - times[i]!);
    // 40, 80, 160, 160, 160 ms, each with ±20 % jitter
    for (const [i, expected] of [40, 80, 160, 160, 160].entries()) expect(waits[i]).toBeGreaterThanOrEqual(expected * 0.8 - 2);
    expect(f.seen.statuses.at(-1)).toMatchObject({ status: 'error', error: 'ECONNREFUSED' });
  });

  it('hands over findings, clears and heartbeats', async () => {
    const source = memorySource();
    source.findings = () => [{ id: 'f1', count: 1 }];
    const server = await serve(source, 0, { heartbeatMs: 30 });
    const f = follow(server.url!, null);
    await waitFor(() => f.seen.findings.length === 1 && f.seen.heartbeats >= 1);
    expect(f.seen.findings).toEqual([{ id: 'f1', count: 1 }]);
    const res = await fetch(`${server.url}/clear`, { method: 'POST' });
    expect(res.status).toBe(204);
    await waitFor(() => f.seen.clears === 1);
  });

  it('says what answered when it is not an event stream, and close() ends it', async () => {
    const f = follow('http://127.0.0.1:9', null, {
      fetch: (async () => new Response('<h1>other app</h1>', { status: 404, headers: { 'content-type': 'text/html' } })) as typeof fetch,
    });
    await waitFor(() => f.seen.statuses.some((s) => s.status === 'error'));
    expect(f.seen.statuses.find((s) => s.status === 'error')).toMatchObject({
      httpStatus: 404,
      error: expect.stringContaining("another program may hold cachescope's port"),
    });
    f.client.close();
    await f.client.done;
  });
});
