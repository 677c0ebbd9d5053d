// Cluster mode on real `next start` instances, real Redis. Two instances of one app in two project directories
// (two copies of the build: no shared file system), both with CACHESCOPE_REDIS_URL. Ground truth: a counting
// origin (its per-instance hit counter), never cachescope's own beliefs.
// - sharing the demo's Redis incremental handler: write on A, revalidate on B: B reports the matched entry (not a
//   no-op), A's next read is a miss; A's stream shows B's revalidation, labelled B.
// - each with its own file cache: B's revalidation leaves A's entry live; A's next read is a hit (stale for users)
//   and the partial-fleet finding names A and its entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheScopeEvent, Finding, Snapshot, StreamHealth } from '@cachescope/instrument/types';
import {
  buildFixtureApp,
  copyInstance,
  startCountingOrigin,
  startFixtureApp,
  startRedis,
  waitFor,
  type CountingOrigin,
  type RunningApp,
  type TestRedis,
} from '@cachescope/harness';

const json = async <T>(url: string): Promise<T> => (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json() as Promise<T>;
const snapshotOf = (app: RunningApp) => json<Snapshot>(`${streamOf(app)}/snapshot`);
const streamOf = (app: RunningApp) => {
  const url = app.streamUrl();
  if (!url) throw new Error(`no stream:\n${app.logs().slice(-3000)}`);
  return url;
};
const until = <T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000) =>
  waitFor(async () => (await check()) || undefined, { timeoutMs }) as Promise<T>;

async function get(app: RunningApp): Promise<string> {
  const res = await fetch(`${app.baseUrl}/`, { signal: AbortSignal.timeout(60_000) });
  const html = await res.text();
  expect(res.status, app.logs().slice(-2000)).toBe(200);
  return html;
}

async function pair(redis: TestRedis, origin: CountingOrigin, shared: boolean): Promise<[RunningApp, RunningApp]> {
  const name = shared ? 'cluster-shared' : 'cluster-local';
  const buildEnv: Record<string, string> = { CACHESCOPE_ENABLED: '1', ...(shared ? { DEMO_REDIS_URL: redis.url } : {}) };
  const copies = ['a', 'b'].map((i) => copyInstance(`${name}-${i}`, name));
  for (const copy of copies) await buildFixtureApp(copy, buildEnv);
  return (await Promise.all(
    copies.map((copy, n) =>
      startFixtureApp(copy, 'prod', {
        ...buildEnv,
        ORIGIN_URL: origin.url,
        APP_NAME: `${name}-${n ? 'b' : 'a'}`,
        CACHESCOPE_REDIS_URL: redis.url,
        CACHESCOPE_REDIS_PREFIX: `cs-${name}`,
        CACHESCOPE_INSTANCE: n ? 'B' : 'A',
        DEMO_REDIS_PREFIX: `demo-${name}`,
      }),
    ),
  )) as [RunningApp, RunningApp];
}

const revalidationsOf = (s: Snapshot, tag: string) => s.revalidations.filter((r) => r.tags.includes(tag));
const eventsOf = (s: Snapshot, pred: (e: CacheScopeEvent) => boolean) => s.events.filter(pred);

describe('cluster mode: two next start instances through a real redis-server', () => {
  let redis: TestRedis;
  let origin: CountingOrigin;
  const running: RunningApp[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    origin = await startCountingOrigin();
  });
  afterAll(async () => {
    await Promise.all(running.map((app) => app.stop()));
    await origin?.close();
    await redis?.stop();
  });

  describe('sharing the Redis incremental cache handler', () => {
    let a: RunningApp;
    let b: RunningApp;
    beforeAll(async () => {
      [a, b] = await pair(redis, origin, true);
      running.push(a, b);
    }, 900_000);

    it('both streams are linked to the fleet', async () => {
      for (const app of [a, b]) {
        const health = await until(async () => {
          const h = await json<StreamHealth>(`${streamOf(app)}/health`);
          return h.cluster?.state === 'connected' && h;
        });
        expect(health.cluster?.self).toBe(app === a ? 'A' : 'B');
      }
    });

    it('write on A, revalidate on B: B reports the matched entry; A\u2019s next read is a miss; A shows B\u2019s revalidation', async () => {
      await get(a);
      await get(a);
      expect(origin.hits['cluster-shared-a']).toBe(1); // the second read was a hit: the handler caches
      const written = await until(async () => eventsOf(await snapshotOf(b), (e) => e.type === 'cache-set' && e.instance === 'A')[0]);
      expect((await fetch(`${b.baseUrl}/revalidate`, { method: 'POST' })).status).toBe(200);

      const onB = await until(async () => {
        const s = await snapshotOf(b);
        return revalidationsOf(s, 'shared').some((r) => r.status === 'committed') && s;
      });
      const rev = revalidationsOf(onB, 'shared').find((r) => r.status === 'committed')!;
      expect(rev.matched.map((m) => m.key)).toContain((written as { key: string }).key);
      expect(onB.findings.filter((f: Finding) => f.kind === 'noop-revalidation' || f.kind === 'orphaned-tag')).toEqual([]);

      await get(a);
      expect(origin.hits['cluster-shared-a']).toBe(2); // ground truth: B's revalidation reached A's entry

      const onA = await until(async () => {
        const s = await snapshotOf(a);
        return eventsOf(s, (e) => e.type === 'revalidate-call' && e.instance === 'B').length > 0 && s;
      });
      expect(revalidationsOf(onA, 'shared').some((r) => r.matched.length > 0)).toBe(true);
    });
  });

  describe('each instance with its own file cache (no shared handler)', () => {
    let a: RunningApp;
    let b: RunningApp;
    beforeAll(async () => {
      [a, b] = await pair(redis, origin, false);
      running.push(a, b);
    }, 900_000);

    it("B's revalidation leaves A's entry live: A's next read is a hit, and the partial-fleet finding names A and its entry", async () => {
      await get(a);
      await get(a);
      expect(origin.hits['cluster-local-a']).toBe(1);
      const written = await until(async () => eventsOf(await snapshotOf(b), (e) => e.type === 'cache-set' && e.instance === 'A')[0]);
      expect((await fetch(`${b.baseUrl}/revalidate`, { method: 'POST' })).status).toBe(200);
      // A has received B's committed revalidation before it reads again.
      await until(async () => eventsOf(await snapshotOf(a), (e) => e.type === 'revalidation-commit' && e.instance === 'B').length > 0);

      const html = await get(a);
      expect(origin.hits['cluster-local-a']).toBe(1); // ground truth: A served its old entry, users there see stale data
      expect(html).toMatch(/origin answer (<!-- -->)?1</);

      for (const app of [a, b]) {
        const finding = await until(async () => (await snapshotOf(app)).findings.find((f) => f.kind === 'partial-fleet-revalidation'));
        if (finding.kind !== 'partial-fleet-revalidation') throw new Error('unreachable');
        expect(finding.revalidatedOn).toBe('B');
        expect(finding.staleOn).toEqual([expect.objectContaining({ instance: 'A', keys: [(written as { key: string }).key] })]);
        expect(finding.message).toMatch(/on instance B reached only part of the fleet: A \(1 entry/);
        expect(finding.fix.pattern).toBe('shared-cache-handler');
        expect(finding.fix.text).toContain('@fortedigital/nextjs-cache-handler');
      }
    });

    it('Redis lost mid-run: every request still answers, the view falls back to this instance and says so, then recovers', async () => {
      await redis.stop();
      const lost = await until(async () => {
        const h = await json<StreamHealth>(`${streamOf(a)}/health`);
        return h.cluster?.state === 'lost' && h;
      });
      expect(lost.cluster?.reason).toBeTruthy();
      const before = origin.hits['cluster-local-a'] ?? 0;
      for (let i = 0; i < 5; i++) {
        await get(a);
        await get(b);
      }
      expect(origin.hits['cluster-local-a']).toBe(before); // the app's cache behaves as before
      // The overlay's banner reads the latest cluster-status event.
      const s = await snapshotOf(a);
      const last = s.events.filter((e) => e.type === 'cluster-status').at(-1);
      expect(last?.type === 'cluster-status' && last.status.state).toBe('lost');

      await redis.restart();
      for (const app of [a, b]) {
        await until(async () => (await json<StreamHealth>(`${streamOf(app)}/health`)).cluster?.state === 'connected', 30_000);
      }
      await get(b);
      await until(
        async () => eventsOf(await snapshotOf(a), (e) => e.type === 'fetch' && e.instance === 'B' && e.ts > lost.startedAt).length > 0,
      );
      // Nothing leaks: after the outage, each of the four instances holds its two connections, no more.
      const ours = async () =>
        String(await redis.command(['CLIENT', 'LIST']))
          .split('\n')
          .filter((l) => / name=cachescope /.test(l)).length;
      await until(async () => (await ours()) === 8);
      await new Promise((r) => setTimeout(r, 3000));
      expect(await ours()).toBe(8);
      const after = await snapshotOf(a);
      expect(after.events.filter((e) => e.type === 'cluster-status').at(-1)).toMatchObject({ status: { state: 'connected' } });
    });
  });
});
