// The demo's own shared 'use cache' handler (lib/redis-use-cache-handler.cjs, DEMO_REDIS_URL) on two `next start`
// instances in cluster mode, one counting backend (same BACKEND_URL on both: Next hashes the env vars a 'use cache'
// function reads into its key, so two backends would be two keys): Pattern 2's entry written on A is served on B
// (the backend is not called again), and after updateTag in a Server Action on B, A serves the new data.
// Tested with: these two handlers only (the published Redis handler packages need Node >= 22).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '@cachescope/instrument/types';
import { asUser, getPage, postAction, startDemo, startRedis, waitFor, type DemoServer, type TestRedis } from '@cachescope/harness';

const snapshotOf = async (d: DemoServer) => (await fetch(`${d.streamUrl()}/snapshot`)).json() as Promise<Snapshot>;

describe("cluster mode with the demo's shared Redis 'use cache' handler", () => {
  let redis: TestRedis;
  let a: DemoServer;
  let b: DemoServer;
  const alice = asUser('alice');
  const p2 = () => (a.backend.stats().hits.p2?.alice as number | undefined) ?? 0;

  beforeAll(async () => {
    redis = await startRedis();
    const env = (instance: string) => ({
      CACHESCOPE_ENABLED: '1',
      DEMO_REDIS_URL: redis.url,
      CACHESCOPE_REDIS_URL: redis.url,
      CACHESCOPE_INSTANCE: instance,
      DEMO_REDIS_PREFIX: 'uc-test',
    });
    a = await startDemo({ mode: 'prod', distDir: '.next-redis', env: env('A') });
    b = await startDemo({ mode: 'prod', distDir: '.next-redis', env: env('B'), backend: a.backend });
  }, 900_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await redis?.stop();
  });

  it('an entry written on A is served on B; after updateTag on B, A serves the new data', async () => {
    expect((await getPage(a.baseUrl, '/pattern-2', alice)).status).toBe(200);
    expect(p2()).toBe(1);
    // A's write is in Redis once cachescope on B has seen it (the handler's set completes after the response).
    await waitFor(
      async () => {
        const s = await snapshotOf(b);
        return s.events.some((e) => e.type === 'cache-set' && e.instance === 'A' && e.handler.startsWith('use-cache')) ? true : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect((await getPage(b.baseUrl, '/pattern-2', alice)).status).toBe(200);
    expect(p2()).toBe(1); // ground truth: B read A's entry from Redis
    await waitFor(
      async () => {
        const s = await snapshotOf(b);
        return s.events.some((e) => e.type === 'cache-get' && e.instance === 'B' && e.handler.startsWith('use-cache') && e.result === 'hit')
          ? true
          : undefined;
      },
      { timeoutMs: 20_000 },
    );

    expect((await postAction(b.baseUrl, '/pattern-2', 'update-mine', alice)).status).toBe(200);
    const afterUpdate = p2();
    expect(afterUpdate).toBeGreaterThan(1); // B refetched after updateTag
    const page = await getPage(a.baseUrl, '/pattern-2', alice);
    const shown = page.dashboards.find((d) => d.user === 'alice')?.fetchNo;
    expect(shown).toBeGreaterThan(1); // A no longer serves its first answer: it reads the entry B rewrote (one store)
  });
});
