import { request, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from '../../../src/protocol/sse-parser.js';
import { startStreamServer } from '../../../src/stream/server.js';
import type { StreamServer } from '../../../src/stream/types.js';
import { memorySource, record, waitFor, type Recorder, type TestEvent } from './doubles.js';

const servers: StreamServer[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const CAP = 64 * 1024;
const payload = 'x'.repeat(4000);

/** An SSE client that connects and then stops reading (its response is paused). */
function stalledClient(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      res.pause();
      cleanups.push(() => res.destroy());
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

async function pushMegabytes(source: ReturnType<typeof memorySource>, megabytes: number) {
  const perBatch = 50; // 50 x 4 KB = 200 KB per push, one push per ~flush
  const batches = Math.ceil((megabytes * 1024 * 1024) / (perBatch * payload.length));
  for (let b = 0; b < batches; b++) {
    source.push(...Array.from({ length: perBatch }, () => ({ payload })));
    await new Promise((r) => setTimeout(r, 12));
  }
}

describe('slow consumers', () => {
  it('caps what a client that never reads can hold, counts the dropped frames, and keeps others flowing', async () => {
    const source = memorySource(100_000);
    const server = await startStreamServer({ source, port: 0, maxClientBufferBytes: CAP, batchMs: 10 });
    servers.push(server);
    await stalledClient(`${server.url}/events`);
    const healthy: Recorder = record(server.url!);
    cleanups.push(() => healthy.conn.close());
    await healthy.opened;

    await pushMegabytes(source, 24); // far beyond socket + kernel buffers
    const total = source.since(0).length;
    await healthy.waitFor((r) => r.events().length === total, 10_000);

    const stats = server.stats();
    expect(stats.clients).toBe(2);
    expect(stats.droppedFrames).toBeGreaterThan(10);
    // one frame is at most 256 KB; the stalled socket never holds more than cap + one frame
    expect(stats.maxClientPendingBytes).toBeLessThan(CAP + 300 * 1024);
    for (const pending of stats.clientPendingBytes) expect(pending).toBeLessThan(CAP + 300 * 1024);
    expect(healthy.gaps()).toEqual([]);
  }, 20_000);

  it('when the stalled client reads again it gets a gap for what was evicted, then the newest events', async () => {
    const source = memorySource(200);
    const server = await startStreamServer({ source, port: 0, maxClientBufferBytes: CAP, batchMs: 10 });
    servers.push(server);
    const res = await stalledClient(`${server.url}/events`);
    await pushMegabytes(source, 12);
    await waitFor(() => server.stats().droppedFrames > 0, 5000);
    const last = source.since(0).at(-1)!.id;

    const messages: SseMessage[] = [];
    const parser = createSseParser((m) => messages.push(m));
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => parser.push(chunk));
    res.resume();
    const ids = () => messages.filter((m) => m.event === 'batch').flatMap((m) => (JSON.parse(m.data) as TestEvent[]).map((e) => e.id));
    await waitFor(() => ids().at(-1) === last, 10_000);

    const gaps = messages.filter((m) => m.event === 'gap').map((m) => JSON.parse(m.data));
    expect(gaps.length).toBeGreaterThanOrEqual(1);
    expect(gaps.at(-1).reason).toBe('slow-client');
    const missed = gaps.reduce((n, g) => n + g.missed, 0);
    // every id is either delivered or reported missed, exactly once
    expect(new Set(ids()).size).toBe(ids().length);
    expect(ids().length + missed).toBe(last);
    expect(server.stats().missedEvents).toBe(missed);
  }, 20_000);

  it('disconnects a client whose socket has not drained for slowClientTimeoutMs', async () => {
    const source = memorySource(1000);
    const server = await startStreamServer({
      source,
      port: 0,
      maxClientBufferBytes: CAP,
      batchMs: 10,
      slowClientTimeoutMs: 150,
    });
    servers.push(server);
    const res = await stalledClient(`${server.url}/events`);
    let closed = false;
    res.on('close', () => (closed = true));
    await pushMegabytes(source, 12);
    const stop = setInterval(() => source.push({}), 20);
    cleanups.push(() => clearInterval(stop));
    await waitFor(() => server.stats().slowClientsDisconnected === 1, 5000);
    expect(server.stats().clients).toBe(0);
    res.resume();
    await waitFor(() => closed, 5000);
  }, 20_000);
});
