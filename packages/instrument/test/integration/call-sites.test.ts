// Call sites point at the app's source: file (relative to the app), line and function, resolved
// through the build's source maps, in next dev and next start. The expected line is read from the
// demo's source by searching for the call's text, never hard-coded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  DynamicApiEvent,
  FetchEvent,
  Revalidation,
  SourceSite,
  UnstableCacheEvent,
  UseCacheEvent,
} from '../../src/protocol/events.js';
import { DEMO_DIR, lineOf } from '@cachescope/harness';
import { NO_SOURCE_MAPS } from '../../src/recorder/source-sites.js';
import { eventsAfter, revalidationOf, userTagSuffix, useScenario } from './scenario.js';

function expectSite(site: SourceSite | undefined, file: string, line: number, fn: string) {
  expect(site).toMatchObject({ file, line, fn });
  expect(site!.unresolved).toBeUndefined();
  expect(site!.column).toBeGreaterThan(0);
}

const PER_USER = 'lib/actions/per-user-tags.ts';

describe.each([
  ['dev', 'turbopack', undefined],
  ['prod', 'turbopack', undefined], // Turbopack builds write server source maps by default
  ['dev', 'webpack', undefined],
  ['prod', 'webpack', true], // webpack builds write them only with experimental.serverSourceMaps
] as const)('call sites resolve to the demo source in next %s (%s, server source maps: %s)', (mode, bundler, serverSourceMaps) => {
  const scenario = useScenario(mode, { bundler, serverSourceMaps });

  it("broken pattern: refreshMine's revalidateTag and the page's cookies() read", async () => {
    const s = scenario();
    const { alice } = s.sessions();
    const mark = await s.mark();
    await s.get('broken', alice);
    await s.act('broken', 'refresh-mine', alice);
    const rev = await s.until('the broken revalidation', (snap) => revalidationOf(snap, mark, 'dashboard-data'));
    expectSite(
      rev.site,
      'app/broken/actions.ts',
      lineOf('app/broken/actions.ts', "revalidateTag('dashboard-data'", 'refreshMine'),
      'refreshMine',
    );
    expect(rev.callSite).toBe(`refreshMine (app/broken/actions.ts:${rev.site!.line}:${rev.site!.column})`);

    const read = await s.until('the broken cookies() read', (snap) =>
      eventsAfter(snap, mark).find((e): e is DynamicApiEvent => e.type === 'dynamic-api' && e.route === '/broken' && e.api === 'cookies'),
    );
    // the layout reads the session first: lib/session.ts's readSession
    expect(read.site).toMatchObject({ file: 'lib/session.ts', line: lineOf('lib/session.ts', 'await cookies()'), fn: 'readSession' });
    expect(read.callSite).toBe(`readSession (lib/session.ts:${read.site!.line}:${read.site!.column})`);

    // the fetch that dropped the tag: where fetchAPI calls it
    const call = await s.until('the broken fetch', (snap) =>
      eventsAfter(snap, mark).find(
        (e): e is FetchEvent => e.type === 'fetch' && e.route === '/broken' && !!e.declared.tags?.includes('dashboard-data'),
      ),
    );
    expect(call.site).toMatchObject({
      file: 'lib/patterns/broken.ts',
      line: lineOf('lib/patterns/broken.ts', "await fetch(dashboardUrl('broken')"),
    });
    expect(call.site!.unresolved).toBeUndefined();
    expect(call.site!.column).toBeGreaterThan(0);
    if (mode === 'dev') expect(call.site!.fn).toBe('fetchAPI'); // a build minifies the arrow's name away
    expect(call.callSite).toContain(`lib/patterns/broken.ts:${call.site!.line}:${call.site!.column}`);
  });

  it("Pattern 1, Pattern 2 and the sledgehammer: the per-user helper, unstable_cache and 'use cache' calls, the sledgehammer actions", async () => {
    const s = scenario();
    const { alice } = s.sessions();
    const mark = await s.mark();
    await s.get('p1', alice);
    await s.act('p1', 'refresh-mine', alice);
    const mine = await s.until('the p1 refresh-mine revalidation', (snap) =>
      revalidationOf(snap, mark, `p1:dashboard-data:${userTagSuffix(alice)}`),
    );
    expectSite(mine.site, PER_USER, lineOf(PER_USER, 'revalidateTag(userTag(prefix'), 'revalidateMine');
    // Pattern 1's fetch runs inside the unstable_cache function, on a miss
    const p1Fetch = await s.until('the p1 fetch', (snap) =>
      eventsAfter(snap, mark).find((e): e is FetchEvent => e.type === 'fetch' && e.route === '/pattern-1' && e.site?.file !== undefined),
    );
    expect(p1Fetch.site).toMatchObject({
      file: 'lib/patterns/per-user-cache.ts',
      line: lineOf('lib/patterns/per-user-cache.ts', 'await fetch(dashboardUrl(prefix)'),
    });

    const p1Cached = await s.until('the p1 unstable_cache call', (snap) =>
      eventsAfter(snap, mark).find((e): e is UnstableCacheEvent => e.type === 'unstable-cache' && e.route === '/pattern-1'),
    );
    // the call expression `unstable_cache(…)()`: source maps place its second call on the last mapped
    // token before it, the options line, so the site lies within the expression
    const P1 = 'lib/patterns/per-user-cache.ts';
    expect(p1Cached.site?.file).toBe(P1);
    expect(p1Cached.site!.unresolved).toBeUndefined();
    expect(p1Cached.site!.line).toBeGreaterThanOrEqual(lineOf(P1, 'unstable_cache('));
    expect(p1Cached.site!.line).toBeLessThanOrEqual(lineOf(P1, ')();'));
    if (mode === 'dev') expect(p1Cached.site!.fn).toBe('fetchAPIForUser');

    await s.get('p2', alice);
    const p2Cached = await s.until('the p2 use cache call', (snap) =>
      eventsAfter(snap, mark).find((e): e is UseCacheEvent => e.type === 'use-cache' && e.route === '/pattern-2'),
    );
    // Next reaches the 'use cache' handler after awaits: the app's frame is the one awaiting the call
    const BLOCKS = 'components/PatternPage.tsx';
    expect(p2Cached.site).toMatchObject({ file: BLOCKS, line: lineOf(BLOCKS, 'blocks.map(() => load())') });
    expect(p2Cached.site!.unresolved).toBeUndefined();
    if (mode === 'dev') expect(p2Cached.site!.fn).toBe('Blocks');
    expect(p2Cached.callSite).toContain(`${BLOCKS}:${p2Cached.site!.line}:${p2Cached.site!.column}`);

    await s.get('sh', alice);
    await s.act('sh', 'sledgehammer-path', alice);
    const path = await s.until('the sledgehammer revalidatePath', (snap) =>
      snap.revalidations.find((r: Revalidation) => (r.callEventId ?? r.id) > mark && r.api === 'revalidatePath'),
    );
    expectSite(
      path.site,
      'app/sledgehammer/actions.ts',
      lineOf('app/sledgehammer/actions.ts', "revalidatePath('/', 'layout')"),
      'sledgehammerPath',
    );

    const reads = await s.until('the p1 cookies() reads', (snap) => {
      const found = eventsAfter(snap, mark).filter(
        (e): e is DynamicApiEvent => e.type === 'dynamic-api' && e.route === '/pattern-1' && e.api === 'cookies',
      );
      return found.length ? found : undefined;
    });
    for (const read of reads) {
      expect(read.site?.file).toMatch(/^(app|lib|components)\//);
      const file = read.site!.file!;
      expect(readFileSync(join(DEMO_DIR, file), 'utf8').split('\n')[read.site!.line! - 1]).toContain('cookies()');
    }
  });

  it('never names a path outside the app', async () => {
    const snap = await scenario().snapshot();
    const sites = [...snap.events.map((e) => ('site' in e ? e.site : undefined)), ...snap.revalidations.map((r) => r.site)].filter(
      Boolean,
    ) as SourceSite[];
    expect(sites.length).toBeGreaterThan(0);
    for (const site of sites) {
      expect(site.file).not.toMatch(/^\/|^\.\.|node_modules/);
    }
    expect(JSON.stringify([snap.events, snap.revalidations, snap.findings])).not.toContain(DEMO_DIR);
  });
});

describe('call sites in next start without server source maps (experimental.serverSourceMaps: false)', () => {
  const scenario = useScenario('prod', { serverSourceMaps: false });

  it('say so, with the config line that turns them on, and still name the function and the chunk', async () => {
    const s = scenario();
    const { alice } = s.sessions();
    const mark = await s.mark();
    await s.get('broken', alice);
    await s.act('broken', 'refresh-mine', alice);
    const rev = await s.until('the broken revalidation', (snap) => revalidationOf(snap, mark, 'dashboard-data'));
    expect(rev.site?.unresolved).toBe(NO_SOURCE_MAPS);
    expect(rev.site?.unresolved).toContain('experimental: { serverSourceMaps: true }');
    expect(rev.site?.fn).toMatch(/^[A-Za-z_$][\w$]*$/);
    expect(rev.site?.file).toMatch(/^\.next-cachescope-nomaps\/server\//);
    expect(rev.callSite).toBe(`${rev.site!.fn} (${rev.site!.file}:${rev.site!.line}:${rev.site!.column})`);
  });
});
