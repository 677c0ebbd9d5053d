// Cluster mode on two `next start` instances of the demo itself (two copies of one build: no shared file cache;
// instances that share a cache must run the same build, or one serves the other's pages with Server Action ids it
// does not know),
// one counting backend, a real redis-server; ground truth from the backend's per-user hit counters.
// - sharing the demo's Redis incremental handler: Pattern 1 read on A, alice's refresh posted to B: B reports the
//   matched entry (not a no-op), A's next read refetches; the overlay in Chromium on A's page shows B's
//   revalidation labelled B.
// - each instance with its own file cache: B's refresh leaves A's entry live, A's next read is a hit (users on A
//   see stale data), and the partial-fleet finding names A and its entry; Redis lost mid-run shows the overlay's
//   banner on A while every request answers, and it goes once Redis is back.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Snapshot } from '@cachescope/instrument/types';
import {
  asUser,
  DEMO_DIR,
  getPage,
  postAction,
  sleep,
  startDemo,
  startRedis,
  waitFor,
  type DemoServer,
  type TestRedis,
} from '@cachescope/harness';
import { startBackend } from '@cachescope/harness/backend';
import { launchChromium } from './browser';

const snapshotOf = async (d: DemoServer) =>
  (await fetch(`${d.streamUrl()}/snapshot`, { signal: AbortSignal.timeout(10_000) })).json() as Promise<Snapshot>;
const until = <T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000) =>
  waitFor(async () => (await check()) || undefined, { timeoutMs }) as Promise<T>;
/** Long enough for a stale-while-revalidate refetch Next would start after the response to reach the backend. */
const SETTLE_MS = 2_000;
const isUserTag = (t: string) => t.startsWith('p1:dashboard-data:');

describe('cluster mode: two next start instances of the demo through a real redis-server', () => {
  let redis: TestRedis;
  let backend: Awaited<ReturnType<typeof startBackend>>;
  const running: DemoServer[] = [];
  const BUILD = '.next-redis';
  const COPY = '.next-redis-b';
  let copied = false;
  const hits = (user: string) => (backend.stats().hits.p1?.[user] as number | undefined) ?? 0;

  async function pair(shared: boolean): Promise<[DemoServer, DemoServer]> {
    const env = (instance: string) => ({
      CACHESCOPE_ENABLED: '1',
      CACHESCOPE_REDIS_URL: redis.url,
      CACHESCOPE_REDIS_PREFIX: `cs-demo-${shared ? 'shared' : 'local'}`,
      CACHESCOPE_INSTANCE: instance,
      ...(shared ? { DEMO_REDIS_URL: redis.url, DEMO_REDIS_PREFIX: 'demo-cluster' } : {}),
    });
    const a = await startDemo({ mode: 'prod', distDir: BUILD, env: env('A'), backend });
    running.push(a);
    if (!copied) {
      rmSync(join(DEMO_DIR, COPY), { recursive: true, force: true });
      cpSync(join(DEMO_DIR, BUILD), join(DEMO_DIR, COPY), {
        recursive: true,
        filter: (src) => !src.startsWith(join(DEMO_DIR, BUILD, 'cache')),
      });
      copied = true;
    }
    const b = await startDemo({ mode: 'prod', distDir: COPY, env: env('B'), backend, build: 'never' });
    running.push(b);
    return [a, b];
  }

  beforeAll(async () => {
    redis = await startRedis();
    backend = await startBackend({ port: 0 });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(running.map((d) => d.stop()));
    await backend?.close();
    await redis?.stop();
  });

  describe('sharing the Redis incremental cache handler', () => {
    let a: DemoServer;
    let b: DemoServer;
    let browser: Browser;
    let page: Page;
    const alice = asUser('alice');
    const bob = asUser('bob');
    beforeAll(async () => {
      [a, b] = await pair(true);
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    }, 900_000);
    afterAll(async () => {
      await browser?.close();
    });

    it("write on A, alice's refresh on B: B reports the matched entry, A's next read refetches, bob's does not", async () => {
      for (const user of [alice, bob]) expect((await getPage(a.baseUrl, '/pattern-1', user)).status).toBe(200);
      expect([hits('alice'), hits('bob')]).toEqual([1, 1]);
      expect((await getPage(a.baseUrl, '/pattern-1', alice)).status).toBe(200);
      expect(hits('alice')).toBe(1); // the handler serves A's entry
      // A's write reached Redis once B's cachescope has seen it (the handler's set completes after the response)
      await until(async () => (await snapshotOf(b)).events.some((e) => e.type === 'cache-set' && e.instance === 'A'));

      expect((await postAction(b.baseUrl, '/pattern-1', 'refresh-mine', alice)).status).toBe(200);
      const onB = await until(async () => {
        const s = await snapshotOf(b);
        return s.revalidations.find((r) => r.instance === 'B' && r.status === 'committed' && r.tags.some(isUserTag));
      });
      expect(onB.matched.length, JSON.stringify(onB)).toBe(1); // not a no-op: A's entry, through the shared handler
      const findings = (await snapshotOf(b)).findings.filter(
        (f: Finding) => f.kind === 'noop-revalidation' || f.kind === 'partial-fleet-revalidation',
      );
      expect(findings).toEqual([]);

      const before = hits('alice');
      const bobBefore = hits('bob');
      expect((await getPage(a.baseUrl, '/pattern-1', alice)).status).toBe(200);
      expect((await getPage(a.baseUrl, '/pattern-1', bob)).status).toBe(200);
      // ground truth: B's revalidation reached A's entry ('max': served stale once, refetched behind it)
      await until(async () => hits('alice') === before + 1);
      await sleep(SETTLE_MS);
      expect(hits('alice')).toBe(before + 1);
      expect(hits('bob')).toBe(bobBefore); // and nobody else's
    });

    it("the overlay on A's page shows B's revalidation, labelled B, with its matched entry", async () => {
      await page.goto(`${a.baseUrl}/`);
      await page.getByRole('button', { name: 'Open cachescope' }).click();
      await page.getByRole('tab', { name: /^Revalidations/ }).click();
      const card = page
        .getByTestId('cachescope-revalidation')
        .filter({ has: page.getByTestId('cachescope-instance').filter({ hasText: /^B$/ }) });
      await card.first().waitFor({ timeout: 15_000 });
      expect(await card.first().getAttribute('data-noop')).toBe('false');
      expect(await card.first().textContent()).toContain('p1:dashboard-data:');
    });
  });

  describe('each instance with its own file cache (no shared handler)', () => {
    let a: DemoServer;
    let b: DemoServer;
    const carol = asUser('carol');
    beforeAll(async () => {
      await Promise.all(running.splice(0).map((d) => d.stop()));
      [a, b] = await pair(false);
    }, 900_000);

    it("B's refresh leaves A's entry live: A's next read is a hit, and the partial-fleet finding names A and its entry", async () => {
      expect((await getPage(a.baseUrl, '/pattern-1', carol)).status).toBe(200);
      const first = hits('carol');
      expect(first).toBe(1);
      const written = await until(async () =>
        (await snapshotOf(b)).events.find((e) => e.type === 'cache-set' && e.instance === 'A' && e.tags.some(isUserTag)),
      );
      // B has its own entry for carol too, so its revalidation matches there and Next reports nothing wrong
      expect((await getPage(b.baseUrl, '/pattern-1', carol)).status).toBe(200);
      expect((await postAction(b.baseUrl, '/pattern-1', 'refresh-mine', carol)).status).toBe(200);
      await until(async () => (await snapshotOf(a)).events.some((e) => e.type === 'revalidation-commit' && e.instance === 'B'));

      const before = hits('carol');
      expect((await getPage(a.baseUrl, '/pattern-1', carol)).status).toBe(200);
      await sleep(SETTLE_MS);
      expect(hits('carol')).toBe(before); // ground truth: A served its old entry; carol sees stale data on A

      for (const d of [a, b]) {
        const finding = await until(async () => (await snapshotOf(d)).findings.find((f) => f.kind === 'partial-fleet-revalidation'));
        if (finding.kind !== 'partial-fleet-revalidation') throw new Error('unreachable');
        expect(finding.revalidatedOn).toBe('B');
        expect(finding.staleOn).toEqual([expect.objectContaining({ instance: 'A', keys: [(written as { key: string }).key] })]);
        expect(finding.fix.pattern).toBe('shared-cache-handler');
      }
    });

    it("Redis lost mid-run: A's overlay says so and shows A alone, every request answers, then it recovers by itself", async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
        await page.goto(`${a.baseUrl}/`);
        await page.getByRole('button', { name: 'Open cachescope' }).click();
        const banner = page.getByTestId('cachescope-cluster-banner');
        expect(await banner.count()).toBe(0);

        await redis.stop();
        await banner.waitFor({ timeout: 30_000 });
        expect(await banner.textContent()).toMatch(/cluster view lost: showing this instance only \(A\)/);
        for (const d of [a, b]) expect((await getPage(d.baseUrl, '/pattern-1', carol)).status).toBe(200);

        await redis.restart();
        await banner.waitFor({ state: 'detached', timeout: 60_000 });
        for (const d of [a, b]) expect((await getPage(d.baseUrl, '/pattern-1', carol)).status).toBe(200);
      } finally {
        await browser.close();
      }
    });
  });
});
