// cachescope's verdicts against ground truth: for every pattern of the article, what cachescope says
// the cache did must match what the backend's hit counters say really happened, in `next dev` and in
// `next build && next start`.
import { describe, expect, it } from 'vitest';
import type { UnstableCacheEvent, UseCacheEvent } from '../../src/protocol/events.js';
import { connectCacheScope } from '../../src/testing/index.js';
import { eventsAfter, findingOf, realFetchesAfter, revalidationOf, userTagSuffix, useScenario } from './scenario.js';

describe.each(['dev', 'prod'] as const)('cachescope verdicts match the backend in next %s', (mode) => {
  const scenario = useScenario(mode);

  it('broken pattern: each fetch is a skip that drops dashboard-data and hits the backend; revalidateTag is a no-op', async () => {
    const s = scenario();
    const { alice } = s.sessions();
    const mark = await s.mark();
    const before = s.hits('broken', 'alice');
    await s.get('broken', alice);
    await s.get('broken', alice);
    const backendHits = s.hits('broken', 'alice') - before;
    expect(backendHits).toBeGreaterThanOrEqual(2);

    const fetches = await s.until('broken fetch events', (snap) => realFetchesAfter(snap, mark, '/broken', backendHits));
    expect(fetches).toHaveLength(backendHits); // one real fetch per backend hit, no more, no less
    for (const f of fetches) {
      expect(f.decision).toBe('skip');
      expect(f.reasonCode).toBe('auto-no-cache');
      expect(f.forwarded).toContain('cookie');
      expect(f.tagsDropped).toEqual(['dashboard-data']);
      expect(f.tagsAttached).toEqual([]);
    }

    const step = await (await connectCacheScope({ url: s.streamUrl })).mark();
    await s.act('broken', 'refresh-mine', alice);
    await step.expectRevalidation('dashboard-data', { matched: 0, api: 'revalidateTag' });
    const snap = await s.snapshot();
    expect(findingOf(snap, 'noop-revalidation', 'dashboard-data')).toBeDefined();
    const orphan = findingOf(snap, 'orphaned-tag', 'dashboard-data');
    expect(orphan).toMatchObject({ cause: 'declared-on-uncached-call' });

    // Ground truth for "changed nothing": the next request still goes to the backend, once.
    const beforeNext = s.hits('broken', 'alice');
    await s.get('broken', alice);
    expect(s.hits('broken', 'alice') - beforeNext).toBeGreaterThanOrEqual(1);
  });

  it("pattern 1: misses equal backend hits, and alice's refresh matches exactly her entry", async () => {
    const s = scenario();
    const { alice, bob } = s.sessions();
    const aliceTag = `p1:dashboard-data:${userTagSuffix(alice)}`;
    const mark = await s.mark();
    const before = { alice: s.hits('p1', 'alice'), bob: s.hits('p1', 'bob') };
    await s.get('p1', alice);
    await s.get('p1', alice);
    await s.get('p1', bob);
    expect(s.hits('p1', 'alice') - before.alice).toBe(1);
    expect(s.hits('p1', 'bob') - before.bob).toBe(1);

    const aliceCalls = await s.until('alice unstable_cache calls', (snap) => {
      const calls = eventsAfter(snap, mark).filter(
        (e): e is UnstableCacheEvent => e.type === 'unstable-cache' && e.tags.includes(aliceTag),
      );
      return calls.some((c) => c.decision === 'hit') && calls;
    });
    expect(aliceCalls.filter((c) => c.decision === 'miss')).toHaveLength(1); // = alice's one backend hit
    expect(aliceCalls.filter((c) => c.decision === 'hit').length).toBeGreaterThanOrEqual(1);

    const step = await (await connectCacheScope({ url: s.streamUrl })).mark();
    await s.act('p1', 'refresh-mine', alice);
    const mine = await step.expectRevalidation(aliceTag, { matched: 1, api: 'revalidateTag', mode: 'stale-while-revalidate' });
    expect(mine.matched[0]).toMatchObject({ kind: 'UNSTABLE_CACHE', tag: aliceTag, via: 'tag' });

    // The next read is served stale (cachescope says so) while the backend refetches once in the background.
    const readMark = await s.mark();
    await s.get('p1', alice);
    const staleRead = await s.until('the read after refresh-mine', (snap) =>
      eventsAfter(snap, readMark).find(
        (e): e is UnstableCacheEvent => e.type === 'unstable-cache' && e.tags.includes(aliceTag) && e.decision !== 'deduped',
      ),
    );
    expect(staleRead.decision).toBe('stale');
    await s.until('the background refetch', () => s.hits('p1', 'alice') - before.alice === 2 || undefined);
    expect(s.hits('p1', 'bob') - before.bob).toBe(1);
  });

  it("pattern 1: refresh everyone's reaches every user's entry and is reported as broad", async () => {
    const s = scenario();
    const { alice, bob } = s.sessions();
    const mark = await s.mark();
    await s.get('p1', alice);
    await s.get('p1', bob);
    await s.act('p1', 'refresh-everyone', alice);
    const all = await s.until('refresh-everyone', (snap) => revalidationOf(snap, mark, 'p1:dashboard-data'));
    const suffixes = new Set(all.matched.map((m) => m.tag));
    expect(suffixes).toEqual(new Set(['p1:dashboard-data']));
    const matchedUsers = all.matched.length;
    expect(matchedUsers).toBeGreaterThanOrEqual(2);
    expect(all.blast.scopes).toBeGreaterThanOrEqual(2);
    const snap = await s.snapshot();
    expect(snap.findings.some((f) => f.kind === 'broad-revalidation' && f.tags.includes('p1:dashboard-data'))).toBe(true);
  });

  it('pattern 1: updateTag expires now and the very next read is a miss that refetches', async () => {
    const s = scenario();
    const { alice } = s.sessions();
    const aliceTag = `p1:dashboard-data:${userTagSuffix(alice)}`;
    await s.get('p1', alice);
    const mark = await s.mark();
    const before = s.hits('p1', 'alice');
    await s.act('p1', 'update-mine', alice);
    const update = await s.until('update-mine', (snap) => revalidationOf(snap, mark, aliceTag));
    expect(update.api).toBe('updateTag');
    expect(update.mode).toBe('expire-now');
    expect(update.matched).toHaveLength(1);
    // read-your-writes: the action's own re-render fetched fresh data
    expect(s.hits('p1', 'alice') - before).toBe(1);
    const misses = await s.until(
      'the re-render miss',
      (snap) =>
        eventsAfter(snap, mark).filter(
          (e): e is UnstableCacheEvent => e.type === 'unstable-cache' && e.tags.includes(aliceTag) && e.decision === 'miss',
        ).length || undefined,
    );
    expect(misses).toBe(1);
  });

  it("pattern 2: 'use cache' misses equal backend hits, and refresh mine matches one entry", async () => {
    const s = scenario();
    const { alice, bob } = s.sessions();
    const aliceTag = `p2:dashboard-data:${userTagSuffix(alice)}`;
    const mark = await s.mark();
    const before = s.hits('p2', 'alice');
    await s.get('p2', alice);
    await s.get('p2', alice);
    await s.get('p2', bob);
    const aliceHits = s.hits('p2', 'alice') - before;
    expect(aliceHits).toBe(1);
    const calls = await s.until("alice's 'use cache' calls", (snap) => {
      const found = eventsAfter(snap, mark).filter((e): e is UseCacheEvent => e.type === 'use-cache' && e.tags.includes(aliceTag));
      return found.some((c) => c.decision === 'hit') && found;
    });
    expect(calls.filter((c) => c.decision === 'miss')).toHaveLength(aliceHits);
    expect(calls[0].cacheLife).toMatchObject({ revalidate: expect.any(Number), expire: expect.any(Number) });

    await s.act('p2', 'refresh-mine', alice);
    const mine = await s.until('refresh-mine', (snap) => revalidationOf(snap, mark, aliceTag));
    expect(mine.matched).toHaveLength(1);
    expect(mine.matched[0]).toMatchObject({ kind: 'USE_CACHE', tag: aliceTag });
  });

  it('pattern 3: one real fetch per request (React.cache), equal to backend hits; revalidatePath reaches no data entry', async () => {
    const s = scenario();
    const { alice } = s.sessions();
    const mark = await s.mark();
    const before = s.hits('p3', 'alice');
    await s.get('p3', alice);
    await s.get('p3', alice);
    const backendHits = s.hits('p3', 'alice') - before;
    expect(backendHits).toBe(2);
    const fetches = await s.until('pattern-3 fetches', (snap) => realFetchesAfter(snap, mark, '/pattern-3', backendHits));
    expect(fetches).toHaveLength(backendHits);
    expect(fetches.every((f) => f.decision === 'skip')).toBe(true);

    await s.act('p3', 'refresh-mine', alice);
    const path = await s.until('revalidatePath', (snap) => revalidationOf(snap, mark, '/pattern-3'));
    expect(path.api).toBe('revalidatePath');
    // Only the page shell can carry the path's implicit tag; no data entry exists for this pattern.
    expect(path.matched.every((m) => m.kind === 'APP_PAGE')).toBe(true);
    if (path.matched.length === 0) expect(findingOf(await s.snapshot(), 'noop-revalidation', '_N_T_/pattern-3')).toBeDefined();
  });

  it("sledgehammer: revalidateTag('') matches nothing; revalidatePath('/', 'layout') reaches every user's entry", async () => {
    const s = scenario();
    const { alice, bob } = s.sessions();
    await s.get('sh', alice);
    await s.get('sh', bob);
    const mark = await s.mark();
    await s.act('sh', 'sledgehammer-tag', alice);
    const empty = await s.until("revalidateTag('')", (snap) => revalidationOf(snap, mark, ''));
    expect(empty.matched).toEqual([]);
    expect((await s.snapshot()).findings.some((f) => f.kind === 'noop-revalidation' && f.tags.includes(''))).toBe(true);
    // ground truth: bob's entry survived
    const bobBefore = s.hits('sh', 'bob');
    await s.get('sh', bob);
    expect(s.hits('sh', 'bob')).toBe(bobBefore);

    const pathMark = await s.mark();
    await s.act('sh', 'sledgehammer-path', alice);
    const layout = await s.until("revalidatePath('/', 'layout')", (snap) => revalidationOf(snap, pathMark, '/'));
    const bobEntry = layout.matched.find((m) => m.kind === 'UNSTABLE_CACHE' && m.via === 'soft-tag');
    expect(bobEntry).toBeDefined();
    expect(layout.blast.scopes).toBeGreaterThanOrEqual(2);
    // ground truth: bob's next read refetches, though only alice acted
    const bobBeforePath = s.hits('sh', 'bob');
    await s.get('sh', bob);
    await s.until("bob's refetch", () => s.hits('sh', 'bob') > bobBeforePath || undefined);
  });
});

// Only `next build` writes entries before the server starts; its own scenario runs before any
// revalidatePath('/', 'layout') could expire them.
describe('cachescope and entries written by next build', () => {
  const scenario = useScenario('prod');

  it('entries written by next build count: revalidating them is not a no-op', async () => {
    const s = scenario();
    const mark = await s.mark();
    const res = await fetch(`${s.demo.baseUrl}/api/announcements`, { method: 'POST' });
    expect(res.status).toBe(200);
    const rev = await s.until('announcements revalidation', (snap) => revalidationOf(snap, mark, 'announcements'));
    expect(rev.matched.length).toBeGreaterThanOrEqual(1);
    expect(rev.matched.every((m) => m.kind === 'APP_PAGE')).toBe(true);
    const snap = await s.snapshot();
    const noop = snap.findings.find((f) => f.kind === 'noop-revalidation' && f.tags.includes('announcements'));
    expect(noop).toBeUndefined();
  });
});
