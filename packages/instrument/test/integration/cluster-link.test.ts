// Cluster mode's Redis link between two instances' pipelines (real redis-server, real analyzers): an entry
// written on A and revalidated on B is matched on B, and both sides show each other's events labelled with
// their instance. Then Redis goes away mid-run and comes back: each falls back to its own truth, says so in
// a cluster-status event and /health, reconnects by itself, and its events flow again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, waitFor, type TestRedis } from '@cachescope/harness';

const until = (check: () => boolean, timeoutMs = 10_000) => waitFor(() => check() || undefined, { timeoutMs });
import { createAnalyzer } from '../../src/analysis/analyzer.js';
import { startClusterLink, type ClusterLink } from '../../src/cluster/link.js';
import type { ClusterConfig } from '../../src/cluster/config.js';
import type { CacheScopeEvent, ClusterStatusEvent } from '../../src/protocol/events.js';
import { createPipeline, type Pipeline } from '../../src/recorder/pipeline.js';
import type { Recorder } from '../../src/recorder/global.js';

function fakeRecorder(): Recorder {
  return {
    takePending: () => [],
    fault: () => {},
    faults: new Map(),
    paused: false,
    droppedFacts: 0,
    record: () => {},
  } as unknown as Recorder;
}

type Instance = { label: string; pipeline: Pipeline; link: ClusterLink; faults: string[] };

function instance(label: string, redis: TestRedis, key: string, maxQueue = 1000): Instance {
  const pipeline = createPipeline({ recorder: fakeRecorder(), analysis: createAnalyzer(), instance: label, flushMs: 1000 });
  const config: ClusterConfig = { url: redis.url, key, instance: label, maxLen: 100, maxQueue, batchEvents: 500, batchMs: 20 };
  const faults: string[] = [];
  const link = startClusterLink({ config, source: pipeline, fault: (where) => faults.push(where) });
  return { label, pipeline, link, faults };
}

/** Events as this instance's own process recorded them (ingested under its own pid: stamped with its label). */
function record(i: Instance, events: Omit<CacheScopeEvent, 'id' | 'pid'>[]): void {
  i.pipeline.ingest!(
    events.map((e) => ({ ...e, id: 0, pid: process.pid }) as CacheScopeEvent),
    { pid: process.pid },
  );
}

const base = { handler: 'incremental' as const, kind: 'FETCH' as const };

describe('cluster link through a real redis-server', () => {
  let redis: TestRedis;
  let a: Instance;
  let b: Instance;
  const key = `cachescope-test:${process.pid}:events`;

  beforeAll(async () => {
    redis = await startRedis();
    a = instance('host-a:1', redis, key);
    b = instance('host-b:2', redis, key);
    await until(() => a.link.status().state === 'connected' && b.link.status().state === 'connected', 10_000);
  });
  afterAll(async () => {
    await a?.link.close();
    await b?.link.close();
    a?.pipeline.stop();
    b?.pipeline.stop();
    await redis?.stop();
  });

  it("an entry written on A and revalidated on B is matched on B; each side labels the other's events", async () => {
    const t0 = Date.now();
    record(a, [
      { ...base, type: 'cache-set', ts: t0, key: 'k-a', tags: ['products'], url: 'http://origin/products', requestId: '1' } as never,
    ]);
    await until(() => b.pipeline.snapshot().events.some((e) => e.type === 'cache-set' && e.instance === 'host-a:1'), 10_000);
    record(b, [
      {
        type: 'revalidate-call',
        ts: t0 + 10,
        api: 'revalidateTag',
        args: ['products', '{"expire":0}'],
        tags: ['products'],
        profile: { expire: 0 },
        requestId: '1',
      } as never,
      {
        ...base,
        type: 'revalidation-commit',
        ts: t0 + 11,
        tags: ['products'],
        mode: 'expire-now',
        expireSeconds: 0,
        requestId: '1',
      } as never,
    ]);
    const onB = b.pipeline.snapshot();
    const rev = onB.revalidations.find((r) => r.tags.includes('products'))!;
    expect(rev.matched.map((m) => m.key)).toEqual(['k-a']);
    expect(onB.findings.filter((f) => f.kind === 'noop-revalidation' || f.kind === 'orphaned-tag')).toEqual([]);
    // A sees B's revalidation, labelled, and matches its own entry with it too.
    await until(() => a.pipeline.snapshot().revalidations.some((r) => r.tags.includes('products') && r.matched.length === 1), 10_000);
    const onA = a.pipeline.snapshot();
    expect(onA.events.find((e) => e.type === 'revalidate-call')?.instance).toBe('host-b:2');
    expect(onA.events.find((e) => e.type === 'cache-set')?.instance).toBe('host-a:1');
    // Request ids of two instances never fold together.
    expect(onA.events.find((e) => e.type === 'revalidate-call')?.requestId).toBe('host-b:2#1');
    expect(a.link.status().instances).toEqual(['host-a:1', 'host-b:2']);
  });

  it('the stream in Redis is what the instances published, trimmed near MAXLEN', async () => {
    const len = Number(await redis.command(['XLEN', key]));
    expect(len).toBeGreaterThanOrEqual(2);
    const entries = (await redis.command(['XRANGE', key, '-', '+'])) as [string, string[]][];
    expect(entries.map(([, f]) => f[1])).toEqual(expect.arrayContaining(['host-a:1', 'host-b:2']));
  });

  it('Redis lost mid-run: each falls back to its own truth, says so, reconnects by itself, and events flow again', async () => {
    await redis.stop();
    await until(() => a.link.status().state === 'lost' && b.link.status().state === 'lost', 10_000);
    const lost = a.pipeline
      .snapshot()
      .events.filter((e): e is ClusterStatusEvent => e.type === 'cluster-status')
      .at(-1)!;
    expect(lost.status).toMatchObject({ state: 'lost', self: 'host-a:1' });
    expect(lost.status.reason).toBeTruthy();
    // Local recording goes on while Redis is away.
    record(a, [{ ...base, type: 'cache-set', ts: Date.now(), key: 'k-a2', tags: ['orders'], requestId: '2' } as never]);
    expect(a.pipeline.snapshot().tags.some((t) => t.tag === 'orders')).toBe(true);
    // The publish queue is bounded while Redis is away: what does not fit is dropped and counted.
    const c = instance('host-c:3', redis, key, 5);
    try {
      record(
        c,
        Array.from({ length: 20 }, (_, i) => ({ ...base, type: 'cache-set', ts: Date.now(), key: `c${i}`, tags: ['c'] }) as never),
      );
      expect(c.link.status()).toMatchObject({ dropped: 15, published: 0 });
    } finally {
      await c.link.close();
      c.pipeline.stop();
    }

    await redis.restart();
    await until(() => a.link.status().state === 'connected' && b.link.status().state === 'connected', 15_000);
    record(a, [{ ...base, type: 'cache-set', ts: Date.now(), key: 'k-a3', tags: ['after'], requestId: '3' } as never]);
    await until(() => b.pipeline.snapshot().events.some((e) => e.type === 'cache-set' && e.key === 'k-a3'), 10_000);
    const back = b.pipeline
      .snapshot()
      .events.filter((e): e is ClusterStatusEvent => e.type === 'cluster-status')
      .at(-1)!;
    expect(back.status.state).toBe('connected');
  });
});
