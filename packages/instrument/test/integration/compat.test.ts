// Other shapes of app: cacheComponents off (many apps still run it), and webpack instead of
// Turbopack. The broken pattern and Pattern 1 must get the same verdicts there, against the same
// backend ground truth.
import { describe, expect, it } from 'vitest';
import type { UnstableCacheEvent } from '../../src/protocol/events.js';
import { eventsAfter, findingOf, realFetchesAfter, revalidationOf, userTagSuffix, useScenario } from './scenario.js';

const SHAPES = [
  { name: 'cacheComponents off, next dev', mode: 'dev', cacheComponents: false, bundler: 'turbopack' },
  { name: 'cacheComponents off, next start', mode: 'prod', cacheComponents: false, bundler: 'turbopack' },
  { name: 'webpack, next start', mode: 'prod', cacheComponents: true, bundler: 'webpack' },
] as const;

describe.each(SHAPES)('cachescope with $name', ({ mode, cacheComponents, bundler }) => {
  const scenario = useScenario(mode, { cacheComponents, bundler });

  it('broken pattern: skip + dropped tag per backend hit, no-op revalidation, orphaned tag', async () => {
    const s = scenario();
    const { alice } = s.sessions();
    const mark = await s.mark();
    const before = s.hits('broken', 'alice');
    await s.get('broken', alice);
    await s.get('broken', alice);
    const backendHits = s.hits('broken', 'alice') - before;
    const fetches = await s.until('broken fetches', (snap) => realFetchesAfter(snap, mark, '/broken', backendHits));
    expect(fetches).toHaveLength(backendHits);
    expect(fetches.every((f) => f.decision === 'skip' && f.tagsDropped.includes('dashboard-data'))).toBe(true);
    await s.act('broken', 'refresh-mine', alice);
    const rev = await s.until('refresh-mine', (snap) => revalidationOf(snap, mark, 'dashboard-data'));
    expect(rev.matched).toEqual([]);
    const snap = await s.snapshot();
    expect(findingOf(snap, 'noop-revalidation', 'dashboard-data')).toBeDefined();
    expect(findingOf(snap, 'orphaned-tag', 'dashboard-data')).toMatchObject({ cause: 'declared-on-uncached-call' });
  });

  it("pattern 1: one miss per backend hit, then hits; alice's refresh matches only her entry", async () => {
    const s = scenario();
    const { alice, bob } = s.sessions();
    const aliceTag = `p1:dashboard-data:${userTagSuffix(alice)}`;
    const mark = await s.mark();
    const before = s.hits('p1', 'alice');
    await s.get('p1', alice);
    await s.get('p1', alice);
    await s.get('p1', bob);
    expect(s.hits('p1', 'alice') - before).toBe(1);
    const calls = await s.until('alice calls', (snap) => {
      const found = eventsAfter(snap, mark).filter(
        (e): e is UnstableCacheEvent => e.type === 'unstable-cache' && e.tags.includes(aliceTag),
      );
      return found.some((c) => c.decision === 'hit') && found;
    });
    expect(calls.filter((c) => c.decision === 'miss')).toHaveLength(1);
    await s.act('p1', 'refresh-mine', alice);
    const mine = await s.until('refresh-mine', (snap) => revalidationOf(snap, mark, aliceTag));
    expect(mine.matched).toHaveLength(1);
    expect(mine.matched[0].kind).toBe('UNSTABLE_CACHE');
  });
});
