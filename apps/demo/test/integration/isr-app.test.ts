// A shape the demo cannot host (its cacheComponents build refuses route segment config): a statically
// rendered ISR page whose fetch has no `cache` option, so the only entry of that fetch is the one
// `next build` wrote. cachescope must know that entry from the first request (a revalidation matches it),
// and every fetch it reports after the revalidation must agree with the counting origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchEvent, Revalidation, Snapshot } from '@cachescope/instrument/types';
import {
  buildFixtureApp,
  copyFixtureApp,
  freePortRange,
  lineOf,
  startCountingOrigin,
  startFixtureApp,
  waitFor,
  type CountingOrigin,
  type RunningApp,
} from '@cachescope/harness';

const TAG = 'isr-data';
/** Where the fixture calls fetch and revalidateTag, read from its source (paths relative to the app). */
const FIXTURE = 'test/apps/isr-app';
const PAGE_FETCH = { file: 'app/page.tsx', line: lineOf(`${FIXTURE}/app/page.tsx`, 'await fetch('), fn: 'Page' };
const ROUTE_REVALIDATE = {
  file: 'app/revalidate/route.ts',
  line: lineOf(`${FIXTURE}/app/revalidate/route.ts`, "revalidateTag('isr-data'"),
  fn: 'POST',
};

describe('an ISR page whose fetch has no cache option (next build && next start, CACHESCOPE_ENABLED=1)', () => {
  let origin: CountingOrigin;
  let app: RunningApp;
  const hits = () => origin.hits.isr ?? 0;
  const snapshot = async () =>
    (await fetch(`${app.streamUrl()}/snapshot`, { signal: AbortSignal.timeout(10_000) })).json() as Promise<Snapshot>;
  const fetchesAfter = (s: Snapshot, ts: number) =>
    s.events.filter((e): e is FetchEvent => e.type === 'fetch' && e.url.includes('app=isr') && e.ts > ts);

  /** Revalidate the tag; the revalidation cachescope reports, once committed. */
  async function revalidate(): Promise<Revalidation> {
    const before = Date.now();
    expect((await fetch(`${app.baseUrl}/revalidate`, { method: 'POST' })).status).toBe(200);
    return waitFor(
      async () => (await snapshot()).revalidations.find((r) => r.tags.includes(TAG) && r.ts >= before - 50 && r.status !== 'pending'),
      { timeoutMs: 15_000, intervalMs: 200, what: `revalidateTag('${TAG}') in the snapshot` },
    );
  }

  /** GET / until the origin is asked again (Next regenerates the page), then the page's fetch events since `since`. */
  async function readUntilRefetched(since: number, hitsBefore: number): Promise<FetchEvent[]> {
    await waitFor(
      async () => {
        await fetch(`${app.baseUrl}/`, { signal: AbortSignal.timeout(30_000) });
        return hits() > hitsBefore ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, what: 'Next to fetch from the origin again' },
    );
    // the events of the regeneration reach the stream a little after its origin request
    return waitFor(
      async () => {
        const events = fetchesAfter(await snapshot(), since);
        return events.filter((e) => e.decision === 'miss' || e.decision === 'skip').length >= hits() - hitsBefore ? events : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 200, what: 'the fetch events of the regeneration' },
    );
  }

  beforeAll(async () => {
    origin = await startCountingOrigin();
    const fixture = copyFixtureApp('isr-app', 'isr');
    await buildFixtureApp(fixture, { CACHESCOPE_ENABLED: '1', ORIGIN_URL: origin.url });
    app = await startFixtureApp(fixture, 'prod', {
      CACHESCOPE_ENABLED: '1',
      ORIGIN_URL: origin.url,
      CACHESCOPE_PORT: String(await freePortRange(10)),
    });
  }, 600_000);

  afterAll(async () => {
    await app?.stop();
    await origin?.close();
  });

  it('the entry next build wrote is live in the tag index before any request reads it', async () => {
    expect(hits(), 'next build prerendered the page, fetching once or more').toBeGreaterThan(0);
    const built = hits();
    await fetch(`${app.baseUrl}/`);
    expect(hits(), 'the prerendered page is served as built').toBe(built);
    const s = await snapshot();
    const tag = s.tags.find((t) => t.tag === TAG);
    expect(tag, JSON.stringify(s.tags.map((t) => t.tag))).toBeDefined();
    expect(
      s.findings.filter((f) => f.tags.includes(TAG)),
      'no finding about a tag a build-written entry carries',
    ).toEqual([]);
  });

  it('a revalidation matches the build-written fetch entry, and Next agrees: the origin is asked again', async () => {
    const hitsBefore = hits();
    const rev = await revalidate();
    expect(
      rev.matched.map((m) => m.kind),
      JSON.stringify(rev.matched),
    ).toContain('FETCH');
    expect((await snapshot()).findings.filter((f) => f.kind === 'noop-revalidation')).toEqual([]);
    // call sites in a shape the demo lacks: a route handler's revalidateTag, a background regeneration's fetch
    expect(rev.site, rev.callSite).toMatchObject(ROUTE_REVALIDATE);
    const events = await readUntilRefetched(rev.ts, hitsBefore);
    // every origin request is a reported miss or skip, and none of them dropped the tag Next stored
    expect(events.filter((e) => e.decision === 'miss' || e.decision === 'skip')).toHaveLength(hits() - hitsBefore);
    for (const e of events) expect(e.tagsDropped, `${e.decision}: ${e.reason}`).not.toContain(TAG);
    for (const e of events) expect(e.site, e.callSite).toMatchObject(PAGE_FETCH);
  });

  it('what the regeneration stored is what a second revalidation matches, and the origin moves again', async () => {
    const s = await snapshot();
    const stored = fetchesAfter(s, 0)
      .filter((e) => e.decision === 'miss' && e.tagsAttached.includes(TAG))
      .at(-1);
    const hitsBefore = hits();
    const rev = await revalidate();
    const matchedFetch = rev.matched.some((m) => m.kind === 'FETCH');
    // cachescope's own account must hang together: a fetch it says stored the tag is matched by its revalidation
    expect(matchedFetch, `last miss: ${JSON.stringify(stored && { reason: stored.reason, tagsAttached: stored.tagsAttached })}`).toBe(
      stored !== undefined,
    );
    const events = await readUntilRefetched(rev.ts, hitsBefore);
    expect(events.filter((e) => e.decision === 'miss' || e.decision === 'skip')).toHaveLength(hits() - hitsBefore);
  });
});
