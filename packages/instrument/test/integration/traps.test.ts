// The demo's traps (apps/demo/app/traps): what Next accepts without a word, what the backend's counters say
// really happened, and the cause cachescope names for it, in `next dev` and in `next build && next start`.
import { describe, expect, it } from 'vitest';
import type { CacheScopeEvent, FetchEvent, OrphanedTagFinding, RevalidationCommitEvent, UseCacheEvent } from '../../src/protocol/events.js';
import { getPage, postActionById, resolveActionId, sleep } from '@cachescope/harness';
import { eventsAfter, findingOf, revalidationOf, useScenario, type Scenario } from './scenario.js';

/** The backend counter of a trap block (no session: user `anonymous`). */
const hits = (s: Scenario, counter: string) => s.demo.backend.stats().hits[`trap-${counter}`]?.anonymous ?? 0;
/** The text React rendered, entities decoded. */
const htmlText = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const fetchNo = (dashboards: { testid: string; fetchNo: number }[], testid = 'dashboard') =>
  dashboards.find((d) => d.testid === testid)?.fetchNo;

/** Resolves `action` on `path` and renders the page once more (its entries cached), then marks the stream. */
async function warmed(s: Scenario, path: string, action: string) {
  const id = await resolveActionId(s.demo.baseUrl, path, action);
  const warm = await getPage(s.demo.baseUrl, path);
  return { id, warm, mark: await s.mark() };
}

/**
 * Renders `path`, posts its `action` and reads it again: ground truth for "the revalidation reached nothing" is
 * a backend counter that did not move and both later reads showing the first read's data. Returns the mark
 * taken before the action.
 */
async function actExpectingNoRefetch(s: Scenario, path: string, action: string, counter: string): Promise<number> {
  const { id, warm, mark } = await warmed(s, path, action);
  const before = hits(s, counter);
  const res = await postActionById(s.demo.baseUrl, path, id);
  const after = await getPage(s.demo.baseUrl, path);
  expect(hits(s, counter)).toBe(before);
  expect(fetchNo(res.dashboards)).toBe(fetchNo(warm.dashboards));
  expect(fetchNo(after.dashboards)).toBe(fetchNo(warm.dashboards));
  return mark;
}

describe.each(['dev', 'prod'] as const)('traps: causes Next is silent about, against the backend in next %s', (mode) => {
  const scenario = useScenario(mode);

  it('a tag passed as an unstable_cache key part: updateTag reaches nothing, and the finding names the key part and the fix', async () => {
    const s = scenario();
    const mark = await actExpectingNoRefetch(s, '/traps/key-part', 'update-key-part', 'key-part');
    const rev = await s.until('the key-part revalidation', (snap) => revalidationOf(snap, mark, 'trap:posts'));
    expect(rev.matched).toEqual([]);
    const snap = await s.snapshot();
    const orphan = findingOf(snap, 'orphaned-tag', 'trap:posts') as OrphanedTagFinding;
    expect(orphan).toMatchObject({ cause: 'revalidated-never-declared', keyPartOf: { fnName: 'trap-key-part' } });
    expect(orphan.message).toContain('it was passed to unstable_cache ("trap-key-part") as a key part');
    expect(orphan.message).not.toContain('no call declared it');
    expect(orphan.fix.text).toContain('unstable_cache(fn, keyParts, { tags: ["trap:posts"] })');
    // The key part's value is matched by hash: the unstable_cache event carries no key part in clear.
    const call = snap.events.find((e) => e.type === 'unstable-cache' && e.fnName === 'trap-key-part');
    expect(call).toMatchObject({ keyPartHashes: expect.any(Array) });
    expect(JSON.stringify(call)).not.toContain('trap:posts');
    const noop = findingOf(snap, 'noop-revalidation', 'trap:posts');
    expect(noop?.message).toContain('passed to unstable_cache as a key part');
  });

  it('updateTag of a tag the page does not read re-renders the page (uncached data refetched, cached block not), and the record says so', async () => {
    const s = scenario();
    const path = '/traps/update-tag';
    const { id, mark } = await warmed(s, path, 'update-unrelated');
    const before = { cached: hits(s, 'update-tag-cached'), live: hits(s, 'update-tag-live') };

    const res = await postActionById(s.demo.baseUrl, path, id);
    // Ground truth: the action's response re-rendered the route: the uncached block went to the backend,
    // the cached one (its tag untouched) did not.
    expect(hits(s, 'update-tag-live')).toBeGreaterThan(before.live);
    expect(fetchNo(res.dashboards, 'dashboard-live')).toBeGreaterThan(before.live);
    expect(hits(s, 'update-tag-cached')).toBe(before.cached);

    const rev = await s.until('the unrelated updateTag', (snap) => revalidationOf(snap, mark, 'trap:not-on-this-page'));
    expect(rev.matched).toEqual([]);
    expect(rev.notes).toHaveLength(1);
    expect(rev.notes![0]).toContain('re-render the current route (/traps/update-tag)');
    expect(rev.notes![0]).toContain('whether or not the route reads "trap:not-on-this-page"');
    // The commit the stream carries (the CLI prints it) holds the same note.
    const commit = (await s.snapshot()).events.find(
      (e): e is RevalidationCommitEvent =>
        e.type === 'revalidation-commit' && e.id > mark && e.tags.includes('trap:not-on-this-page') && !e.coalescedInto,
    );
    expect(commit?.notes).toEqual(rev.notes);
  });

  it('a non-ASCII tag: updateTag matches the entry Next stored percent-encoded, the backend refetches, and the tag shows as written', async () => {
    const s = scenario();
    const path = '/traps/non-ascii';
    const { id, mark } = await warmed(s, path, 'update-non-ascii');
    const before = hits(s, 'non-ascii');

    const res = await postActionById(s.demo.baseUrl, path, id);
    // Ground truth: the entry was invalidated; the action's re-render fetched again.
    expect(hits(s, 'non-ascii')).toBeGreaterThan(before);
    expect(fetchNo(res.dashboards)).toBeGreaterThan(before);

    const rev = await s.until('the non-ASCII updateTag', (snap) => revalidationOf(snap, mark, 'trap:café'));
    expect(rev.tags).toEqual(['trap:caf%C3%A9']); // what Next enqueued and committed
    expect(rev.matched.some((m) => m.kind === 'USE_CACHE' && m.tag === 'trap:caf%C3%A9')).toBe(true);
    const snap = await s.snapshot();
    expect(snap.tags.find((t) => t.tag === 'trap:caf%C3%A9')?.written).toBe('trap:café');
    expect(snap.findings.filter((f) => f.tags.some((t) => t.startsWith('trap:caf')))).toEqual([]);
  });

  it(`a 'use cache' expire of one second: ${mode === 'dev' ? 'next dev serves the old entry, labelled with the five-minute floor' : 'next start misses, with no label'}`, async () => {
    const s = scenario();
    const path = '/traps/short-expire';
    await getPage(s.demo.baseUrl, path);
    await sleep(2_000); // past the entry's one-second expire
    const mark = await s.mark();
    const before = hits(s, 'short-expire');
    const page = await getPage(s.demo.baseUrl, path);
    const served = fetchNo(page.dashboards)!;
    const calls = (snap: { events: CacheScopeEvent[] }) =>
      eventsAfter(snap as never, mark).filter((e): e is UseCacheEvent => e.type === 'use-cache' && e.route === path);

    if (mode === 'dev') {
      // Ground truth: what the page shows was fetched before this request (served from the cache).
      expect(served).toBeLessThanOrEqual(before);
      const labelled = await s.until('the labelled hit', (snap) => calls(snap).find((c) => c.reason !== undefined));
      expect(['hit', 'stale']).toContain(labelled.decision);
      expect(labelled.cacheLife?.expire).toBe(1);
      expect(labelled.reason).toContain("next dev raises a 'use cache' expire under five minutes to 300 s");
    } else {
      // Ground truth: the entry expired; this request fetched it again.
      expect(served).toBeGreaterThan(before);
      const miss = await s.until('the miss', (snap) => calls(snap).find((c) => c.decision === 'miss'));
      expect(miss.reason).toBeUndefined();
      expect(calls(await s.snapshot()).filter((c) => c.reason !== undefined)).toEqual([]);
    }
  });

  it(`updateTag of a one-second 'use cache' entry two seconds old: ${mode === 'dev' ? 'next dev still serves it, so the revalidation matches it' : 'next start dropped it, so it matches nothing'}`, async () => {
    const s = scenario();
    const path = '/traps/short-expire';
    const id = await resolveActionId(s.demo.baseUrl, path, 'update-short-expire'); // renders: the entry is (re)written
    await sleep(2_000); // past its one-second expire, well inside next dev's five minutes
    const mark = await s.mark();
    const before = hits(s, 'short-expire');
    const res = await postActionById(s.demo.baseUrl, path, id);
    // Ground truth: the action's re-render fetched fresh data (the previous test shows next dev would have served
    // the held entry without the updateTag, next start would have missed anyway).
    expect(fetchNo(res.dashboards)).toBeGreaterThan(before);
    const rev = await s.until('the short-expire updateTag', (snap) => revalidationOf(snap, mark, 'trap:short-expire'));
    const useCache = rev.matched.filter((m) => m.kind === 'USE_CACHE');
    if (mode === 'dev') expect(useCache.length).toBeGreaterThanOrEqual(1);
    else expect(useCache).toEqual([]);
  });

  it('a tag on a revalidate: 0 fetch: every read goes to the backend, the tag is dropped, and the revalidation is an orphan with that cause', async () => {
    const s = scenario();
    const path = '/traps/revalidate-0';
    const id = await resolveActionId(s.demo.baseUrl, path, 'revalidate-revalidate-0');
    const mark = await s.mark();
    const before = hits(s, 'revalidate-0');
    await getPage(s.demo.baseUrl, path);
    await getPage(s.demo.baseUrl, path);
    const backendHits = hits(s, 'revalidate-0') - before;
    expect(backendHits).toBeGreaterThanOrEqual(2); // never stored: each read fetched
    const fetches = await s.until('the revalidate: 0 fetches', (snap) => {
      const found = eventsAfter(snap, mark).filter(
        (e): e is FetchEvent => e.type === 'fetch' && e.url.includes('trap-revalidate-0') && e.decision !== 'deduped',
      );
      return found.length >= backendHits && found;
    });
    expect(fetches).toHaveLength(backendHits);
    for (const f of fetches)
      expect(f).toMatchObject({ decision: 'skip', reasonCode: 'revalidate-0', tagsDropped: ['trap:revalidate-0'], tagsAttached: [] });

    await postActionById(s.demo.baseUrl, path, id);
    const rev = await s.until('the revalidate: 0 revalidation', (snap) => revalidationOf(snap, mark, 'trap:revalidate-0'));
    expect(rev.matched).toEqual([]);
    const orphan = findingOf(await s.snapshot(), 'orphaned-tag', 'trap:revalidate-0') as OrphanedTagFinding;
    expect(orphan).toMatchObject({ cause: 'declared-on-uncached-call' });
    expect(orphan.dynamicReason).toContain('revalidate: 0');
  });

  it("revalidateTag during render: Next throws, and the revalidation is recorded as failed with Next's error", async () => {
    const s = scenario();
    const mark = await s.mark();
    const page = await getPage(s.demo.baseUrl, '/traps/render-revalidate');
    const shown = /data-testid="render-revalidate-error"[^>]*>([^<]*)</.exec(page.html)?.[1];
    const nextError = htmlText(shown ?? '');
    expect(nextError).toContain("can't be called during render"); // what Next told the app
    const rev = await s.until('the failed revalidation', (snap) =>
      snap.revalidations.find((r) => (r.callEventId ?? r.id) > mark && r.args[0] === 'trap:in-render'),
    );
    expect(rev.status).toBe('failed');
    expect(rev.matched).toEqual([]);
    const call = (await s.snapshot()).events.find((e) => e.id === rev.callEventId);
    expect(call?.type === 'revalidate-call' && call.error?.split('\n')[0]).toBe(nextError.split('\n')[0]);
  });

  it("revalidatePath of a route pattern without a type: the cached post is untouched, and the no-op names the missing 'page'", async () => {
    const s = scenario();
    const mark = await actExpectingNoRefetch(s, '/traps/posts/first', 'revalidate-pattern', 'post-first');
    const rev = await s.until('the pattern revalidatePath', (snap) => revalidationOf(snap, mark, '/traps/posts/[slug]'));
    expect(rev.matched).toEqual([]);
    const noop = findingOf(await s.snapshot(), 'noop-revalidation', '_N_T_/traps/posts/[slug]');
    expect(noop).toMatchObject({ severity: 'warning' });
    expect(noop?.message).toContain('a dynamic route pattern needs a type');
    expect(noop?.fix.text).toContain(`revalidatePath("/traps/posts/[slug]", 'page')`);
  });
});
