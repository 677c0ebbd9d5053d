// Cluster mode under load: two `next start` instances of one app (the cluster-app fixture, two project
// directories), each driven by LOAD_CONCURRENCY closed-loop clients for LOAD_SECONDS, once with
// CACHESCOPE_REDIS_URL (cluster mode) and once without (each instance on its own), against a real redis-server.
// Reports throughput per side and their ratio, and for the cluster side: the Redis Stream's length (trimmed by
// MAXLEN ~), Redis memory, events published / received / dropped. A measurement, not a test:
//
//   pnpm --filter @cachescope/instrument bench:cluster     LOAD_SECONDS=25 LOAD_CONCURRENCY=8 CACHESCOPE_REDIS_MAXLEN=200
//
// Figures go to stdout and test-artifacts/bench-cluster.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { test } from 'vitest';
import type { StreamHealth } from '../src/protocol/events.js';
import {
  buildFixtureApp,
  copyInstance,
  startCountingOrigin,
  startFixtureApp,
  startRedis,
  waitFor,
  type RunningApp,
} from '@cachescope/harness';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 25);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 8);
const MAXLEN = process.env.CACHESCOPE_REDIS_MAXLEN ?? '200';
const REVALIDATE_EVERY = 50;
/** Sides alternate (single, cluster, cluster, single, …) so drift on a shared machine hits both alike. */
const ROUNDS = Number(process.env.LOAD_ROUNDS ?? 2);

type Side = {
  side: 'single' | 'cluster';
  round: number;
  requests: number;
  errors: number;
  reqPerSec: number;
  health?: (StreamHealth['cluster'] | undefined)[];
};

async function drive(apps: RunningApp[], seconds: number): Promise<{ requests: number; errors: number }> {
  const end = Date.now() + seconds * 1000;
  let requests = 0;
  let errors = 0;
  const loop = async (app: RunningApp) => {
    while (Date.now() < end) {
      const n = ++requests;
      try {
        const res =
          n % REVALIDATE_EVERY === 0 ? await fetch(`${app.baseUrl}/revalidate`, { method: 'POST' }) : await fetch(`${app.baseUrl}/`);
        await res.arrayBuffer();
        if (res.status !== 200) errors++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(apps.flatMap((app) => Array.from({ length: CONCURRENCY }, () => loop(app))));
  return { requests, errors };
}

test('cluster mode under load, beside each instance on its own', async () => {
  const redis = await startRedis();
  const origin = await startCountingOrigin();
  const copies = ['a', 'b'].map((i) => copyInstance(`cluster-bench-${i}`, 'cluster-bench'));
  for (const copy of copies) await buildFixtureApp(copy, { CACHESCOPE_ENABLED: '1' });
  const results: Side[] = [];
  let redisInfo: Record<string, unknown> = {};
  try {
    const order = Array.from({ length: ROUNDS }, (_, r) =>
      r % 2 === 0 ? (['single', 'cluster'] as const) : (['cluster', 'single'] as const),
    ).flat();
    for (const [i, side] of order.entries()) {
      const apps = await Promise.all(
        copies.map((copy, n) =>
          startFixtureApp(copy, 'prod', {
            CACHESCOPE_ENABLED: '1',
            ORIGIN_URL: origin.url,
            APP_NAME: `bench-${n}`,
            CACHESCOPE_INSTANCE: n ? 'B' : 'A',
            ...(side === 'cluster' ? { CACHESCOPE_REDIS_URL: redis.url, CACHESCOPE_REDIS_MAXLEN: MAXLEN } : {}),
          }),
        ),
      );
      try {
        if (side === 'cluster') {
          for (const app of apps) {
            await waitFor(
              async () =>
                ((await (await fetch(`${app.streamUrl()}/health`)).json()) as StreamHealth).cluster?.state === 'connected' || undefined,
              { timeoutMs: 20_000 },
            );
          }
        }
        await drive(apps, 3); // warm-up
        const { requests, errors } = await drive(apps, SECONDS);
        const health = await Promise.all(
          apps.map(async (app) => ((await (await fetch(`${app.streamUrl()}/health`)).json()) as StreamHealth).cluster),
        );
        results.push({
          side,
          round: Math.floor(i / 2),
          requests,
          errors,
          reqPerSec: Math.round(requests / SECONDS),
          ...(side === 'cluster' ? { health } : {}),
        });
        if (side === 'cluster') {
          const key = 'cachescope:cluster-bench:prod:events';
          const memory = String(await redis.command(['INFO', 'memory']));
          redisInfo = {
            xlen: Number(await redis.command(['XLEN', key])),
            maxlen: Number(MAXLEN),
            usedMemoryMb: Math.round((Number(/used_memory:(\d+)/.exec(memory)?.[1]) / 1024 / 1024) * 10) / 10,
          };
        }
      } finally {
        await Promise.all(apps.map((app) => app.stop()));
      }
    }
  } finally {
    await origin.close();
    await redis.stop();
  }
  const total = (side: Side['side']) => results.filter((r) => r.side === side).reduce((n, r) => n + r.requests, 0);
  const ratio = Math.round((total('cluster') / total('single')) * 1000) / 1000;
  const report = { seconds: SECONDS, rounds: ROUNDS, concurrencyPerInstance: CONCURRENCY, ratio, redis: redisInfo, results };
  mkdirSync('test-artifacts', { recursive: true });
  writeFileSync('test-artifacts/bench-cluster.json', `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
}, 900_000);
